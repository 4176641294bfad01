"""/api/v1/quality: the store's data quality per source (duplicates, coverage gaps, quarantine, resolution)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from geodrift.analytics.quality import quality_records, quality_report
from geodrift.web.deps import Cache, Reader, read_key
from geodrift.web.models import Quality

router = APIRouter(prefix="/api/v1", tags=["quality"], dependencies=[Depends(read_key)])


@router.get("/quality", response_model=Quality)
def quality(request: Request, reader: Reader, cache: Cache) -> Response:
    """Reports, clusters and duplicate rate per source; months covered and missed; quarantined rows by reason and
    file format; the share of reports whose actors' countries, place and coordinates are known. Cached per store
    version."""
    return cache.answer(request, reader, lambda: Quality.model_validate(quality_records(quality_report(reader))))
