"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis): no input gives a 500.

The quick pass runs in `make test`; `make test-long` runs many more cases per operation.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.conftest import _shared

EXAMPLES = int(os.environ.get("GEODRIFT_FUZZ_EXAMPLES", "12"))


def _app() -> object:
    """The app over a small real store built once for the fuzz run (schemathesis loads the schema at import)."""
    import tempfile
    from pathlib import Path

    from geodrift.ingest import ingest_files

    folder = Path(tempfile.mkdtemp(prefix="geodrift-fuzz-"))
    store = Store(folder / "fuzz.duckdb")
    events = _shared() / "caucasus-2020-events" / "events.jsonl"
    if not events.is_file():
        pytest.fail(f"reference data not found at {events.parent}", pytrace=False)
    ingest_files(store, [events])
    return create_app(ServeSettings(db=str(folder / "fuzz.duckdb")), store)


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.long
@schema.parametrize()
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_long(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
