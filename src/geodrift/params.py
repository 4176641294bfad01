"""Parameters in ``__init__`` only, so any model or detector can be inspected and copied unfitted.

As in scikit-learn's BaseEstimator (sklearn/base.py): the parameters are the keyword-only arguments
of ``__init__``, stored unchanged under the same names; what ``fit`` learns goes in attributes
ending in ``_``. Then ``get_params`` reads them back and ``clone`` builds a fresh, unfitted copy.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any, Self


class Parametrised:
    """Base of forecasters and change-point detectors: ``get_params`` and ``clone`` from ``__init__``."""

    @classmethod
    def param_names(cls) -> list[str]:
        """Names of the parameters ``__init__`` takes, in order."""
        signature = inspect.signature(cls.__init__)
        return [name for name, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]

    def get_params(self) -> dict[str, Any]:
        """The keyword-only ``__init__`` arguments, as stored."""
        return {name: getattr(self, name) for name in self.param_names()}

    def clone(self) -> Self:
        """An unfitted copy with the same parameters (nested models cloned too)."""
        params = {k: v.clone() if isinstance(v, Parametrised) else copy.deepcopy(v) for k, v in self.get_params().items()}
        return type(self)(**params)

    @classmethod
    def with_settings(cls, **settings: Any) -> Self:
        """An instance taking those of ``settings`` that are its parameters (e.g. a task's ``k``), defaults
        for the rest: how a registry builds each of its implementations from one set of settings."""
        names = set(cls.param_names())
        return cls(**{k: v for k, v in settings.items() if k in names})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"
