"""One BLAS/OpenMP thread around the models' small scikit-learn fits and predictions.

Why one thread: at every origin a backtest fits on a few thousand rows, where thread start-up and spinning cost more
than the work (30x on a busy 2-core machine, forecast/models.py). Why a kept controller: ``threadpool_limits(1)``
looks up the loaded native libraries on every call (11 ms, reading each library's file), which the conflict
backtest's ~30,000 fits and predictions turned into a minute of CPU; the controller looks them up once.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache
from typing import Any


@cache
def _controller() -> Any:
    # Load scikit-learn's native parts first (its OpenMP runtime with the boosted trees, BLAS with the linear
    # models) so that the one lookup sees every library the models use.
    import sklearn.ensemble
    import sklearn.linear_model  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS and OpenMP run one thread (the libraries looked up once per process)."""
    limiter: AbstractContextManager[Any] = _controller().limit(limits=1)
    return limiter
