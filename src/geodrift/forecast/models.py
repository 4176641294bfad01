"""The built-in forecasting models (interface and registry: forecast/base.py).

Three kinds, by what predict returns:
- escalation ("binary"): y holds the conflict counts of each window; predict gives P(count >= k);
- counts: predict gives a CountDistribution of the count;
- alignment ("gaussian"): predict gives a NormalDistribution of the future position.
X is a frame of features (forecast/features.py, or alignment features) with a ``unit`` column.
get_params/clone let a backtest refit fresh copies at every origin, as in scikit-learn.
"""

from __future__ import annotations

import warnings
from typing import Self

import numpy as np
import pandas as pd

from geodrift.forecast.base import Forecaster
from geodrift.forecast.distributions import CountDistribution, NormalDistribution
from geodrift.forecast.features import FEATURES
from geodrift.forecast.threads import one_thread

EPS = 1e-4


def _clip(p: np.ndarray) -> np.ndarray:
    return np.asarray(np.clip(p, EPS, 1 - EPS), float)


def _design(X: pd.DataFrame) -> np.ndarray:
    """Log-scaled counts and rates: the features as the GLMs and the boosted trees see them."""
    columns = [np.log1p(X[c].to_numpy(float)) for c in FEATURES if c not in ("days_since", "recent", "volume30")]
    columns += [np.log1p(X["days_since"].to_numpy(float)), X["recent"].to_numpy(float),
                np.log1p(X["volume30"].to_numpy(float))]
    return np.column_stack(columns)


GLM_FEATURES = ["c30", "c365", "ewm7", "ewm90", "events30", "days_since", "volume30"]
SMALL_GLM_FEATURES = ["c30"]


def _glm_design(X: pd.DataFrame, features: list[str] = GLM_FEATURES) -> np.ndarray:
    """A few weakly collinear log features plus the persistence state: what the count GLMs regress on."""
    import statsmodels.api as sm

    columns = [np.log1p(X[c].to_numpy(float)) for c in features] + [X["recent"].to_numpy(float)]
    return np.asarray(sm.add_constant(np.column_stack(columns), has_constant="add"))


# ---- escalation: P(at least k conflict events in the window) -------------------------------------------------


class Climatology(Forecaster):
    """Each unit's historical frequency of windows with >= k events, shrunk toward the overall frequency."""

    kind = "binary"

    def __init__(self, *, k: int = 1, prior_weight: float = 10.0) -> None:
        self.k = k
        self.prior_weight = prior_weight

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        hit = (np.asarray(y) >= self.k).astype(float)
        self.overall_ = float(hit.mean()) if len(hit) else 0.5
        frame = pd.DataFrame({"unit": X.unit.to_numpy(), "hit": hit}).groupby("unit").hit.agg(["sum", "count"])
        self.rates_ = ((frame["sum"] + self.prior_weight * self.overall_) / (frame["count"] + self.prior_weight)).to_dict()
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return _clip(X.unit.map(self.rates_).fillna(self.overall_).to_numpy(float))


class Persistence(Forecaster):
    """What happened in the last window happens again, as a frequency: P(hit | last window hit or not),
    estimated from the training windows (a two-state Markov chain; a 0/1 forecast would score -inf)."""

    kind = "binary"

    def __init__(self, *, k: int = 1) -> None:
        self.k = k

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        hit = (np.asarray(y) >= self.k).astype(float)
        recent = X.recent.to_numpy(float) > 0
        self.p_ = {state: float((hit[recent == state].sum() + 0.5) / ((recent == state).sum() + 1))
                   for state in (False, True)}
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return _clip(np.where(X.recent.to_numpy(float) > 0, self.p_[True], self.p_[False]))


class NegBinEscalation(Forecaster):
    """P(N >= k) from a negative binomial regression of the window's count on the log features."""

    kind = "binary"

    def __init__(self, *, k: int = 1) -> None:
        self.k = k

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        self.counts_ = NegBinCounts().fit(X, np.asarray(y))
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return _clip(self.counts_.predict(X).sf_at_least(self.k))


class GradientBoosting(Forecaster):
    """Gradient-boosted trees (scikit-learn HistGradientBoostingClassifier) on the unit's features."""

    kind = "binary"

    def __init__(self, *, k: int = 1, max_iter: int = 150, learning_rate: float = 0.05, max_leaf_nodes: int = 15,
                 min_samples_leaf: int = 40, random_state: int = 0) -> None:
        self.k = k
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        from sklearn.ensemble import HistGradientBoostingClassifier

        hit = (np.asarray(y) >= self.k).astype(int)
        self.constant_ = float(hit.mean()) if len(hit) and hit.min() == hit.max() else None
        if self.constant_ is None:
            self.model_ = HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf, random_state=self.random_state)
            # One OpenMP thread: a backtest fits this on a few thousand rows at every origin, where thread start-up
            # and spinning cost 30x the work on a busy 2-core machine (10 s a fit instead of 0.3 s, measured).
            with one_thread():
                self.model_.fit(_design(X), hit)
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:

        if self.constant_ is not None:
            return _clip(np.full(len(X), self.constant_))
        with one_thread():
            return _clip(self.model_.predict_proba(_design(X))[:, 1])


