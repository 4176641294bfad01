"""Next year's battle deaths per country, or per pair of states, as a distribution (docs/methods.md, "Battle deaths").

A hurdle model: P(any battle deaths) from a logistic regression on the history features, times the distribution
of log(1 + deaths) given deaths, a linear regression on the same features whose residual quantiles (from its
training rows) give the spread. The forecast is a set of quantiles; a quantile τ of the mixture is 0 when
τ ≤ 1 − P(any), else the conditional quantile at (τ − (1 − P)) / P. Baselines: climatology (the quantiles of all
training country-years, zeros included) and persistence (the last published year's deaths, as a point).
Scored by the mean pinball loss over τ = 0.05..0.95 on log(1 + deaths), whose double approximates the CRPS
(Gneiting & Raftery 2007, the quantile form), and by the coverage of the 10–90% interval.

Data: UCDP battle-related deaths (BRD), 1989 to its last year; a row for year Y reads features of Y−2 (GAP)
and trains on labels published by then, as the yearly conflict backtests do. Pairs: the deaths of their
state-against-state dyads (39 pair-years with deaths in 1989–2021, 12 pairs), every pair with a shared history a
unit; the pair's own deaths in Y−2 join its features (``deaths_last``) and are what persistence forecasts.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodrift.errors import InputError
from geodrift.forecast.conflict_data import ConflictHistory
from geodrift.forecast.conflict_features import GAP, panel
from geodrift.forecast.conflict_models import ConflictLogistic, conflict_design

LEVELS = np.round(np.arange(0.05, 0.96, 0.05), 2)
"""The quantile levels every model forecasts."""
FIRST_LABEL = 1989
"""BRD's first year."""
MIN_TRAIN_YEARS = 5


@dataclass
class DeathsBacktest:
    """Every forecast (unit, year, model, quantiles, deaths) and the scores per model."""

    quantiles: pd.DataFrame
    scores: pd.DataFrame
    level: str = "country"


def deaths_panel(history: ConflictHistory, level: str = "country") -> pd.DataFrame:
    """Country- or pair-years Y from BRD's first year to its last, with the history features of Y−GAP and
    ``deaths`` (pairs also ``deaths_last``: log(1 + the pair's deaths in Y−GAP), 0 before BRD begins)."""
    if not history.has("deaths"):
        raise InputError("no UCDP battle-related deaths in the store: ingest a BRD file "
                         "(geodrift ingest FILE --format ucdp-brd)")
    years = list(range(FIRST_LABEL, history.coverage["brd"] + 1))
    rows = panel(history, level, "conflict", 1, years)
    table = (history.countries if level == "country" else history.pairs).set_index(["unit", "year"]).deaths
    rows["deaths"] = table.reindex(pd.MultiIndex.from_frame(rows[["unit", "year"]])).to_numpy(float)
    if level == "pair":
        published = pd.MultiIndex.from_arrays([rows.unit, rows.year - GAP])
        rows["deaths_last"] = np.log1p(table.reindex(published).fillna(0.0).to_numpy(float))
    return rows[rows.deaths.notna()].reset_index(drop=True)


def _design(rows: pd.DataFrame) -> np.ndarray:
    return conflict_design(rows)


class HurdleDeaths:
    """P(any deaths) × the distribution of log(1 + deaths) given deaths (see the module docstring)."""

    name = "hurdle"

    def fit(self, rows: pd.DataFrame) -> HurdleDeaths:
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        y = np.log1p(rows.deaths.to_numpy(float))
        self.any_ = ConflictLogistic(C=0.3).fit(rows, (y > 0).astype(float))
        positive = rows[y > 0]
        self.size_ = make_pipeline(StandardScaler(), Ridge(alpha=10.0))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.size_.fit(_design(positive), y[y > 0])
        residuals = y[y > 0] - self.size_.predict(_design(positive))
        self.grid_ = np.linspace(0.0, 1.0, 101)
        self.residual_quantiles_ = np.quantile(residuals, self.grid_)
        return self

    def quantiles(self, rows: pd.DataFrame) -> np.ndarray:
        """One row per unit, one column per level in LEVELS, on log(1 + deaths)."""
        p = self.any_.predict(rows)
        centre = self.size_.predict(_design(rows))
        out = np.zeros((len(rows), len(LEVELS)))
        for j, tau in enumerate(LEVELS):
            conditional = np.clip((tau - (1 - p)) / p, 0.0, 1.0)
            spread = np.interp(conditional, self.grid_, self.residual_quantiles_)
            out[:, j] = np.where(tau <= 1 - p, 0.0, np.maximum(centre + spread, 0.0))
        return out


