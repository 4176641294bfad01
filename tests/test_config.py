from pathlib import Path

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


@pytest.mark.parametrize(("var", "value"), [("GEODRIFT_API_CACHE", "abc"), ("GEODRIFT_API_CACHE", "-1"),
                                            ("GEODRIFT_API_CACHE_MB", "64MB"), ("GEODRIFT_API_CACHE_MB", "-1"),
                                            ("GEODRIFT_THREADS", "abc"), ("GEODRIFT_MEMORY", "lots"),
                                            ("GEODRIFT_KEYED_READS", "maybe"), ("GEODRIFT_READ_ONLY", "yes please")])
def test_every_bad_value_is_one_config_error_naming_its_variable(var: str, value: str) -> None:
    with pytest.raises(ConfigError, match=var):
        Settings.from_env({var: value})


def test_server_settings_come_from_the_one_settings_object(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from geodrift.web.config import ServeSettings, new_key

    key, hashed = new_key()
    keys = tmp_path / "keys"
    keys.write_text(hashed + "\n")
    cfg = Settings.from_env({"GEODRIFT_DB": "s.duckdb", "GEODRIFT_API_KEYS_FILE": str(keys), "GEODRIFT_KEYED_READS": "1",
                             "GEODRIFT_CORS_ORIGINS": "https://a.example, https://b.example",
                             "GEODRIFT_INGEST_DIR": str(tmp_path), "GEODRIFT_API_CACHE": "0", "GEODRIFT_API_CACHE_MB": "3",
                             "GEODRIFT_MEMORY": "512MB", "GEODRIFT_THREADS": "1", "GEODRIFT_READ_ONLY": "1"})
    serve = ServeSettings.from_settings(cfg, keyed_reads=False)
    assert serve.accepts(key) and not serve.accepts("gd_wrong")
    assert (serve.db, serve.read_only, serve.keyed_reads, serve.cache_size) == ("s.duckdb", True, False, 0)
    assert serve.cache_bytes == 3 << 20
    assert serve.cors_origins == ("https://a.example", "https://b.example")
    assert (serve.data_dir, serve.memory_limit, serve.threads) == (tmp_path, "512MB", 1)


def test_only_the_settings_module_reads_the_environment() -> None:
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "geodrift"
    readers = [str(p.relative_to(src)) for p in src.rglob("*.py") if p.name != "config.py"
               and ("os.environ.get(" in p.read_text() or "os.environ[" in p.read_text() or "os.getenv(" in p.read_text())]
    assert not readers, f"read GEODRIFT_* through geodrift.config.Settings, not in {readers}"


@pytest.mark.parametrize("var", ["GEODRIFT_THREADS", "GEODRIFT_API_CACHE", "GEODRIFT_MEMORY"])
def test_the_cli_reports_a_bad_setting_in_one_line(var: str, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from geodrift.cli import app

    monkeypatch.setenv(var, "abc")
    result = CliRunner().invoke(app, ["db", "info", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert var in result.output and "Traceback" not in result.output


def test_coder_cache_folder() -> None:
    from geodrift.config import coder_cache

    assert Settings.from_env({"XDG_CACHE_HOME": "/x"}).coder_cache == Path("/x/geodrift")
    assert Settings.from_env({"HOME": "/home/u"}).coder_cache == Path("/home/u/.cache/geodrift")
    assert Settings.from_env({"GEODRIFT_CODER_CACHE": "/c", "XDG_CACHE_HOME": "/x"}).coder_cache == Path("/c")
    assert Settings.from_env({"GEODRIFT_CODER_CACHE": "off"}).coder_cache is None
    # The coder reads its one setting alone: a bad unrelated variable does not stop it.
    assert coder_cache({"GEODRIFT_THREADS": "two", "GEODRIFT_CODER_CACHE": "0"}) is None
