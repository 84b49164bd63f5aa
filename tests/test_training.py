"""fit() and History: learning happens, runs are reproducible, a NaN loss stops with a clear error."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.data import load_digits
from dlopt.nn import MLP


@pytest.fixture(scope="module")
def data():
    return load_digits(n_train=300)


def test_fit_learns_the_digits(data):
    model = MLP(64, (32,), 10, rng=0)
    history = dlopt.fit(model, dlopt.Momentum(lr=0.05), data, epochs=10, batch_size=32)
    assert history.epochs == 10
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.val_acc[-1] > 0.85
    assert len(history.step_loss) == 10 * int(np.ceil(300 / 32))


def test_fit_is_reproducible(data):
    runs = [dlopt.fit(MLP(64, (16,), 10, rng=1), dlopt.Adam(lr=1e-2), data, 3, seed=7) for _ in range(2)]
    assert runs[0].step_loss == runs[1].step_loss


def test_diverging_loss_raises_a_clear_error(data):
    model = MLP(64, (32,), 10, rng=0)
    with pytest.raises(FloatingPointError, match="lr=1e\\+09"):
        dlopt.fit(model, dlopt.SGD(lr=1e9), data, epochs=5)


def test_schedule_sets_the_learning_rate_every_iteration(data):
    history = dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), data, epochs=1, batch_size=100,
                        schedule=lambda i: 0.1 / (i + 1))
    assert history.lr == [0.1, 0.05, 0.1 / 3]


def test_early_stopping_ends_training_and_records_the_epoch(data):
    es = dlopt.EarlyStopping(patience=0)
    history = dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=5.0), data, epochs=50, early_stopping=es)
    assert history.stopped_epoch is not None and history.epochs == history.stopped_epoch + 1
    assert es.stopped_epoch == history.stopped_epoch
