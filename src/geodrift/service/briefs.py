"""The briefing stage: today's briefing of each configured region, written beside the store; earlier days stay.

Layout: ``<folder>/<YYYY-MM-DD>/<region>.{html,md,json}`` (charts beside them). Each run rewrites today's files
(the day is not over), writing into a scratch folder first and renaming file by file, so a reader (the
dashboard) never sees half a file and a killed run leaves the previous version. The folder is recorded in
``service_state`` so the server finds it without the service's settings.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from geodrift.query import region
from geodrift.report.briefing import build_briefing
from geodrift.report.forecasts import stored_forecasts, watched_units
from geodrift.report.render import write_document
from geodrift.service import state
from geodrift.service.context import RunContext
from geodrift.store import Store

FOLDER_KEY = "briefings_dir"


def run_briefings(ctx: RunContext) -> str:
    """Write today's briefing for every region; returns what was written."""
    folder = ctx.config.briefings_folder(ctx.store.path).resolve()
    written = []
    for spec in ctx.config.regions:
        chosen = region(spec)
        stem = slug(chosen.region)
        document = build_briefing(ctx.store, ctx.today, chosen, ctx.cache_dir / "briefing-charts" / chosen.region,
                                  days=ctx.config.briefing_days,
                                  forecasts=stored_forecasts(ctx.store, watched_units(chosen), ctx.today))
        scratch = folder / f".{ctx.today}-{stem}.{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        paths = write_document(document, scratch, stem, tuple(ctx.config.briefing_formats))
        day_dir = folder / ctx.today.isoformat()
        day_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(scratch.iterdir(), key=lambda p: p.suffix == ".html"):  # the page last: its charts first
            path.replace(day_dir / path.name)
        shutil.rmtree(scratch, ignore_errors=True)
        written.append(f"{ctx.today}/{stem} ({', '.join(p.suffix[1:] for p in paths)})")
    with state.transaction(ctx.store) as con:
        state.put_state(con, FOLDER_KEY, str(folder))
    return "wrote " + ", ".join(written) if written else "no regions configured"


def slug(name: str) -> str:
    """A region's file name: 'caucasus', 'arm-aze' for the list 'ARM,AZE'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "region"


def briefings_folder(store: Store) -> Path | None:
    """Where the service writes briefings (None before its first run)."""
    if not store.has_table("service_state"):
        return None
    value = state.get_state(store, FOLDER_KEY)
    return Path(value) if value else None


def written_briefings(store: Store) -> pd.DataFrame:
    """Every written briefing (day, region, formats), newest day first."""
    folder = briefings_folder(store)
    rows = []
    if folder is not None and folder.is_dir():
        for day_dir in folder.iterdir():
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_dir.name) or not day_dir.is_dir():
                continue
            regions: dict[str, list[str]] = {}
            for path in day_dir.iterdir():
                if path.suffix in (".html", ".md", ".json", ".pdf"):
                    regions.setdefault(path.stem, []).append(path.suffix[1:])
            rows += [{"day": dt.date.fromisoformat(day_dir.name), "region": name, "formats": sorted(formats)}
                     for name, formats in regions.items() if "html" in formats]
    frame = pd.DataFrame(rows, columns=["day", "region", "formats"])
    return frame.sort_values(["day", "region"], ascending=[False, True]).reset_index(drop=True)


def briefing_file(store: Store, day: dt.date, region_key: str, fmt: str) -> Path | None:
    """The written file of one briefing, or None (names are checked: no path leaves the folder)."""
    folder = briefings_folder(store)
    if folder is None or not re.fullmatch(r"[a-z0-9_-]{1,60}", region_key) or fmt not in ("html", "md", "json", "pdf"):
        return None
    path = folder / day.isoformat() / f"{region_key}.{fmt}"
    return path if path.is_file() else None


def dashboard_line(store: Store) -> dict[str, Any]:
    """For the dashboard's home page: the newest written briefing and the newest alert (None before any run)."""
    from geodrift.service.alerts import list_alerts

    written = written_briefings(store)
    newest = list_alerts(store, limit=1)
    briefing = None if written.empty else {"day": written.day.iloc[0].isoformat(), "region": written.region.iloc[0]}
    return {"briefing": briefing, "alert": newest[0] if newest else None}
