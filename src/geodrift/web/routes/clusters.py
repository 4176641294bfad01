"""/api/v1/clusters: pages of event clusters (one row per real-world happening) and one cluster with its reports.

``unit=reports`` on the list gives the raw view: the same filter's reports, as /api/v1/events pages them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from geodrift.analytics.clusters import cluster_page, cluster_with_reports
from geodrift.analytics.listings import event_page
from geodrift.web.deps import MAX_PAGE, Listed, Reader, read_key
from geodrift.web.models import Cluster, ClusterPage, ClusterWithReports, Event, EventPage, clean, records

router = APIRouter(prefix="/api/v1", tags=["clusters"], dependencies=[Depends(read_key)])
LISTS = ("datasets", "outlets", "outlet_countries")


def _cluster(row: dict[Any, Any]) -> Cluster:
    values: dict[str, Any] = {str(k): clean(v) for k, v in row.items() if k not in LISTS}
    for key in LISTS:
        items = row.get(key)
        values[key] = [str(v) for v in (list(items) if items is not None else []) if v is not None]
    return Cluster(**values)


@router.get("/clusters", response_model=ClusterPage | EventPage)
def clusters(
    reader: Reader,
    where: Listed,
    unit: Annotated[Literal["clusters", "reports"], Query(description="one row per event, or every report")] = "clusters",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> ClusterPage | EventPage:
    """Clusters with a report matching the filter, in (first_date, cluster_id) order, a page at a time."""
    if unit == "reports":
        frame, nxt = event_page(reader, where, limit, cursor)
        return EventPage(events=[Event(**r) for r in records(frame)], next_cursor=nxt)
    frame, nxt = cluster_page(reader, where, limit, cursor)
    return ClusterPage(clusters=[_cluster(r) for r in frame.to_dict("records")], next_cursor=nxt)


@router.get("/clusters/{cluster_id}", response_model=ClusterWithReports,
            responses={404: {"description": "no such cluster"}})
def cluster_by_id(reader: Reader, cluster_id: str) -> ClusterWithReports:
    """One cluster: who, what, when, where, its corroboration, and every report in it."""
    found = cluster_with_reports(reader, cluster_id)
    if found is None:
        raise HTTPException(404, f"no cluster {cluster_id}")
    summary, reports = found
    return ClusterWithReports(cluster=_cluster(summary), reports=[Event(**r) for r in records(reports)])
