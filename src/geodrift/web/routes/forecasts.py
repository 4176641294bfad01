"""/api/v1/forecasts: stored forecasts, latest per task, unit and horizon, each with its backtest scores."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from geodrift.report.forecasts import forecast_units, latest_forecasts, stored_forecasts
from geodrift.web.deps import Reader, read_key
from geodrift.web.models import Forecast, records

router = APIRouter(prefix="/api/v1", tags=["forecasts"], dependencies=[Depends(read_key)])


@router.get("/forecasts", response_model=list[Forecast])
def forecasts(reader: Reader, unit: Annotated[list[str] | None, Query(max_length=20)] = None,
              as_of: Annotated[dt.date | None, Query(description=(
                  "only the forecasts made by this day whose window is still open on it (what a briefing of that "
                  "day shows); without it, the latest forecast per task, unit and horizon, open or not"))] = None,
              limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
              offset: Annotated[int, Query(ge=0, le=10**12)] = 0) -> list[Forecast]:
    """Stored forecasts, each with its backtest scores and where its window ends (``window_end``): the
    latest per task, unit and horizon, newest first (``limit``/``offset`` page them), or with ``as_of`` the ones
    open on that day."""
    units = [u.upper() for u in unit] if unit else forecast_units(reader)
    if not units:
        return []
    if as_of is None:
        frame = latest_forecasts(reader, units, limit=limit, offset=offset)
    else:
        frame = stored_forecasts(reader, units, as_of).iloc[offset:offset + limit]
    return [Forecast(**r) for r in records(frame.drop(columns=["issued_at"], errors="ignore"))]
