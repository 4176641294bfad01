"""Charts of analytics results: PNG/SVG with matplotlib, interactive HTML with plotly (offline).

The output kind follows the file suffix: .png, .svg or .html.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from geodrift.errors import InputError

SUFFIXES = (".png", ".svg", ".html")


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


LABELS = {"goldstein_mean": "mean Goldstein", "conflict_events": "material-conflict events"}
"""Legend names of series columns that are not words."""


def isolated(lo: pd.Series, hi: pd.Series) -> pd.Series:
    """Periods with a known interval whose neighbours have none: a shaded band between points leaves them bare."""
    known = lo.notna() & hi.notna()
    return known & ~known.shift(1, fill_value=False) & ~known.shift(-1, fill_value=False)


def series_chart(frame: pd.DataFrame, column: str, path: Path, *, title: str, lo: str | None = None,
                 hi: str | None = None, changes: Sequence[pd.Timestamp] = (), ylabel: str | None = None) -> Path:
    """A dated series with an optional shaded interval and vertical change-point lines."""
    _check(path)
    label = LABELS.get(column, column.replace("_", " "))
    if frame.empty or frame[column].notna().sum() == 0:
        raise InputError(f"nothing to chart: the {column} series is empty for this selection")
    if path.suffix.lower() == ".html":
        import plotly.graph_objects as go

        fig = go.Figure()
        if lo and hi:
            fig.add_trace(go.Scatter(x=list(frame.period) + list(frame.period[::-1]),
                                     y=list(frame[hi]) + list(frame[lo][::-1]), fill="toself",
                                     line={"width": 0}, fillcolor="rgba(31,119,180,0.2)", name="interval"))
        fig.add_trace(go.Scatter(x=frame.period, y=frame[column], mode="lines+markers", name=label))
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
        for i, when in enumerate(changes):
            ax.axvline(pd.Timestamp(when).to_pydatetime(), color="firebrick", linestyle="--",
                       label="change point" if i == 0 else None)
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.set_title(title)
        ax.set_ylabel(ylabel or label)
        ax.legend(loc="best", fontsize=8)
        fig.autofmt_xdate()
    return path


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
    """Events with coordinates as points coloured by quad class (no basemap: works offline)."""
    _check(path)
    located = events.dropna(subset=["action_geo_lat", "action_geo_lon"])
    if located.empty:
        raise InputError("nothing to map: no selected event has coordinates")
    colours = {1: "#1f77b4", 2: "#2ca02c", 3: "#ff7f0e", 4: "#d62728"}
    if path.suffix.lower() == ".html":
        import plotly.express as px

        fig = px.scatter(located, x="action_geo_lon", y="action_geo_lat", color=located.quad_class.astype(str),
                         hover_data=["event_date", "event_code", "action_geo_name", "outlet"], title=title,
                         color_discrete_map={str(k): v for k, v in colours.items()})
        fig.update_yaxes(scaleanchor="x")
        fig.write_html(path, include_plotlyjs=True)
        return path
    with _figure(path, (7, 5)) as (fig, ax):
        for quad in sorted(located.quad_class.dropna().astype(int).unique()):
            group = located[located.quad_class == quad]
            ax.scatter(group.action_geo_lon, group.action_geo_lat, s=12, alpha=0.6, color=colours.get(quad, "grey"),
                       label=f"quad class {quad}")
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.set_aspect("equal", adjustable="datalim")
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
