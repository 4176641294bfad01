"""geodrift: open, evidence-first geopolitical event intelligence.

The public Python API; everything else is importable from its module but may change.
"""

from geodrift.analytics.alignment import alignment_by_source, alignment_series, profile_affinity
from geodrift.analytics.dyads import dyad_matrix, dyad_series
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
