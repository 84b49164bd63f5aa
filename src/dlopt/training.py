"""``fit``: the mini-batch training loop of the book; ``History``, what it records; and callbacks.

One epoch = one pass over the training data in shuffled mini-batches; one iteration = one
``optimizer.update``. After every epoch the loss and accuracy on the training and validation data
are recorded.

Before the first update ``fit`` checks its arguments and the data: the inputs ``x_train`` and
``x_val`` must be finite, the labels ``t_train`` and ``t_val`` 1-D integers in [0, C), C being the
model's output size. A loss that becomes NaN or inf stops training with ``TrainingDiverged``, a
``FloatingPointError`` that carries the ``History`` recorded so far in ``error.history``.

Callbacks (as Keras's ``model.fit(..., callbacks=[...])``, but minimal): ``fit(..., callbacks=[cb])``
takes any objects that have one or both of these methods::

    on_train_begin(model) -> None                          # once, before the first epoch
    on_epoch_end(epoch, history, model) -> bool | None     # after every epoch; True: stop training

``epoch`` is 0-based and ``history`` already holds that epoch's metrics (``history.val_loss[-1]``).
When a callback returns True, every callback still sees that epoch, training ends after it and
``history.stopped_epoch`` records it. ``dlopt.EarlyStopping`` is such a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from . import validation
from .data import Dataset, minibatches
from .nn import check_labels

__all__ = ["History", "TrainingDiverged", "fit"]


@dataclass
class History:
    """Per-epoch metrics (lists indexed by epoch) and the loss and learning rate of every iteration.

    ``stopped_epoch`` is the epoch after which a callback stopped training (None: all epochs ran).
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    stopped_epoch: int | None = None

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    @property
    def best_epoch(self) -> int:
        """0-based epoch with the lowest validation loss (NaN epochs of a diverged run are skipped)."""
        return int(np.nanargmin(self.val_loss))


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or inf. ``history`` holds everything recorded up to that point; the
    non-finite loss is the last entry of ``history.step_loss`` (or of ``history.train_loss``)."""

    def __init__(self, message: str, history: History | None = None) -> None:
        super().__init__(message)
        self.history = history


def fit(
    model,
    optimizer,
    data: Dataset,
    epochs: int,
    batch_size: int = 64,
    seed: int = 0,
    callbacks: Iterable = (),
    schedule: Callable[[int], float] | None = None,
) -> History:
    """Train ``model`` (``dlopt.nn.MLP``) with ``optimizer`` on ``data`` and return its ``History``.

    ``seed`` fixes the order of the mini-batches. ``schedule(iteration)`` (0-based), if given, sets
    ``optimizer.lr`` before every iteration. ``callbacks`` is a list of objects with
    ``on_train_begin(model)`` and/or ``on_epoch_end(epoch, history, model) -> bool | None``
    (True: stop after this epoch), as described in the module's docstring; for example
    ``fit(..., callbacks=[dlopt.EarlyStopping(patience=10)])``.
    Raises ``TrainingDiverged`` (a ``FloatingPointError``, with ``.history``) if the loss becomes NaN/inf.
    """
    epochs = validation.count("epochs", epochs)
    batch_size = validation.count("batch_size", batch_size, low=1)
    rng = validation.generator(seed, "seed")
    callbacks = _checked_callbacks(callbacks)
    if schedule is not None and not callable(schedule):
        raise TypeError(
            f"schedule は関数 schedule(iteration) か None です（{type(schedule).__name__} が渡されました）"
        )
    _check_data(model, data)
    history = History()
    for callback in callbacks:
        if hasattr(callback, "on_train_begin"):
            callback.on_train_begin(model)
    iteration = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            for x_batch, t_batch in minibatches(data.x_train, data.t_train, batch_size, rng):
                if schedule is not None:
                    optimizer.lr = schedule(iteration)
                loss, grads = model.loss_and_gradient(x_batch, t_batch)
                history.step_loss.append(loss)
                history.lr.append(optimizer.lr)
                _check_finite(loss, f"エポック {epoch + 1} のミニバッチ", iteration, optimizer, history)
                optimizer.update(model.params, grads)
                iteration += 1
            history.train_loss.append(model.loss(data.x_train, data.t_train))
            history.val_loss.append(model.loss(data.x_val, data.t_val))
            history.train_acc.append(model.accuracy(data.x_train, data.t_train))
            history.val_acc.append(model.accuracy(data.x_val, data.t_val))
            end = f"エポック {epoch + 1} の終わり"
            _check_finite(history.train_loss[-1], end, iteration, optimizer, history)
            if _stop_requested(callbacks, epoch, history, model):
                history.stopped_epoch = epoch
                break
    return history


def _check_finite(loss: float, where: str, updates: int, optimizer, history: History) -> None:
    """Raise TrainingDiverged if ``loss`` is NaN/inf; ``updates`` counts the updates done so far."""
    if np.isfinite(loss):
        return
    if updates == 0:  # no update yet: the learning rate cannot be the cause
        hint = "最初の更新の前から発散しています。重みの初期値が大きすぎないか確かめてください。"
    else:
        hint = (
            f"学習率 lr={optimizer.lr:g} が大きすぎる可能性があります。lr を下げてください。"
            f" / The loss became {loss}: try a smaller learning rate."
        )
    message = f"損失が {loss} になりました（{updates} 回の更新の後、{where}）。{hint}"
    raise TrainingDiverged(message, history)


def _checked_callbacks(callbacks) -> list:
    if not isinstance(callbacks, Iterable) or _is_callback(callbacks):
        raise TypeError(
            f"callbacks はコールバックのリストです（{type(callbacks).__name__} が渡されました。"
            "callbacks=[es] のようにリストで渡します）"
        )
    callbacks = list(callbacks)
    for callback in callbacks:
        if not _is_callback(callback):
            raise TypeError(
                "コールバックは on_train_begin(model) か on_epoch_end(epoch, history, model) を持つ"
                f"オブジェクトです（{type(callback).__name__} にはどちらもありません）"
            )
    return callbacks


def _is_callback(obj) -> bool:
    return hasattr(obj, "on_train_begin") or hasattr(obj, "on_epoch_end")


def _stop_requested(callbacks: list, epoch: int, history: History, model) -> bool:
    """Call every callback's ``on_epoch_end``; True if any of them answered True."""
    stop = False
    for callback in callbacks:
        if not hasattr(callback, "on_epoch_end"):
            continue
        answer = callback.on_epoch_end(epoch, history, model)
        if answer is not None and not isinstance(answer, (bool, np.bool_)):
            raise TypeError(
                f"{type(callback).__name__}.on_epoch_end は True・False・None のどれかを返します"
                f"（{type(answer).__name__} が返されました）"
            )
        stop = stop or bool(answer)
    return stop


def _check_data(model, data) -> None:
    """Inputs of the model's width, finite; labels 1-D integers in [0, C); parameters finite."""
    if not isinstance(data, Dataset):
        raise TypeError(f"data は dlopt.data.Dataset です（{type(data).__name__} が渡されました）")
    for split in ("train", "val"):
        x, name = getattr(data, f"x_{split}"), f"x_{split}"
        if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.number):
            raise TypeError(f"入力 {name} は数の配列です（{type(x).__name__} が渡されました）")
        if x.ndim != 2 or x.shape[1] != model.input_size or len(x) == 0:
            raise ValueError(
                f"入力 {name} は形 (N, {model.input_size})、N ≥ 1 の配列です（形 {x.shape} が渡されました）"
            )
        bad = x.size - np.count_nonzero(np.isfinite(x))
        if bad:
            raise ValueError(f"入力 {name} に NaN/inf が含まれています（{bad} 個）")
        check_labels(getattr(data, f"t_{split}"), model.output_size, n=len(x), name=f"t_{split}")
    for key, p in model.params.items():
        bad = np.size(p) - np.count_nonzero(np.isfinite(p))
        if bad:
            raise ValueError(f"モデルのパラメータ params[{key!r}] に NaN/inf が含まれています（{bad} 個）")
