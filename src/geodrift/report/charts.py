"""Charts of analytics results: PNG/SVG with matplotlib, interactive HTML with plotly (offline).

The output kind follows the file suffix: .png, .svg or .html.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geodrift.analytics.coverage import spans
from geodrift.errors import InputError
from geodrift.events import shown_place
from geodrift.report.basemap import borders

SUFFIXES = (".png", ".svg", ".html")
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLOURS = {1: "#1f77b4", 2: "#2ca02c", 3: "#ff7f0e", 4: "#d62728"}
"""One colour per quad class on every map and chart: cooperation blue and green, conflict orange and red."""


@contextmanager
def _figure(path: Path, size: tuple[float, float]) -> Iterator[tuple[Any, Any]]:
    """A matplotlib figure and axes, written to ``path`` (PNG or SVG) and closed on exit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size, dpi=110)
    try:
        yield fig, ax
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)


def _check(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path}: chart files end in {', '.join(SUFFIXES)}")
    if not path.parent.exists():
        raise InputError(f"{path}: folder {path.parent} does not exist")


LABELS = {"goldstein_mean": "mean Goldstein", "conflict_events": "material-conflict events",
          "alignment_published": "position (Bailey–Strezhnev–Voeten ideal points)"}
"""Legend names of series columns that are not words."""


NO_DATA = "no data (no stored event of these countries)"


def isolated(lo: pd.Series, hi: pd.Series) -> pd.Series:
    """Periods with a known interval whose neighbours have none: a shaded band between points leaves them bare."""
    known = lo.notna() & hi.notna()
    return known & ~known.shift(1, fill_value=False) & ~known.shift(-1, fill_value=False)


def series_chart(frame: pd.DataFrame, column: str, path: Path, *, title: str, lo: str | None = None,
                 hi: str | None = None, changes: Sequence[pd.Timestamp] = (), ylabel: str | None = None,
                 gaps: pd.Series | None = None) -> Path:
    """A dated series with an optional shaded interval and vertical change-point lines; ``gaps`` (one flag per
    row, analytics/coverage.py) leaves the periods no source covers blank and shaded "no data", not drawn as 0."""
    _check(path)
    label = LABELS.get(column, column.replace("_", " "))
    if frame.empty or frame[column].notna().sum() == 0:
        raise InputError(f"nothing to chart: the {column} series is empty for this selection")
    blind = spans(frame.period, gaps) if gaps is not None and gaps.any() else []
    if gaps is not None and blind:
        frame = frame.copy()
        for name in (c for c in (column, lo, hi) if c):
            frame[name] = frame[name].where(~gaps.to_numpy(dtype=bool), np.nan)
    if path.suffix.lower() == ".html":
        import plotly.graph_objects as go

        fig = go.Figure()
        if lo and hi:
            fig.add_trace(go.Scatter(x=list(frame.period) + list(frame.period[::-1]),
                                     y=list(frame[hi]) + list(frame[lo][::-1]), fill="toself",
                                     line={"width": 0}, fillcolor="rgba(31,119,180,0.2)", name="interval"))
        fig.add_trace(go.Scatter(x=frame.period, y=frame[column], mode="lines+markers", name=label))
        for x0, x1 in blind:
            fig.add_vrect(x0=x0, x1=x1, fillcolor="#d9d9d9", opacity=0.5, line_width=0, layer="below")
        for when in changes:
            fig.add_vline(x=when, line_dash="dash", line_color="firebrick")
        fig.update_layout(title=title, yaxis_title=ylabel or label, template="plotly_white")
        fig.write_html(path, include_plotlyjs=True, full_html=True)
        return path
    with _figure(path, (9, 4)) as (fig, ax):
        if lo and hi:
            ax.fill_between(frame.period, frame[lo], frame[hi], alpha=0.25, label="interval", step=None)
            # a band needs two neighbouring known intervals: draw a period whose neighbours have none as a bar
            lone = isolated(frame[lo], frame[hi])
            ax.vlines(frame.period[lone], frame[lo][lone], frame[hi][lone], color="C0", alpha=0.25, linewidth=7)
        ax.plot(frame.period, frame[column], marker="o", markersize=3, label=label)
        for i, (x0, x1) in enumerate(blind):
            ax.axvspan(x0.to_pydatetime(), x1.to_pydatetime(), color="#d9d9d9", alpha=0.6, linewidth=0,
                       label=NO_DATA if i == 0 else None)
        for i, when in enumerate(changes):
            ax.axvline(pd.Timestamp(when).to_pydatetime(), color="firebrick", linestyle="--",
                       label="change point" if i == 0 else None)
        ax.axhline(0, color="grey", linewidth=0.6)
        _whole_ticks(ax, frame[column])
        _period_ticks(ax, frame.period)
        ax.set_title(title)
        ax.set_ylabel(ylabel or label)
        ax.legend(loc="best", fontsize=8)
        fig.autofmt_xdate()
    return path


