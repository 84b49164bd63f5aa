"""fit() and History: learning happens, runs are reproducible, a NaN loss stops with a clear error."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

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
    history = dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=5.0), data, epochs=50, callbacks=[es])
    assert history.stopped_epoch is not None and history.epochs == history.stopped_epoch + 1
    assert es.stopped_epoch == history.stopped_epoch


# ------------------------------------------------------------------------------------------------
# The data is checked before training: labels, inputs, arguments


@pytest.mark.parametrize(
    ("split", "labels", "message"),
    [
        ("t_train", lambda t: t[:, None], r"ラベル t_train は 1 次元の整数の配列.*\(300, 1\)"),
        ("t_train", lambda t: np.where(t == 9, -1, t), "ラベル t_train は 0 以上 10 未満の整数.*-1"),
        ("t_val", lambda t: np.where(t == 9, -1, t), "ラベル t_val は 0 以上 10 未満の整数.*-1"),
        ("t_val", lambda t: t + 1, "ラベル t_val は 0 以上 10 未満の整数.*10"),
        ("t_train", lambda t: t.astype(np.float64), "ラベル t_train は 1 次元の整数の配列"),
        ("t_val", lambda t: t[:-1], "ラベル t_val の数"),
    ],
)
def test_bad_labels_are_refused_before_training(data, split, labels, message):
    bad = dataclasses.replace(data, **{split: labels(getattr(data, split))})
    model = MLP(64, (8,), 10, rng=0)
    before = {key: p.copy() for key, p in model.params.items()}
    with pytest.raises(ValueError, match=message):
        dlopt.fit(model, dlopt.SGD(lr=0.1), bad, epochs=1)
    for key, p in model.params.items():
        np.testing.assert_array_equal(p, before[key])  # nothing trained


@pytest.mark.parametrize("split", ["x_train", "x_val"])
def test_nan_in_the_inputs_is_reported_as_such_not_as_a_learning_rate(data, split):
    x = getattr(data, split).copy()
    x[0, :2], x[5, 7] = np.nan, np.inf
    bad = dataclasses.replace(data, **{split: x})
    with pytest.raises(ValueError, match=f"^入力 {split} に NaN/inf が含まれています（3 個）$"):
        dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), bad, epochs=1)


def test_inputs_of_the_wrong_width_are_refused(data):
    bad = dataclasses.replace(data, x_val=data.x_val[:, :63])
    with pytest.raises(ValueError, match=r"入力 x_val は形 \(N, 64\)"):
        dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), bad, epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"epochs": -1}, ValueError, "^epochs は 0 以上の整数"),
        ({"epochs": 2.5}, ValueError, "^epochs は 0 以上の整数"),
        ({"batch_size": 0}, ValueError, "^batch_size は 1 以上の整数"),
        ({"seed": "zero"}, TypeError, "^seed は np.random.Generator"),
        ({"schedule": 0.1}, TypeError, "^schedule は関数"),
    ],
)
def test_bad_arguments_get_clear_japanese_errors(data, kwargs, error, message):
    arguments = {"epochs": 1, **kwargs}
    with pytest.raises(error, match=message):
        dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), data, **arguments)


def test_data_that_is_not_a_dataset_is_refused(data):
    with pytest.raises(TypeError, match="^data は dlopt.data.Dataset です（tuple が渡されました）"):
        dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), (data.x_train, data.t_train), epochs=1)


# ------------------------------------------------------------------------------------------------
# Divergence: the error says what happened and carries the History


def test_divergence_carries_the_history_so_far(data):
    model = MLP(64, (32,), 10, rng=0)
    with pytest.raises(FloatingPointError, match="lr=1e\\+09") as caught:
        dlopt.fit(model, dlopt.SGD(lr=1e9), data, epochs=5, batch_size=64)
    error = caught.value
    assert isinstance(error, dlopt.training.TrainingDiverged)
    history = error.history
    found = re.search(r"(\d+) 回の更新の後、エポック (\d+) のミニバッチ", str(error))
    updates, epoch = (int(n) for n in found.groups())
    assert history.epochs == epoch - 1  # the epochs completed before the loss became NaN/inf
    assert len(history.step_loss) == len(history.lr) == updates + 1
    assert not np.isfinite(history.step_loss[-1]) and np.all(np.isfinite(history.step_loss[:-1]))
    assert epoch > 1 and len(history.val_acc) == epoch - 1 and history.stopped_epoch is None


def test_a_loss_that_is_nan_before_any_update_does_not_blame_the_learning_rate(data):
    model = MLP(64, (32,), 10, weight_init=1e155, rng=0)  # finite weights whose scores overflow
    with pytest.raises(FloatingPointError, match="0 回の更新の後") as caught:
        dlopt.fit(model, dlopt.SGD(lr=0.1), data, epochs=1)
    assert "lr=" not in str(caught.value)


def test_nan_in_the_parameters_is_reported_before_training(data):
    model = MLP(64, (8,), 10, rng=0)
    model.params["b1"][3] = np.nan
    with pytest.raises(ValueError, match=r"params\['b1'\] に NaN/inf が含まれています（1 個）"):
        dlopt.fit(model, dlopt.SGD(lr=0.1), data, epochs=1)


def test_best_epoch_skips_nan():
    assert dlopt.History(val_loss=[1.0, 0.5, np.nan]).best_epoch == 1


# ------------------------------------------------------------------------------------------------
# The loss comes back with the gradient (no side channel), and callbacks


def test_fit_records_the_loss_that_loss_and_gradient_returns(data):
    model = MLP(64, (16,), 10, rng=0)
    twin = MLP(64, (16,), 10, rng=0)
    history = dlopt.fit(model, dlopt.SGD(lr=0.1), data, epochs=1, batch_size=300)  # one batch: all data
    loss, grads = twin.loss_and_gradient(data.x_train, data.t_train)
    assert history.step_loss == [loss] and loss == twin.loss(data.x_train, data.t_train)
    assert not hasattr(model, "last_loss") and not hasattr(twin, "last_loss")


class Recorder:
    """A callback that records what fit tells it and stops at ``stop_at``."""

    def __init__(self, stop_at=None):
        self.stop_at, self.calls = stop_at, []

    def on_train_begin(self, model):
        self.calls.append(("begin", model))

    def on_epoch_end(self, epoch, history, model):
        self.calls.append((epoch, history.epochs, history.val_loss[-1], model))
        return epoch == self.stop_at


def test_callbacks_are_called_with_epoch_history_and_model(data):
    model = MLP(64, (8,), 10, rng=0)
    stopper, watcher = Recorder(stop_at=2), Recorder()
    history = dlopt.fit(model, dlopt.SGD(lr=0.1), data, epochs=10, callbacks=[stopper, watcher])
    assert history.stopped_epoch == 2 and history.epochs == 3
    for recorder in (stopper, watcher):  # the second callback still sees the epoch the first one stopped
        assert recorder.calls[0] == ("begin", model)
        expected = [(e, e + 1, history.val_loss[e]) for e in range(3)]
        assert [call[:3] for call in recorder.calls[1:]] == expected
        assert all(call[3] is model for call in recorder.calls[1:])


def test_a_callback_with_only_one_of_the_methods_works(data):
    class OnlyBegin:
        def on_train_begin(self, model):
            self.seen = model

    only = OnlyBegin()
    history = dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), data, epochs=2, callbacks=(only,))
    assert history.epochs == 2 and history.stopped_epoch is None and only.seen is not None


@pytest.mark.parametrize(
    ("callbacks", "message"),
    [
        (dlopt.EarlyStopping(), "^callbacks はコールバックのリストです（EarlyStopping が渡されました"),
        ([object()], "^コールバックは on_train_begin"),
        ([SimpleNamespace(step=lambda value, params: False)], "^コールバックは on_train_begin"),
        ([SimpleNamespace(on_epoch_end=lambda epoch, history, model: "stop")], "True・False・None"),
    ],
)
def test_bad_callbacks_are_refused(data, callbacks, message):
    with pytest.raises(TypeError, match=message):
        dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), data, epochs=1, callbacks=callbacks)


def test_the_early_stopping_argument_is_gone(data):
    with pytest.raises(TypeError, match="early_stopping"):
        dlopt.fit(MLP(64, (8,), 10, rng=0), dlopt.SGD(lr=0.1), data, epochs=1,
                  early_stopping=dlopt.EarlyStopping())


def test_unused_history_summary_is_removed():
    assert not hasattr(dlopt.History, "summary")
