"""A briefing's developments as occasions: one item per real-world event, however many pairs or roots tell it.

Developments (analytics/salience.py) are the events of one pair, root and modality; report/grouping.py merges the
developments that tell one happening, across pairs too (a deal of three parties, one battle). Here, in addition, an
act its own actor apologised for within a day (report/evidence.py's ``disowns``, the rule by which the analysis lists
"Acts disowned within days") is one item with its apology, as the analysis pairs them. A development that holds the
apology and other events (Azerbaijan's apology for the Mi-24 and Russia's signing of the ceasefire, both root 05 of
Azerbaijan-Russia) is first cut into its days (``developments(by_day=True)``), so each part goes where it belongs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from geodrift.analytics.salience import acts_first, developments
from geodrift.query import EventFilter
from geodrift.registered import registered
from geodrift.report.evidence import DISOWNS, disowns
from geodrift.report.grouping import acts, merge_developments, sentences
from geodrift.store import Store


def occasions(store: Store, countries: Sequence[str], start: dt.date, end: dt.date, *, members: Sequence[str],
              baseline_days: int, where: EventFilter) -> pd.DataFrame:
    """The developments of [start, end) merged into occasions (``merge_developments``), most salient first; an act
    disowned by its actor's apology carries it as its second part and ``disowned`` (days to the apology, else NaN)."""
    found = developments(store, countries, start, end, members=members, baseline_days=baseline_days, where=where)
    ids = [e for row in found.event_ids for e in row]
    paired = _disowned(store, ids)
    wholes: list[Any] = list(found.itertuples())
    holders = [i for i, row in enumerate(wholes) if len(row.event_ids) > 1 and set(row.event_ids) & paired.keys()]
    if holders:
        days = developments(store, countries, start, end, members=members, baseline_days=baseline_days, where=where,
                            by_day=True)
        cut = [days[[_part_of(wholes[i], d) for d in days.itertuples()]] for i in holders]
        found = pd.concat([found.drop(index=found.index[holders]), *cut], ignore_index=True)
    merged = merge_developments(found, sentences(store, ids), acts(store, ids)).assign(disowned=float("nan"))
    for apology, (act, gap, code) in paired.items():
        rows: list[Any] = list(merged.itertuples())
        alone = [i for i, row in enumerate(rows) if list(row.event_ids) == [apology]]
        owner = [i for i, row in enumerate(rows) if act in row.event_ids and not row.parts]
        if alone and owner and alone[0] != owner[0]:
            merged = _attach(merged, owner[0], alone[0], gap, code)
    return acts_first(merged)


def _part_of(whole: Any, day: Any) -> bool:
    """Whether a day's development is part of ``whole``: the same pair, root and modality, and its events."""
    return (day.a == whole.a and (day.b == whole.b or not (isinstance(day.b, str) or isinstance(whole.b, str)))
            and day.root == whole.root and day.modality == whole.modality and set(day.event_ids) <= set(whole.event_ids))


def _attach(merged: pd.DataFrame, owner: int, apology: int, gap: int, code: str) -> pd.DataFrame:
    """The act's row with its apology as its second part (named after its own code, 'apologize', not its root's
    'engage in diplomatic cooperation'), counted in the row's events, reports and outlets."""
    act, said = merged.iloc[owner].to_dict(), {**merged.iloc[apology].to_dict(), "root": code}
    outlets = sorted({*act["outlets"], *said["outlets"]})
    act.update(parts=[dict(act), said], disowned=float(gap), events=act["events"] + said["events"],
               reports=act["reports"] + said["reports"], outlets=outlets,
               sources=max(len(outlets), act["sources"], said["sources"]),
               event_ids=[*act["event_ids"], *said["event_ids"]], last_date=max(act["last_date"], said["last_date"]),
               parties=sorted({*act["parties"], *said["parties"]}))
    rows = [act if i == owner else row for i, row in enumerate(merged.to_dict("records")) if i != apology]
    return pd.DataFrame(rows)


def _disowned(store: Store, event_ids: Sequence[str]) -> dict[str, tuple[str, int, str]]:
    """{apology report: (the act it disowns, days between them, the apology's CAMEO code)}: an apology (055) of an
    act's own actor to its target within ``evidence.DISOWN_DAYS`` of a conflict act (Goldstein < 0), the most hostile
    act first."""
    ids = sorted({str(e) for e in event_ids})
    if not ids:
        return {}
    with registered(store.con, "occasion_reports", pd.DataFrame({"event_id": ids})):
        rows = store.con.execute("SELECT event_id, event_code, actor1_country, actor2_country, event_date, goldstein "
                                 "FROM events JOIN occasion_reports USING (event_id)").df()
    rows = rows.assign(event_date=pd.to_datetime(rows.event_date))
    hostile = rows[rows.goldstein < 0].sort_values(["goldstein", "event_id"])
    found: dict[str, tuple[str, int, str]] = {}
    for _, apology in rows[rows.event_code.astype(str).str.startswith(DISOWNS)].iterrows():
        act = next((a for _, a in hostile.iterrows() if disowns(a, apology)), None)
        if act is not None:
            found[str(apology.event_id)] = (str(act.event_id), (apology.event_date - act.event_date).days,
                                            str(apology.event_code))
    return found


def key_events(found: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` developments a timeline lists: the most salient, or over several calendar years the most salient of
    each year in turn (a 2020-2024 timeline of the 15 most salient held only the 2020 war), then marked
    ``with_year`` so their dates say the year."""
    if found.empty:
        return found
    years = pd.to_datetime(found.first_date).dt.year
    if years.nunique() < 2:
        return found.head(n)
    turn = found.groupby(years).cumcount()  # found is most salient first: 0 for each year's most salient
    return found.assign(turn=turn).sort_values("turn", kind="stable").head(n).drop(columns="turn").assign(
        with_year=True)