def _period_ticks(ax: Any, periods: pd.Series) -> None:
    """Monthly points get month ticks ("2020-07") and yearly ones year ticks: over a few months matplotlib's own
    choice is day ticks ("2020-07-15"), which read as dates the points do not have. Weekly and daily series keep it."""
    days = pd.Series(pd.to_datetime(periods)).dropna().sort_values()
    if len(days) < 2 or not (days.dt.day == 1).all() or days.diff().min() < pd.Timedelta(days=28):
        return
    import matplotlib.dates

    mdates: Any = matplotlib.dates  # matplotlib's date locators carry no type hints
    if (days.dt.month == 1).all() and days.diff().min() >= pd.Timedelta(days=365):
        ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, -(-(days.iloc[-1].year - days.iloc[0].year) // 10))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return
    months = (days.iloc[-1].year - days.iloc[0].year) * 12 + days.iloc[-1].month - days.iloc[0].month + 1
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, -(-months // 12))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


def _whole_ticks(ax: Any, values: pd.Series) -> None:
    """Counts get whole-number ticks (no "0.5 events"), and an all-zero count an axis from 0 to 1 rather than
    matplotlib's -0.04 to 0.04 around the line."""
    known = values.dropna().to_numpy(dtype=float)
    if known.size == 0 or not np.allclose(known, np.round(known)):
        return
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if known.max() == known.min() == 0:
        ax.set_ylim(-0.1, 1)


def matrix_chart(matrix: pd.DataFrame, path: Path, *, title: str) -> Path:
    """A country x country matrix (e.g. mean Goldstein of dyads) as a heatmap."""
    _check(path)
    if matrix.empty:
        raise InputError("nothing to chart: the dyad matrix is empty")
    if path.suffix.lower() == ".html":
        import plotly.express as px

        px.imshow(matrix, color_continuous_scale="RdBu", zmin=-10, zmax=10, title=title,
                  text_auto=".1f").write_html(path, include_plotlyjs=True)
        return path
    with _figure(path, (6, 5)) as (fig, ax):
        image = ax.imshow(matrix.to_numpy(float), cmap="RdBu", vmin=-10, vmax=10)
        ax.set_xticks(range(len(matrix.columns)), matrix.columns)
        ax.set_yticks(range(len(matrix.index)), matrix.index)
        grid = matrix.to_numpy(float)
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                if grid[i, j] == grid[i, j]:
                    ax.text(j, i, f"{grid[i, j]:.1f}", ha="center", va="center", fontsize=8)
        fig.colorbar(image, ax=ax, label="mean Goldstein (source-weighted)")
        ax.set_title(title)
    return path


def map_chart(events: pd.DataFrame, path: Path, *, title: str) -> Path:
    """Events with coordinates as points coloured by quad class, sized by their reports, over country borders
    (report.basemap: Natural Earth shapes shipped with geodrift, so the map is drawn offline)."""
    _check(path)
    located = events.dropna(subset=["action_geo_lat", "action_geo_lon"])
    if located.empty:
        raise InputError("nothing to map: no selected event has coordinates")
    colours = QUAD_COLOURS
    reports = located["reports"] if "reports" in located else pd.Series(1, index=located.index)
    pad = 2.0
    lon = (float(located.action_geo_lon.min()) - pad, float(located.action_geo_lon.max()) + pad)
    lat = (float(located.action_geo_lat.min()) - pad, float(located.action_geo_lat.max()) + pad)
    lines = borders(lon, lat)
    if path.suffix.lower() == ".html":
        import plotly.express as px
        import plotly.graph_objects as go

        shown = located.assign(reports=reports, place=located.action_geo_name.map(shown_place))
        fig = px.scatter(shown, x="action_geo_lon", y="action_geo_lat",
                         color=located.quad_class.map(QUADS).fillna("unknown"), size="reports", size_max=14, title=title,
                         hover_data=["event_date", "event_code", "place", "outlet", "reports"],
                         color_discrete_map={QUADS[k]: v for k, v in colours.items()},
                         labels={"color": "quad class", "action_geo_lon": "longitude", "action_geo_lat": "latitude"})
        xs = [x for arc in lines for x in [*arc[:, 0], None]]
        ys = [y for arc in lines for y in [*arc[:, 1], None]]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#999", "width": 0.8},
                                 hoverinfo="skip", name="borders"))
        fig.update_xaxes(range=list(lon))
        fig.update_yaxes(range=list(lat), scaleanchor="x")
        fig.write_html(path, include_plotlyjs=True)
        return path
    with _figure(path, (7, 5)) as (fig, ax):
        for arc in lines:
            ax.plot(arc[:, 0], arc[:, 1], color="#999999", linewidth=0.7, zorder=1)
        for quad in sorted(located.quad_class.dropna().astype(int).unique()):
            group = located.quad_class == quad
            ax.scatter(located.action_geo_lon[group], located.action_geo_lat[group], s=10 + 6 * reports[group].clip(upper=10),
                       alpha=0.6, color=colours.get(quad, "grey"), label=QUADS.get(quad, f"quad class {quad}"), zorder=2)
        ax.set_xlim(*lon)
        ax.set_ylim(*lat)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.set_aspect("equal", adjustable="box")
        ax.legend(fontsize=8)
        ax.set_title(title)
    return path


