"""The layers import one way (docs/architecture.md): each module imports only from its own layer or those below."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "geodrift"

LAYERS: list[set[str]] = [
    {"errors", "events", "config", "codebooks", "store_schema", "csvsafe", "plugins", "params", "conflict_schema",
     "units_sql", "registered"},
    {"sources", "coding"},
    {"aggregates", "store", "store_connection", "store_appends", "store_export", "store_recode", "store_precision",
     "store_upgrade", "staging", "direct", "sandbox", "clustering", "conflict_store", "lake", "lake_store", "lake_spark",
     "cluster_units",
     "cluster_keys", "cluster_summary", "cluster_docs", "cluster_peaks"},
    {"ingest", "ingest_text", "ingest_spark", "query"},
    {"analytics"},
    {"forecast"},
    {"report"},
    {"service"},
    {"web", "cli", "cli_common", "cli_analytics", "cli_coding", "cli_forecast", "cli_reports", "cli_serve", "cli_service",
     "cli_conflict", "demo", "__main__", "__init__"},
]
"""Bottom to top: data definitions, producers of canonical batches, the store, what feeds and queries it, measures,
forecasts, documents, and the edges (CLI, web, demo, the public Python API)."""


def _layer(part: str) -> int:
    for number, members in enumerate(LAYERS):
        if part in members:
            return number
    raise AssertionError(f"geodrift.{part} belongs to no layer: add it to LAYERS and docs/architecture.md")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geodrift"):
            names = [node.module] if node.module != "geodrift" else [f"geodrift.{a.name}" for a in node.names]
            found.update(names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("geodrift"))
    return found


def test_every_import_points_down_or_sideways() -> None:
    upward = []
    for path in sorted(SRC.rglob("*.py")):
        part = path.relative_to(SRC).parts[0].removesuffix(".py")
        for module in _imports(path):
            target = module.split(".")[1] if "." in module else "__init__"
            if _layer(target) > _layer(part):
                upward.append(f"{path.relative_to(SRC)} imports {module}")
    assert not upward, "imports reaching up a layer:\n" + "\n".join(upward)


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from geodrift.report.briefing import build_briefing\nimport geodrift.web.app\n")
    assert _imports(bad) == {"geodrift.report.briefing", "geodrift.web.app"}
    assert _layer("report") > _layer("analytics") and _layer("web") > _layer("report")


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert not long, f"split these modules: {long}"