class Calibrated(Forecaster):
    """A binary model recalibrated on a held-back window: the base is fitted on the earlier (1 - holdback)
    of the training origins, the calibrator (isotonic or Platt) on the predictions for the rest.

    Without a ``base``, the base is ``GradientBoosting(k=k)`` (as scikit-learn's CalibratedClassifierCV
    defaults its estimator); a base's own ``k``, when it has one, is the threshold calibrated for."""

    kind = "binary"

    def __init__(self, *, base: Forecaster | None = None, k: int = 1, method: str = "isotonic",
                 holdback: float = 0.3) -> None:
        if method not in ("isotonic", "platt"):
            raise ValueError(f"unknown calibration method {method!r}; use isotonic or platt")
        self.base = base
        self.k = k
        self.method = method
        self.holdback = holdback

    def _base(self) -> Forecaster:
        return self.base if self.base is not None else GradientBoosting(k=self.k)

    @property
    def name(self) -> str:
        return f"{self._base().name}+{self.method}"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        base = self._base()
        origins = np.sort(X.origin.unique())
        cut = origins[int(len(origins) * (1 - self.holdback))] if len(origins) > 3 else origins[-1]
        early = (X.origin < cut).to_numpy()
        if early.sum() == 0 or (~early).sum() == 0:
            self.model_ = base.clone().fit(X, y)
            self.calibrator_ = None
            return self
        self.model_ = base.clone().fit(X[early], np.asarray(y)[early])
        raw = self.model_.predict(X[~early])
        hit = (np.asarray(y)[~early] >= getattr(base, "k", self.k)).astype(float)
        if self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            self.calibrator_ = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(raw, hit)
        else:
            from sklearn.linear_model import LogisticRegression

            logit = np.log(raw / (1 - raw)).reshape(-1, 1)
            self.calibrator_ = LogisticRegression(C=1e4).fit(logit, hit) if 0 < hit.mean() < 1 else None
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        raw = np.asarray(self.model_.predict(X), float)
        if self.calibrator_ is None:
            return raw
        if self.method == "isotonic":
            return _clip(self.calibrator_.predict(raw))
        return _clip(self.calibrator_.predict_proba(np.log(raw / (1 - raw)).reshape(-1, 1))[:, 1])


# ---- counts: predictive distribution of the window's count --------------------------------------------------


class ZeroCounts(Forecaster):
    """The VIEWS 'no change from zero' benchmark: a point mass at 0."""

    kind = "counts"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        return self

    def predict(self, X: pd.DataFrame) -> CountDistribution:
        return CountDistribution(np.zeros(len(X)), np.zeros(len(X)), point=True)


class LastValueCounts(Forecaster):
    """The VIEWS last-value benchmark: a point mass at the last 30 days' count."""

    kind = "counts"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        return self

    def predict(self, X: pd.DataFrame) -> CountDistribution:
        return CountDistribution(X.c30.to_numpy(float), np.zeros(len(X)), point=True)


class ClimatologyCounts(Forecaster):
    """Each unit's historical count distribution (negative binomial by moments), pooled where a unit is new."""

    kind = "counts"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        frame = pd.DataFrame({"unit": X.unit.to_numpy(), "y": np.asarray(y, float)})
        stats = frame.groupby("unit").y.agg(["mean", "var"]).fillna(0.0)
        self.overall_ = (float(frame.y.mean()), float(frame.y.var()) if len(frame) > 1 else 0.0)
        self.stats_ = {u: (float(r["mean"]), float(r["var"])) for u, r in stats.iterrows()}
        return self

    def predict(self, X: pd.DataFrame) -> CountDistribution:
        pairs = [self.stats_.get(u, self.overall_) for u in X.unit]
        mean = np.array([m for m, _ in pairs])
        var = np.array([v for _, v in pairs])
        alpha = np.where(mean > 0, np.maximum(var - mean, 0) / np.maximum(mean, 1e-9) ** 2, 0.0)
        return CountDistribution(np.maximum(mean, 1e-6), alpha)


