r"""Early stopping with the semantics of Keras's ``EarlyStopping``.

The first value always improves; later, improvement means value < best − min_delta (mode "min")
or value > best + min_delta (mode "max"). The wait counter resets on improvement, otherwise grows by
one, and ``step`` returns True once it reaches ``patience``. NaN or inf stops at once (Keras would
count it as one more epoch without improvement; PyTorch Lightning's ``check_finite`` stops, as here).
``start_from_epoch`` ignores the first values (a warm-up), as in Keras.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["EarlyStopping"]


def _count(name: str, value) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be an int >= 0, got {value!r}")
    return int(value)


class EarlyStopping:
    """Watch a validation metric once per epoch; say when to stop; keep and restore the best weights.

    Epochs are the 0-based indices of the ``step`` calls. ``restore_best=True`` copies the best
    parameters back when ``step`` says stop; ``restore(params)`` does it at any time (for instance
    after a run that ended without stopping early).
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, mode: str = "min", restore_best=True,
                 start_from_epoch: int = 0):
        if not math.isfinite(min_delta) or min_delta < 0:
            raise ValueError(f"min_delta must be a finite number >= 0, got {min_delta!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience, self.min_delta, self.mode = _count("patience", patience), float(min_delta), mode
        self.restore_best = bool(restore_best)
        self.start_from_epoch = _count("start_from_epoch", start_from_epoch)
        self.best_value: float | None = None
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self.wait = 0
        self.epoch = -1
        self.best_params: dict[str, np.ndarray] | None = None

    def _improves(self, value: float) -> bool:
        if self.best_value is None:
            return True
        # value < best − min_delta, written as Keras computes it (value + min_delta < best), so that a
        # change of exactly min_delta (0.3 after 0.4 with min_delta 0.1) is no improvement, as in Keras
        if self.mode == "min":
            return value + self.min_delta < self.best_value
        return value - self.min_delta > self.best_value

    def step(self, value: float, params: dict | None = None) -> bool:
        """Record this epoch's ``value``; return True when training should stop now."""
        self.epoch += 1
        value = float(value)
        if not math.isfinite(value):
            return self._stop(params)
        if self.epoch < self.start_from_epoch:
            return False
        if self._improves(value):
            self.best_value, self.best_epoch, self.wait = value, self.epoch, 0
            if params is not None:
                self.best_params = {key: np.copy(p) for key, p in params.items()}
            return False
        self.wait += 1
        return self._stop(params) if self.wait >= self.patience else False

    def _stop(self, params) -> bool:
        self.stopped_epoch = self.epoch
        if self.restore_best and params is not None:
            self.restore(params)
        return True

    def restore(self, params: dict) -> None:
        """Copy the best epoch's values back into ``params`` in place (models keep references)."""
        if self.best_params is None:
            return
        for key, best in self.best_params.items():
            if isinstance(params[key], np.ndarray):
                params[key][...] = best
            else:
                params[key] = best.item()
