"""geodrift: open, evidence-first geopolitical event intelligence.

The public Python API; everything else is importable from its module but may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geodrift.analytics.alignment import alignment_by_source, alignment_series, profile_affinity
    from geodrift.analytics.dyads import dyad_matrix, dyad_series, dyad_undated
    from geodrift.analytics.flareups import flareups
    from geodrift.analytics.listings import event_page, event_with_evidence
    from geodrift.analytics.quality import quality_report
    from geodrift.analytics.shifts import alignment_drift, dyad_drift
    from geodrift.analytics.unvotes import load_unvotes, unvote_alignment
    from geodrift.coding.coder import code_text
    from geodrift.config import Settings
    from geodrift.errors import GeodriftError
    from geodrift.events import EVENT_SCHEMA, Modality, QuadClass
    from geodrift.ingest import ingest_file, ingest_files, ingest_gdelt
    from geodrift.ingest_text import code_files
    from geodrift.query import EventFilter, region
    from geodrift.store import Store

__version__ = "0.1.0"

__all__ = [
    "EVENT_SCHEMA",
    "EventFilter",
    "GeodriftError",
    "Modality",
    "QuadClass",
    "Settings",
    "Store",
    "alignment_by_source",
    "alignment_drift",
    "alignment_series",
    "code_files",
    "code_text",
    "dyad_drift",
    "dyad_matrix",
    "dyad_series",
    "dyad_undated",
    "event_page",
    "event_with_evidence",
    "flareups",
    "ingest_file",
    "ingest_files",
    "ingest_gdelt",
    "load_unvotes",
    "profile_affinity",
    "quality_report",
    "region",
    "unvote_alignment",
]

_EXPORTS = {
    "EVENT_SCHEMA": "geodrift.events",
    "EventFilter": "geodrift.query",
    "GeodriftError": "geodrift.errors",
    "Modality": "geodrift.events",
    "QuadClass": "geodrift.events",
    "Settings": "geodrift.config",
    "Store": "geodrift.store",
    "alignment_by_source": "geodrift.analytics.alignment",
    "alignment_drift": "geodrift.analytics.shifts",
    "alignment_series": "geodrift.analytics.alignment",
    "code_files": "geodrift.ingest_text",
    "code_text": "geodrift.coding.coder",
    "dyad_drift": "geodrift.analytics.shifts",
    "dyad_matrix": "geodrift.analytics.dyads",
    "dyad_series": "geodrift.analytics.dyads",
    "dyad_undated": "geodrift.analytics.dyads",
    "event_page": "geodrift.analytics.listings",
    "event_with_evidence": "geodrift.analytics.listings",
    "flareups": "geodrift.analytics.flareups",
    "ingest_file": "geodrift.ingest",
    "ingest_files": "geodrift.ingest",
    "ingest_gdelt": "geodrift.ingest",
    "load_unvotes": "geodrift.analytics.unvotes",
    "profile_affinity": "geodrift.analytics.alignment",
    "quality_report": "geodrift.analytics.quality",
    "region": "geodrift.query",
    "unvote_alignment": "geodrift.analytics.unvotes",
}
"""Each public name and the module it comes from. They are imported on first use, so a command that needs only
the coder (``geodrift code``) does not import the analytics (scipy, statsmodels) just by importing geodrift."""


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geodrift' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
