"""穴埋め of chapters/early_stopping: the epoch at which early stopping stops."""

from __future__ import annotations

import numpy as np

from .grader import register


def _early_stopping_inputs(rng):
    # Validation losses on a grid of 0.25 (exact in binary: ties and changes of exactly min_delta are
    # exact, so `value < best - min_delta` and `value + min_delta < best` agree), then a rise of
    # patience + 1 values so that every sequence stops and the epoch, a number, is compared.
    patience = int(rng.integers(0, 4))
    values = 8.0 + np.cumsum(rng.choice([-0.5, -0.25, 0.0, 0.0, 0.25], size=int(rng.integers(3, 12))))
    tail = values.max() + 0.25 * np.arange(1, patience + 2)
    return {
        "values": [float(v) for v in np.concatenate([values, tail])],
        "patience": patience,
        "min_delta": float(rng.choice([0.0, 0.25, 0.5])),
    }


@register("early_stopping_stop_epoch", "早期終了のカウンタ（止まるエポック）", _early_stopping_inputs)
def early_stopping_stop_epoch(values, patience, min_delta):
    """The 0-based epoch at which early stopping (mode "min", Keras's rule) stops, or None."""
    best, wait = None, 0
    for epoch, value in enumerate(values):
        if best is None or value < best - min_delta:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return None
