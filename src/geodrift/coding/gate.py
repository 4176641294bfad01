"""The hybrid coder's learned gate (model version 6): which of the five event classes a sentence the dictionary is
unsure of reports, from the dictionary's reading and the event model's probabilities together (issue 18).

Why a learned gate: the event model alone is right about the class more often than the dictionary on the caucasus
summaries (5-class 0.81 against 0.67 on the tuning fifth) and less often on the PLOVER records (0.71 against 0.77 on
the development split), so no fixed rule of thresholds on the model's probability serves both. The gate is a
multinomial logistic regression over 20 numbers: the model's log P of each class (among events), the class of the
dictionary's main act (or none), the classes of all its acts, and the dictionary's reading (sure, generic,
conflicting, silent). It is fitted by tools/build_event_model.py on sentences the event model never saw: the PLOVER
development split and the caucasus tuning fifth (never on the hold-outs), and shipped as a (21, 5) array in the
model file (its last row the intercepts).
"""

from __future__ import annotations

import math

import numpy as np

from geodrift.coding.model import CLASSES, event_class, model_classes

EVENT_CLASSES = CLASSES[1:]
STATES = ("sure", "generic", "conflicting", "silent")
WIDTH = 2 * len(EVENT_CLASSES) + len(CLASSES) + len(STATES)


def features(p: dict[str, float], codes: list[str], main: str | None, state: str) -> np.ndarray:
    """The gate's input for one sentence: P(root) of the event model, the dictionary's codes, the root (or code) of
    its main act (None when silent) and its reading."""
    classes = model_classes(p)
    total = max(sum(classes.values()), 1e-12)
    found = {event_class(c) for c in codes}
    main_class = event_class(main)
    return np.array([math.log(classes[c] / total + 1e-6) for c in EVENT_CLASSES]
                    + [float(main_class == c) for c in CLASSES] + [float(c in found) for c in EVENT_CLASSES]
                    + [float(state == s) for s in STATES])


def gate_classes(weights: np.ndarray, p: dict[str, float], codes: list[str], main: str | None,
                 state: str) -> dict[str, float]:
    """P(class) of the five event classes by the gate whose weights (``WIDTH`` + 1 rows: features, then the
    intercepts; one column per class) are ``weights``."""
    scores = features(p, codes, main, state) @ weights[:-1] + weights[-1]
    scores = np.exp(scores - scores.max())
    return dict(zip(EVENT_CLASSES, (scores / scores.sum()).tolist(), strict=True))
