from pathlib import Path

import pandas as pd

from geodrift.report.charts import series_chart


def test_a_series_is_named_in_words_in_the_legend(tmp_path: Path) -> None:
    frame = pd.DataFrame({"period": pd.date_range("2020-07-01", periods=4, freq="MS"),
                          "goldstein_mean": [1.4, 0.5, -0.3, 1.3]})
    html = series_chart(frame, "goldstein_mean", tmp_path / "g.html", title="Azerbaijan–Russia").read_text()
    assert '"name":"mean Goldstein"' in html and '"name":"goldstein_mean"' not in html
