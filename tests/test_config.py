import pytest

from geodrift.config import Settings
from geodrift.errors import ConfigError


def test_settings_from_env() -> None:
    cfg = Settings.from_env({"GEODRIFT_DB": "x.duckdb", "GEODRIFT_THREADS": "1", "GEODRIFT_GROUP_ROWS": "10"})
    assert (cfg.db, cfg.threads, cfg.group_rows) == ("x.duckdb", 1, 10)
    assert str(cfg.download_dir) == "x.duckdb.cache"


@pytest.mark.parametrize("value", ["two", "0", "-3"])
def test_bad_numbers_are_config_errors(value: str) -> None:
    with pytest.raises(ConfigError, match="GEODRIFT_THREADS"):
        Settings.from_env({"GEODRIFT_THREADS": value})
