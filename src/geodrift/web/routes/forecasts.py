"""/api/v1/forecasts: stored forecasts, latest per task, unit and horizon, each with its backtest scores."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from geodrift.report.forecasts import forecast_units, stored_forecasts
from geodrift.web.deps import Reader, read_key
from geodrift.web.models import Forecast, records

router = APIRouter(prefix="/api/v1", tags=["forecasts"], dependencies=[Depends(read_key)])


@router.get("/forecasts", response_model=list[Forecast])
def forecasts(reader: Reader, unit: Annotated[list[str] | None, Query(max_length=20)] = None,
              as_of: dt.date | None = None) -> list[Forecast]:
    """Stored forecasts (latest per task, unit and horizon), each with its backtest scores."""
    units = [u.upper() for u in unit] if unit else forecast_units(reader)
    if not units:
        return []
    frame = stored_forecasts(reader, units, as_of or dt.date.today())
    return [Forecast(**r) for r in records(frame.drop(columns=["issued_at"], errors="ignore"))]
