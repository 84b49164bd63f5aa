"""穴埋め of chapters/early_stopping: the epoch at which early stopping stops."""

from __future__ import annotations

import numpy as np

from .grader import register

# (best, value, min_delta), written to one decimal: value lies exactly min_delta below best, and the
# two ways of writing the test decide it differently in floats. Keras (and dlopt, and the references
# here) compute value + min_delta < best; value < best - min_delta rounds best - min_delta on its
# own (0.4 - 0.1 = 0.30000000000000004 > 0.3, so 0.3 after 0.4 would count as an improvement).
FLOAT_TIES = ((0.4, 0.3, 0.1), (0.8, 0.6, 0.2), (0.9, 0.7, 0.2), (1.1, 0.9, 0.2), (2.1, 1.9, 0.2))


def tenths(values) -> list[float]:
    """Integers counted in tenths as the floats that the decimal numbers 0.1·k are (4 -> 0.4)."""
    return [int(k) / 10 for k in values]


def _early_stopping_inputs(rng):
    # Validation losses written to one decimal, as printed losses are, and min_delta 0, 0.1 or 0.2.
    # Half of the sequences are a random walk; the other half drop from a new best by exactly
    # min_delta (a float tie of FLOAT_TIES), where the two ways of writing the test disagree. Every
    # sequence ends with patience + 1 values above its maximum so that it stops and the epoch, a
    # number, is compared.
    patience = int(rng.integers(0, 4))
    if rng.random() < 0.5:
        best, value, min_delta = FLOAT_TIES[int(rng.integers(len(FLOAT_TIES)))]
        # strict improvements (drops of 0.3 or more) down to best, then the tie
        top = round(10 * best) + int(rng.integers(5, 30))
        head = top - np.cumsum(np.concatenate([[0], rng.integers(3, 8, size=int(rng.integers(0, 4)))]))
        walk = [*tenths(head[head > round(10 * best) + 2]), best, value]
    else:
        min_delta = float(rng.choice([0.0, 0.1, 0.2]))
        steps = rng.choice([-4, -2, -1, 0, 0, 2], size=int(rng.integers(3, 12)))
        walk = tenths(80 + np.cumsum(steps))
    highest = round(10 * max(walk))
    tail = tenths(highest + np.arange(1, patience + 2))
    return {"values": walk + tail, "patience": patience, "min_delta": min_delta}


@register("early_stopping_stop_epoch", "早期終了のカウンタ（止まるエポック）", _early_stopping_inputs)
def early_stopping_stop_epoch(values, patience, min_delta):
    """The 0-based epoch at which early stopping (mode "min", Keras's rule) stops, or None.

    Improvement is value + min_delta < best, computed in this order as Keras does."""
    best, wait = None, 0
    for epoch, value in enumerate(values):
        if best is None or value + min_delta < best:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return None