class ClimatologyDeaths:
    """The quantiles of every training country-year's log(1 + deaths), zeros included, for every unit."""

    name = "climatology"

    def fit(self, rows: pd.DataFrame) -> ClimatologyDeaths:
        self.levels_ = np.quantile(np.log1p(rows.deaths.to_numpy(float)), LEVELS)
        return self

    def quantiles(self, rows: pd.DataFrame) -> np.ndarray:
        return np.tile(self.levels_, (len(rows), 1))


class PersistenceDeaths:
    """The last published year's deaths (Y−GAP) as a point forecast: every quantile is that value."""

    name = "persistence"

    def fit(self, rows: pd.DataFrame) -> PersistenceDeaths:
        return self

    def quantiles(self, rows: pd.DataFrame) -> np.ndarray:
        return np.tile(rows.deaths_last.to_numpy(float)[:, None], (1, len(LEVELS)))


def pinball(quantiles: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean pinball loss over LEVELS per row (twice it approximates the CRPS)."""
    diff = y[:, None] - quantiles
    return np.asarray(np.maximum(LEVELS * diff, (LEVELS - 1) * diff).mean(axis=1), float)


def backtest_deaths(history: ConflictHistory, origins: list[int] | range | None = None, *,
                    origins_from: int = 0, level: str = "country") -> DeathsBacktest:
    """Rolling origins over BRD's years (from ``origins_from`` when later than the first trainable one): at each
    origin Y every model refits on the country-years whose deaths were published by Y−GAP and forecasts Y.

    Raises:
        InputError: no battle deaths in the store, or too few years to train and score.
    """
    rows = deaths_panel(history, level)
    last = history.coverage["brd"]
    origins = list(origins or range(max(origins_from, FIRST_LABEL + MIN_TRAIN_YEARS + GAP), last + 1))
    if not origins or min(origins) - GAP - FIRST_LABEL + 1 < MIN_TRAIN_YEARS or max(origins) > last:
        raise InputError(f"battle deaths: origins must lie in {FIRST_LABEL + MIN_TRAIN_YEARS + GAP - 1}..{last} "
                         f"(BRD covers {FIRST_LABEL}–{last})")
    frames = []
    for origin in origins:
        train, test = rows[rows.year <= origin - GAP], rows[rows.year == origin]
        y = np.log1p(test.deaths.to_numpy(float))
        for model in (ClimatologyDeaths(), PersistenceDeaths(), HurdleDeaths()):
            q = model.fit(train).quantiles(test)
            frames.append(pd.DataFrame({"unit": test.unit.to_numpy(), "year": origin, "model": model.name,
                                        "deaths": test.deaths.to_numpy(float), "median": np.expm1(q[:, 9]),
                                        "q10": np.expm1(q[:, 1]), "q90": np.expm1(q[:, 17]),
                                        "pinball": pinball(q, y),
                                        "covered": (y >= q[:, 1] - 1e-9) & (y <= q[:, 17] + 1e-9)}))
    forecasts = pd.concat(frames, ignore_index=True)
    return DeathsBacktest(forecasts, deaths_scores(forecasts), level)


def deaths_scores(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Per model: forecasts, mean pinball loss and CRPS (≈ 2 × pinball) on log(1 + deaths), its skill against
    climatology and persistence, the 10–90% coverage, and the pinball loss on the country-years with deaths."""
    table = forecasts.groupby("model", sort=False).agg(
        forecasts=("pinball", "size"), with_deaths=("deaths", lambda d: int((d > 0).sum())),
        pinball=("pinball", "mean"), coverage_80=("covered", "mean")).reset_index()
    table["crps"] = 2 * table.pinball
    positive = forecasts[forecasts.deaths > 0].groupby("model", sort=False).pinball.mean()
    table["pinball_with_deaths"] = table.model.map(positive)
    for reference in ("climatology", "persistence"):
        ref = float(table.set_index("model").pinball[reference])
        table[f"skill_vs_{reference}"] = 1 - table.pinball / ref
    return table