def reliability_chart(tables: dict[str, pd.DataFrame], path: Path, *, title: str, min_count: int = 10) -> Path:
    """Reliability diagram: observed frequency against forecast probability per bin, one line per model
    (bins with fewer than ``min_count`` forecasts are left out: their frequencies are noise)."""
    _check(path)
    with _figure(path, (5.5, 5)) as (_fig, ax):
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
        for name, table in tables.items():
            kept = table[table.n >= min_count]
            ax.plot(kept.forecast, kept.observed, marker="o", markersize=3, label=name)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("forecast probability")
        ax.set_ylabel("observed frequency")
        ax.set_title(title, fontsize=10)
        ax.legend(loc="upper left", fontsize=7)
    return path


def horizon_chart(scores: pd.DataFrame, column: str, path: Path, *, title: str, ylabel: str) -> Path:
    """A score per forecast horizon, one line per model (skill or CRPS against the horizon)."""
    _check(path)
    with _figure(path, (7, 4)) as (_fig, ax):
        for name, group in scores.groupby("model", sort=False):
            ax.plot(group.horizon, group[column], marker="o", markersize=3, label=str(name))
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.set_xlabel("horizon")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.legend(loc="best", fontsize=7)
    return path


def forecast_chart(forecasts: pd.DataFrame, path: Path, *, title: str) -> Path:
    """Issued forecasts per unit and horizon: probabilities as bars, or means with their 90% intervals."""
    _check(path)
    labels = [f"{u} +{h} {str(hu)[0]}" for u, h, hu in zip(forecasts.unit, forecasts.horizon, forecasts.horizon_unit,
                                                        strict=True)]
    with _figure(path, (7, max(2.5, 0.35 * len(forecasts) + 1))) as (_fig, ax):
        positions = range(len(forecasts))
        if forecasts["mean"].notna().any():
            mean = forecasts["mean"].to_numpy(float)
            spread = [mean - forecasts["lo"].to_numpy(float), forecasts["hi"].to_numpy(float) - mean]
            ax.errorbar(mean, list(positions), xerr=spread, fmt="o", capsize=3)
            ax.set_xlabel("forecast (mean and 90% interval)")
        else:
            ax.barh(list(positions), forecasts["p"].to_numpy(float), color="#1f77b4")
            ax.set_xlim(0, 1)
            ax.set_xlabel("probability")
        ax.set_yticks(list(positions), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=10)
    return path
