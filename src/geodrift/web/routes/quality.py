"""/api/v1/quality: the store's data quality per source (duplicates, coverage gaps, quarantine, resolution)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from geodrift.analytics.quality import quality_records, quality_report
from geodrift.store_precision import precision_note
from geodrift.web.deps import Cache, Reader, read_key
from geodrift.web.models import Quality

router = APIRouter(prefix="/api/v1", tags=["quality"], dependencies=[Depends(read_key)])


@router.get("/quality", response_model=Quality)
def quality(request: Request, reader: Reader, cache: Cache) -> Response:
    """Reports, clusters and duplicate rate per source; months covered and missed; quarantined rows by reason and
    file format; the share of reports whose actors' countries, place and coordinates are known; the note `db quality`
    prints when curated dates could not be checked. Cached per store version."""
    return cache.answer(request, reader, lambda: Quality.model_validate(
        {**quality_records(quality_report(reader)), "note": precision_note(reader)}))
