from pathlib import Path

from geodrift.events import EVENT_SCHEMA

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_schema_column_is_documented() -> None:
    text = (DOCS / "schema.md").read_text()
    missing = [f.name for f in EVENT_SCHEMA if f"| `{f.name}` |" not in text]
    assert not missing, f"docs/schema.md lacks {missing}"


def test_every_registered_format_is_in_the_readme() -> None:
    from geodrift.sources.base import formats

    readme = (DOCS.parent / "README.md").read_text()
    missing = [name for name in formats() if f"`{name}`" not in readme]
    assert not missing, f"README lacks formats {missing}"


def test_every_setting_is_documented_in_the_readme() -> None:
    import re

    source = (DOCS.parent / "src/geodrift/config.py").read_text()
    readme = (DOCS.parent / "README.md").read_text()
    for var in set(re.findall(r"GEODRIFT_[A-Z_]+", source)):
        assert var in readme, f"README does not document {var}"


def test_every_plugin_group_and_builtin_is_in_the_readme() -> None:
    import re

    from geodrift.plugins import BUILTINS, FORMATS

    readme = (DOCS.parent / "README.md").read_text()
    listed = {f"{task}.{name.strip()}" for task, names in re.findall(r"`(\w+)\.\{([^}]*)\}`", readme)
              for name in names.split(",")}
    missing = [group for group in BUILTINS if f"`{group}`" not in readme]
    missing += [name for group, table in BUILTINS.items() if group != FORMATS  # formats: the table above
                for name in table if f"`{name}`" not in readme and name not in listed]
    assert not missing, f"README lacks plug-ins {missing}"
