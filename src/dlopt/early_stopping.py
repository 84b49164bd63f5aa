r"""Early stopping with the semantics of Keras's ``EarlyStopping``.

The first value always improves; later, improvement means value + min_delta < best (mode "min")
or value − min_delta > best (mode "max"), computed in this order as Keras does. The wait counter
resets on improvement, otherwise grows by one, and ``step`` returns True once it reaches
``patience``. NaN or inf stops at once (Keras 3 takes a NaN in the first epoch as its best value and
counts a later one as an epoch without improvement; PyTorch Lightning's ``check_finite`` stops, as
here).
``start_from_epoch`` ignores the first values (a warm-up), as in Keras.

``EarlyStopping`` is also a callback of ``dlopt.fit`` (``fit(..., callbacks=[es])``, as in Keras):
``on_train_begin`` resets it, ``on_epoch_end`` steps it with the validation loss and the model's
parameters.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from . import validation

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Watch a validation metric once per epoch; say when to stop; keep and restore the best weights.

    Epochs are the 0-based indices of the ``step`` calls since the last ``reset``.
    ``restore_best=True`` copies the best parameters back when ``step`` says stop;
    ``restore(params)`` does it at any time (for instance after a run that did not stop early).
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, mode: str = "min", restore_best=True,
                 start_from_epoch: int = 0):
        self.patience = validation.count("patience", patience)
        self.min_delta = validation.number("min_delta", min_delta)
        self.mode = validation.choice("mode", mode, ("min", "max"))
        self.restore_best = bool(restore_best)
        self.start_from_epoch = validation.count("start_from_epoch", start_from_epoch)
        self.reset()

    def reset(self) -> None:
        """Start over, as if just constructed (``fit`` calls this at the start of every run)."""
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
        """Record this epoch's ``value``; return True when training should stop now.

        Bad input (a ``value`` that is not a number, ``params`` that is not a dict of arrays or
        floats) raises before anything is recorded.
        """
        value = _checked_value(value)
        if params is not None:
            _check_params(params)
        self.epoch += 1
        if not math.isfinite(value):
            return self._stop(params)
        if self.epoch < self.start_from_epoch:
            return False
        if self._improves(value):
            self.best_value, self.best_epoch, self.wait = value, self.epoch, 0
            self.best_params = None  # no weights of this epoch: keep none of an older one
            if params is not None:
                self.best_params = {key: np.copy(p) for key, p in params.items()}
            return False
        self.wait += 1
        return self._stop(params) if self.wait >= self.patience else False

    def _stop(self, params) -> bool:
        self.stopped_epoch = self.epoch
        if self.restore_best and params is not None and self.best_params is not None:
            self.restore(params)
        return True

    def restore(self, params: dict) -> None:
        """Copy the parameters of epoch ``best_epoch`` back into ``params`` in place (models keep
        references). Nothing happens while no epoch has improved (``best_epoch`` is None).

        Every key and shape is checked before anything is written (an error names the key and both
        shapes); the best epoch must have been stepped with ``params``.
        """
        if self.best_epoch is None:
            return
        _check_fits(params, self.best_params, self.best_epoch)
        for key, best in self.best_params.items():
            validation.write_back(params, key, best)

    # The callback protocol of dlopt.fit (as Keras's callbacks=[es])

    def on_train_begin(self, model) -> None:
        """``fit`` starts a run: forget the previous one."""
        self.reset()

    def on_epoch_end(self, epoch: int, history, model) -> bool:
        """``fit`` finished an epoch: step with its validation loss and the model's parameters."""
        return self.step(history.val_loss[-1], model.params)


def _checked_value(value) -> float:
    """``value`` as a float: a real number (NaN and inf included) or a 0-d array of one."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(
            f"value は実数でなければなりません（{type(value).__name__} の {value!r} が渡されました）"
        )
    return float(value)


def _check_params(params) -> None:
    if not isinstance(params, dict):
        raise TypeError(f"params は名前から配列への dict です（{type(params).__name__} が渡されました）")
    for key, p in params.items():
        numeric = isinstance(p, Real) and not isinstance(p, (bool, np.bool_))
        if isinstance(p, np.ndarray):
            numeric = np.issubdtype(p.dtype, np.floating) or np.issubdtype(p.dtype, np.integer)
        if not numeric:
            kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
            raise TypeError(
                f"params[{key!r}] は数の配列か float でなければなりません（{kind} が渡されました）"
            )


def _check_fits(params, best_params: dict | None, best_epoch: int) -> None:
    """``params`` can take the recorded ``best_params`` back: same keys, same shapes, writeable."""
    if best_params is None:
        raise ValueError(
            f"エポック {best_epoch} の重みは記録されていません"
            "（そのエポックの step に params が渡されませんでした）"
        )
    _check_params(params)
    for key in best_params:
        if key not in params:
            raise KeyError(f"params にキー {key!r} がありません（エポック {best_epoch} には記録があります）")
    for key in params:
        if key not in best_params:
            raise KeyError(f"params のキー {key!r} は、エポック {best_epoch} の記録にありません")
    for key, best in best_params.items():
        if np.shape(params[key]) != best.shape:
            raise ValueError(
                f"params[{key!r}] の形 {np.shape(params[key])} が、"
                f"エポック {best_epoch} に記録した形 {best.shape} と違います"
            )
        if isinstance(params[key], np.ndarray) and not params[key].flags.writeable:
            raise ValueError(f"params[{key!r}] は読み取り専用の配列なので、その場で戻せません")
