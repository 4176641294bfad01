"""Coding one long run-on "sentence" (no full stop): CPU seconds at 5,000 to 40,000 characters, against the same
text with a full stop after every clause (the baseline, measured in the same run). Attack review 6, F9: before
pieces.LONG_SENTENCE, each doubling cost 4-5x (5k 0.18 s, 10k 0.74 s, 20k 3.85 s; the baseline at 20k 0.02 s).
Target: each doubling costs about 2x (near-linear), and the run-on stays within a small factor of the baseline.

    PYTHONPATH=src python bench/long_sentence_bench.py
"""

from __future__ import annotations

import time

from geodrift import code_text

CLAUSE = "Armenian forces shelled Azerbaijani villages and Russia urged Turkey to help Georgia"


def cpu(text: str) -> float:
    """CPU seconds to code ``text`` (the best of three: the machine is shared)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        code_text(text, published="2020-07-24")
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    code_text("Russia urged Turkey to help Georgia.", published="2020-07-24")  # load the dictionaries first
    run_on, stopped = " ".join([CLAUSE] * 600), ". ".join([CLAUSE] * 600) + "."
    previous = None
    print(f"{'chars':>7} {'run-on s':>9} {'stopped s':>10} {'ratio':>6} {'x per doubling':>15}")
    for size in (5_000, 10_000, 20_000, 40_000):
        slow, base = cpu(run_on[:size]), cpu(stopped[:size])
        growth = f"{slow / previous:.2f}" if previous else ""
        print(f"{size:>7,} {slow:>9.3f} {base:>10.3f} {slow / base:>6.2f} {growth:>15}")
        previous = slow


if __name__ == "__main__":
    main()
