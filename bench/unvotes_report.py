"""UN-vote validation: yearly alignment of post-Soviet and Caucasus states between RUS and USA, 1992-2019.

Prints the table (our ideal-point position; -1 = RUS, +1 = USA), the change points found in each
series, and the correlation of our ideal points with Bailey-Strezhnev-Voeten's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

from geodrift.analytics.drift import detect
from geodrift.analytics.unvotes import ideal_points, load_unvotes, unvote_alignment
from geodrift.errors import InputError
from geodrift.report.charts import series_chart
from geodrift.store import Store

STATES = ["AZE", "ARM", "GEO", "TUR", "UKR", "BLR", "KAZ"]


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out/unvotes")
    out.mkdir(parents=True, exist_ok=True)
    with Store() as store:
        load_unvotes(store, shared / "unvotes", shared / "unga-idealpoints" / "IdealpointsJuly2025.csv")
        mine = ideal_points(store)
        published = store.df("SELECT iso3, year, ideal_all FROM un_idealpoints")
        joined = mine.merge(published, on=["iso3", "year"]).dropna()
        print(f"ideal points vs Bailey-Strezhnev-Voeten: r = {joined.ideal.corr(joined.ideal_all):.3f} over "
              f"{len(joined):,} country-years; 1992-2019: r = "
              f"{joined[joined.year >= 1992].ideal.corr(joined[joined.year >= 1992].ideal_all):.3f}")
        table = {}
        for state in STATES:
            frame = unvote_alignment(store, state, "RUS", "USA", start=1992, end=2019)
            table[state] = frame.set_index("year")["alignment"]
            series = frame.assign(period=pd.to_datetime(frame.year.astype(int).astype(str) + "-01-01"))
            try:
                points = detect(series.set_index("period")["alignment"])
            except InputError as exc:
                points = []
                print(f"{state}: {exc}")
            print(f"{state}: change points " + (", ".join(
                f"{p.date.year} ({p.before:+.2f} -> {p.after:+.2f}, confidence {p.confidence:.2f})" for p in points)
                or "none"))
            series_chart(series, "alignment", out / f"{state}.png", title=f"{state} between RUS (-1) and USA (+1), UN votes",
                         changes=[p.date for p in points])
        print(pd.DataFrame(table).round(2).to_string())
        print(f"charts: {out}/<ISO3>.png")


if __name__ == "__main__":
    main()
