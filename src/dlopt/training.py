"""``fit``: the mini-batch training loop of the book, and ``History``, what it records.

One epoch = one pass over the training data in shuffled mini-batches; one iteration = one
``optimizer.update``. After every epoch the loss and accuracy on the training and validation data
are recorded. A loss that becomes NaN or inf stops training with ``FloatingPointError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .data import Dataset, minibatches

__all__ = ["History", "fit"]


@dataclass
class History:
    """Per-epoch metrics (lists indexed by epoch) and the loss of every iteration."""

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
        """0-based epoch with the lowest validation loss."""
        return int(np.argmin(self.val_loss))

    def summary(self) -> str:
        last = self.epochs - 1
        return (
            f"epochs={self.epochs}  train_loss={self.train_loss[last]:.4f}  "
            f"val_loss={self.val_loss[last]:.4f}  val_acc={self.val_acc[last]:.4f}"
        )


def _check_finite(loss: float, epoch: int, step: int, optimizer) -> None:
    if not np.isfinite(loss):
        raise FloatingPointError(
            f"損失が {loss} になりました (epoch {epoch}, iteration {step})。"
            f"学習率 lr={optimizer.lr:g} が大きすぎる可能性があります。lr を下げてください。"
            f" / The loss became {loss}: try a smaller learning rate."
        )


def fit(
    model,
    optimizer,
    data: Dataset,
    epochs: int,
    batch_size: int = 64,
    seed: int = 0,
    early_stopping=None,
    schedule: Callable[[int], float] | None = None,
) -> History:
    """Train ``model`` (``dlopt.nn.MLP``) with ``optimizer`` and return its ``History``.

    ``schedule(iteration)`` (0-based), if given, sets ``optimizer.lr`` before every iteration.
    ``early_stopping`` (``dlopt.EarlyStopping``) sees the validation loss after every epoch; when
    it says stop, training ends (and it restores the best parameters if asked to). Any object with
    ``step(val_loss, params) -> bool`` works the same way: the chapters use one to record test
    metrics every epoch, or to stop at a target accuracy.
    """
    if epochs < 0:
        raise ValueError(f"epochs must be >= 0, got {epochs}")
    rng = np.random.default_rng(seed)
    history = History()
    iteration = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            for x_batch, t_batch in minibatches(data.x_train, data.t_train, batch_size, rng):
                if schedule is not None:
                    optimizer.lr = schedule(iteration)
                grads = model.gradient(x_batch, t_batch)
                _check_finite(model.last_loss, epoch, iteration, optimizer)
                history.step_loss.append(model.last_loss)
                history.lr.append(optimizer.lr)
                optimizer.update(model.params, grads)
                iteration += 1
            history.train_loss.append(model.loss(data.x_train, data.t_train))
            history.val_loss.append(model.loss(data.x_val, data.t_val))
            history.train_acc.append(model.accuracy(data.x_train, data.t_train))
            history.val_acc.append(model.accuracy(data.x_val, data.t_val))
            _check_finite(history.train_loss[-1], epoch, iteration, optimizer)
            if early_stopping is not None and early_stopping.step(history.val_loss[-1], model.params):
                history.stopped_epoch = epoch
                break
    return history
