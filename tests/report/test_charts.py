from pathlib import Path

import pandas as pd

from geodrift.report.charts import series_chart
from geodrift.store import Store


def test_a_series_is_named_in_words_in_the_legend(tmp_path: Path) -> None:
    frame = pd.DataFrame({"period": pd.date_range("2020-07-01", periods=4, freq="MS"),
                          "goldstein_mean": [1.4, 0.5, -0.3, 1.3]})
    html = series_chart(frame, "goldstein_mean", tmp_path / "g.html", title="Azerbaijan–Russia").read_text()
    assert '"name":"mean Goldstein"' in html and '"name":"goldstein_mean"' not in html


def _band_pixels(path: Path) -> int:
    """Pixels of the interval's colour (C0 at alpha 0.25 on white) in a PNG chart."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
    return int((np.abs(pixels - np.array([200, 221, 236])).sum(axis=2) < 20).sum())


def test_a_lone_period_keeps_its_interval(tmp_path: Path) -> None:
    """Reader 3's M10: the week of 2020-11-09, with the widest interval of the year (-0.19 to +0.33) but no event in
    the weeks either side, was drawn as a lone dot: a band between neighbours had nothing to join it to."""
    periods = pd.date_range("2020-10-26", periods=5, freq="W-MON")
    nan = float("nan")
    frame = pd.DataFrame({"period": periods, "alignment": [0.03, nan, 0.10, nan, 0.18],
                          "lo": [nan, nan, -0.19, nan, nan], "hi": [nan, nan, 0.33, nan, nan]})
    wide = series_chart(frame, "alignment", tmp_path / "wide.png", lo="lo", hi="hi", title="AZE")
    narrow = series_chart(frame.assign(lo=frame.lo.where(frame.lo.isna(), 0.099),
                                       hi=frame.hi.where(frame.hi.isna(), 0.101)),
                          "alignment", tmp_path / "narrow.png", lo="lo", hi="hi", title="AZE")
    assert _band_pixels(wide) > _band_pixels(narrow) + 2000


def _svg_texts(path: Path) -> list[str]:
    """The texts of an SVG chart (matplotlib draws each as paths preceded by a comment holding its text)."""
    import re

    return re.findall(r"<!-- (.*?) -->", path.read_text())


def test_a_monthly_chart_ticks_months(caucasus_store: Store, tmp_path: Path) -> None:
    """Reader 7's L8: the Azerbaijan–Russia monthly chart of the demo analysis (July to November 2020) had day ticks
    (2020-07-15, 2020-08-01, ...) for points that are months."""
    import datetime as dt

    from geodrift.analytics.dyads import dyad_series
    from geodrift.query import EventFilter

    series = dyad_series(caucasus_store, "AZE", "RUS", freq="month",
                         where=EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 12, 1)))
    assert series.goldstein_mean.notna().sum() >= 3
    texts = _svg_texts(series_chart(series, "goldstein_mean", tmp_path / "m.svg", title="Azerbaijan–Russia"))
    ticks = [t for t in texts if t[:3] == "202"]
    assert ticks and all(len(t) == 7 for t in ticks), ticks  # "2020-07", never "2020-07-15"
    assert {"2020-07", "2020-11"} <= set(ticks)
