"""The model interface: keyword-only parameters, fit returns self, get_params/clone give fresh copies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodrift.forecast.backtest import alignment_models, count_models, escalation_models
from geodrift.forecast.distributions import CountDistribution, NormalDistribution
from geodrift.forecast.features import FEATURES
from geodrift.forecast.models import Calibrated, GradientBoosting, NegBinCounts

ALL = {**escalation_models(2), **{f"c-{k}": v for k, v in count_models().items()},
       **{f"a-{k}": v for k, v in alignment_models().items()}}


def frame(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Features whose last-30-day count drives a negative-binomial outcome (mean = 0.8 * c30 + 0.2)."""
    rng = np.random.default_rng(seed)
    c30 = rng.poisson(rng.gamma(1.0, 3.0, n))
    X = pd.DataFrame({c: rng.poisson(2, n).astype(float) for c in FEATURES})
    X["c30"] = c30.astype(float)
    X["recent"] = (c30 > 0).astype(float)
    X["unit"] = rng.choice(["A", "B", "C"], n)
    X["origin"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(n) // 3 * 7, unit="D")
    X["last"], X["mean"], X["horizon"] = rng.normal(0, 1, n), 0.0, rng.choice([1, 5], n)
    mean = 0.8 * c30 + 0.2
    y = rng.negative_binomial(2, 2 / (2 + mean)).astype(float)
    return X, y


@pytest.mark.parametrize("name", sorted(ALL))
def test_interface(name: str) -> None:
    model = ALL[name]
    params = model.get_params()
    copy = model.clone()
    assert copy is not model and type(copy) is type(model) and copy.get_params().keys() == params.keys()
    X, y = frame()
    assert model.fit(X, y) is model
    out = model.predict(X.head(50))
    if model.kind == "binary":
        assert out.shape == (50,) and np.all((out > 0) & (out < 1))
    elif model.kind == "counts":
        assert isinstance(out, CountDistribution) and out.mean.shape == (50,)
    else:
        assert isinstance(out, NormalDistribution) and np.all(out.sd > 0)
    with pytest.raises(TypeError):
        type(model)(1)  # parameters are keyword-only


def test_clone_is_unfitted_and_deep() -> None:
    model = Calibrated(base=GradientBoosting(k=1, max_iter=20))
    X, y = frame()
    model.fit(X, y)
    copy = model.clone()
    assert copy.base is not model.base and not hasattr(copy, "model_")
    assert copy.get_params()["base"].get_params() == model.base.get_params()


def test_negbin_recovers_the_mean_relation() -> None:
    X, y = frame(3000, seed=1)
    dist = NegBinCounts().fit(X, y).predict(X)
    ratio = dist.mean[X.c30 > 8].mean() / y[X.c30 > 8].mean()
    assert 0.85 < ratio < 1.15
    assert 0.2 < dist.alpha[0] < 1.0  # true NB2 alpha is 1/2


def test_boosted_probabilities_rank_by_recent_conflict() -> None:
    X, y = frame(2000, seed=2)
    p = GradientBoosting(k=1).fit(X, y).predict(X)
    assert p[X.c30 >= 6].mean() > p[X.c30 == 0].mean() + 0.3