class NegBinCounts(Forecaster):
    """Negative binomial regression (NB2) of the count on the log features, including the store's news volume
    (a coverage covariate). Fitted in two IRLS passes with statsmodels GLM: Poisson for the mean, the dispersion
    alpha from the Cameron-Trivedi auxiliary regression, then the NB GLM with that alpha (fast enough to refit
    at every origin of a rolling backtest)."""

    kind = "counts"

    def __init__(self, *, max_iter: int = 50, min_positive_per_feature: int = 10) -> None:
        self.max_iter = max_iter
        self.min_positive_per_feature = min_positive_per_feature

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        import statsmodels.api as sm

        positive = int((np.asarray(y) > 0).sum())
        self.features_ = (GLM_FEATURES if positive >= self.min_positive_per_feature * (len(GLM_FEATURES) + 2)
                          else SMALL_GLM_FEATURES)
        """Few windows with events cannot support every feature: then only the last 30 days and the state."""
        design = _glm_design(X, self.features_)
        self.range_ = (design.min(axis=0), design.max(axis=0)) if len(design) else None
        """Predictors are clipped to the training range: a GLM must not extrapolate to unseen covariates."""
        y = np.asarray(y, float)
        self.params_, self.alpha_ = None, 0.0
        self.ceiling_ = float(np.log(3 * y.max() + 10)) if len(y) else 0.0
        """Predicted means stay below 3x the largest count seen: no extrapolation into the millions."""
        if y.sum() == 0:
            return self
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                poisson = sm.GLM(y, design, family=sm.families.Poisson()).fit(maxiter=self.max_iter)
                mu = np.clip(poisson.fittedvalues, 1e-6, None)
                self.alpha_ = float(np.clip(np.sum((y - mu) ** 2 - y) / np.sum(mu ** 2), 1e-6, 50))
                family = sm.families.NegativeBinomial(alpha=self.alpha_)
                self.params_ = np.asarray(sm.GLM(y, design, family=family).fit(
                    start_params=poisson.params, maxiter=self.max_iter).params)
            except (np.linalg.LinAlgError, ValueError):
                self.params_ = None
            if self.params_ is None or not np.all(np.isfinite(self.params_)):
                self.params_ = np.r_[np.log(y.mean()), np.zeros(design.shape[1] - 1)]
                self.alpha_ = float(max(y.var() - y.mean(), 0) / max(y.mean(), 1e-9) ** 2)
        return self

    def predict(self, X: pd.DataFrame) -> CountDistribution:

        if self.params_ is None:
            return CountDistribution(np.full(len(X), 1e-6), np.zeros(len(X)))
        design = _glm_design(X, self.features_)
        design = design if self.range_ is None else np.clip(design, *self.range_)
        mean = np.exp(np.clip(design @ self.params_, -20, self.ceiling_))
        return CountDistribution(mean, np.full(len(X), self.alpha_))


# ---- alignment: Gaussian predictive distribution of a future position --------------------------------------


class RandomWalkAlignment(Forecaster):
    """Persistence for a position: the last value, with a spread growing as sqrt(horizon)."""

    kind = "gaussian"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        steps = (np.asarray(y, float) - X["last"].to_numpy(float)) / np.sqrt(X["horizon"].to_numpy(float))
        self.sigma_ = float(np.sqrt(np.mean(steps ** 2))) if len(steps) else 1.0
        return self

    def predict(self, X: pd.DataFrame) -> NormalDistribution:
        return NormalDistribution(X["last"].to_numpy(float), self.sigma_ * np.sqrt(X["horizon"].to_numpy(float)))


class ClimatologyAlignment(Forecaster):
    """The unit's own mean so far, with the pooled spread of positions around units' means."""

    kind = "gaussian"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        self.sigma_ = float(np.sqrt(np.mean((np.asarray(y, float) - X["mean"].to_numpy(float)) ** 2))) or 1.0
        return self

    def predict(self, X: pd.DataFrame) -> NormalDistribution:
        return NormalDistribution(X["mean"].to_numpy(float), np.full(len(X), self.sigma_))


class DampedAlignment(Forecaster):
    """A direct, per-horizon regression of the future position on the last value and the unit's mean
    (a pooled AR(1) toward each unit's mean; statsmodels OLS), with the residual spread per horizon:
    intervals widen with the horizon as far as the data show they should."""

    kind = "gaussian"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        import statsmodels.api as sm

        self.fits_: dict[int, tuple[np.ndarray, float]] = {}
        y = np.asarray(y, float)
        for horizon in sorted(X.horizon.unique()):
            rows = (X.horizon == horizon).to_numpy()
            design = sm.add_constant(X.loc[rows, ["last", "mean"]].to_numpy(float), has_constant="add")
            if rows.sum() < 5:
                continue
            result = sm.OLS(y[rows], design).fit()
            self.fits_[int(horizon)] = (np.asarray(result.params), float(np.sqrt(result.scale)))
        self.fallback_ = RandomWalkAlignment().fit(X, y)
        return self

    def predict(self, X: pd.DataFrame) -> NormalDistribution:
        walk = self.fallback_.predict(X)
        mean, sd = walk.mean.copy(), walk.sd.copy()
        for horizon, (params, sigma) in self.fits_.items():
            rows = (X.horizon == horizon).to_numpy()
            mean[rows] = params[0] + X.loc[rows, ["last", "mean"]].to_numpy(float) @ params[1:]
            sd[rows] = sigma
        return NormalDistribution(mean, sd)
