"""EarlyStopping: DESIGN.md §3.3, i.e. Keras's ``EarlyStopping`` (patience, min_delta, mode, restore_best).

The expected stop epochs of the table were worked out by hand; every row is also checked against
``keras_stop``, a transcription of Keras's own logic, and so are thousands of random sequences.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pytest

import dlopt
from dlopt import EarlyStopping
from dlopt.data import load_digits
from dlopt.nn import MLP


def keras_stop(values, patience, min_delta=0.0, mode="min", start_from_epoch=0):
    """Keras 3's ``EarlyStopping.on_epoch_end`` replayed on ``values``: (stopped epoch or None, best epoch).

    Transcribed from keras/src/callbacks/early_stopping.py (Keras 3.x; keras is not installed here and
    is not needed): ``min_delta`` is made negative for mode "min", the best value starts at ±inf,
    ``wait`` grows by one *before* the comparison ``current - min_delta`` vs ``best`` and is reset on
    improvement, and training stops when ``wait >= patience and epoch > 0``. ``baseline`` is left out
    (dlopt has none). Only finite values are replayed: Keras counts NaN as one more epoch without
    improvement, whereas dlopt (like PyTorch Lightning's ``check_finite``) stops at once.
    """
    less = mode == "min"
    delta = -abs(min_delta) if less else abs(min_delta)
    best = math.inf if less else -math.inf
    wait, best_epoch = 0, None
    for epoch, current in enumerate(values):
        if epoch < start_from_epoch:
            continue
        wait += 1
        if (current - delta < best) if less else (current - delta > best):
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch, best_epoch
    return None, best_epoch


def replay(values, **options):
    """Feed ``values`` to a fresh EarlyStopping until it says stop; return it."""
    es = EarlyStopping(**options)
    for value in values:
        if es.step(value):
            break
    return es


A = [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.72, 0.71, 0.9]
B = [10.0, 9.0, 8.5, 8.25, 8.0, 7.75, 7.5, 7.25]  # binary-exact, so "a change of exactly min_delta" is exact
C = [0.5, 0.75, 0.75, 0.625, 0.875, 0.875, 0.8125, 0.9375]  # an accuracy: mode "max"

# (values, mode, patience, min_delta, expected stop epoch, expected best epoch); epochs are 0-based
TABLE = [
    (A, "min", 0, 0.0, 2, 1),
    (A, "min", 1, 0.0, 2, 1),
    (A, "min", 2, 0.0, 3, 1),
    (A, "min", 3, 0.0, 7, 4),
    (A, "min", 4, 0.0, 8, 4),
    (A, "min", 5, 0.0, None, 4),
    (B, "min", 1, 0.0, None, 7),
    (B, "min", 1, 1.0, 1, 0),  # 9.0 is exactly 1.0 below 10.0: not an improvement
    (B, "min", 2, 1.0, 4, 2),
    (B, "min", 4, 1.0, 6, 2),
    (B, "min", 5, 1.0, None, 7),
    (B, "min", 1, 0.5, 2, 1),
    (B, "min", 2, 0.5, 5, 3),
    (B, "min", 3, 0.5, None, 6),
    (C, "max", 0, 0.0, 2, 1),  # 0.75 again: a tie is not an improvement
    (C, "max", 1, 0.0, 2, 1),
    (C, "max", 2, 0.0, 3, 1),
    (C, "max", 3, 0.0, None, 7),
    (C, "max", 2, 0.125, 3, 1),
    (C, "max", 3, 0.125, 4, 1),
    (C, "max", 5, 0.125, 6, 1),
    (C, "max", 6, 0.125, None, 7),
]


@pytest.mark.parametrize(("values", "mode", "patience", "min_delta", "stop", "best"), TABLE)
def test_stop_epoch_table(values, mode, patience, min_delta, stop, best):
    es = replay(values, patience=patience, min_delta=min_delta, mode=mode)
    assert es.stopped_epoch == stop
    assert es.best_epoch == best
    assert es.best_value == values[best]
    assert es.epoch == (len(values) - 1 if stop is None else stop)
    assert keras_stop(values, patience, min_delta, mode) == (stop, best)


def test_step_returns_true_exactly_at_the_stop_and_counts_wait():
    es = EarlyStopping(patience=2)
    said = [es.step(v) for v in [3.0, 2.0, 2.5, 1.0, 1.5, 1.2]]
    assert said == [False, False, False, False, False, True]
    assert (es.best_epoch, es.best_value, es.stopped_epoch, es.wait) == (3, 1.0, 5, 2)


def test_ties_are_not_improvements():
    es = replay([1.0, 1.0, 1.0], patience=2)
    assert (es.stopped_epoch, es.best_epoch, es.wait) == (2, 0, 2)
    es = replay([0.9, 0.9], patience=1, mode="max")
    assert (es.stopped_epoch, es.best_epoch) == (1, 0)


def test_a_change_of_exactly_min_delta_is_no_improvement_even_in_decimal():
    # 0.4 − 0.1 rounds to 0.30000000000000004 > 0.3, but 0.3 + 0.1 == 0.4: compared as Keras does
    es = replay([0.4, 0.3], patience=1, min_delta=0.1)
    assert (es.stopped_epoch, es.best_epoch) == (1, 0)
    assert keras_stop([0.4, 0.3], 1, 0.1) == (1, 0)


def test_the_first_value_always_improves():
    for mode in ("min", "max"):
        first = 1e300 if mode == "min" else -1e300  # the worst finite value, with a huge min_delta
        es = EarlyStopping(patience=0, min_delta=100.0, mode=mode)
        assert es.step(first) is False
        assert (es.best_epoch, es.best_value, es.epoch, es.wait) == (0, first, 0, 0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float32("nan")])
@pytest.mark.parametrize("mode", ["min", "max"])
def test_nan_and_inf_stop_at_once(bad, mode):
    params = {"w": np.array([1.0, 2.0])}
    es = EarlyStopping(patience=100, mode=mode)
    assert es.step(0.5, params) is False
    params["w"] += 10.0
    assert es.step(bad, params) is True
    assert es.stopped_epoch == 1
    np.testing.assert_array_equal(params["w"], [1.0, 2.0])  # the best epoch's values are back
    assert (es.best_epoch, es.best_value) == (0, 0.5)


def test_nan_at_the_first_epoch_stops_and_leaves_params_alone():
    params = {"w": np.array([3.0])}
    es = EarlyStopping()
    assert es.step(math.nan, params) is True
    assert (es.stopped_epoch, es.best_epoch, es.best_value) == (0, None, None)
    np.testing.assert_array_equal(params["w"], [3.0])
    es.restore(params)  # nothing to restore: a no-op, not an error
    np.testing.assert_array_equal(params["w"], [3.0])


def test_restore_is_exact_in_place_and_seen_by_the_model():
    model = MLP(4, (5,), 3, rng=0)
    held = {key: p for key, p in model.params.items()}  # the arrays the Affine layers hold
    rng = np.random.default_rng(1)
    snapshots, es = [], EarlyStopping(patience=2)
    for value in [0.9, 0.5, 0.7, 0.8, 0.6]:
        for p in model.params.values():
            p += rng.normal(size=p.shape)  # "training": the arrays change in place
        snapshots.append({key: p.copy() for key, p in model.params.items()})
        if es.step(value, model.params):
            break
    assert (es.stopped_epoch, es.best_epoch) == (3, 1)
    for key, p in model.params.items():
        assert p is held[key]
        assert np.array_equal(p, snapshots[1][key])
    assert model.affines[0].W is model.params["W1"]
    assert np.array_equal(model.affines[0].W, snapshots[1]["W1"])
    x = rng.normal(size=(6, 4))
    scores_best = MLP(4, (5,), 3, rng=0)
    for key, p in scores_best.params.items():
        p[...] = snapshots[1][key]
    assert np.array_equal(model.forward(x), scores_best.forward(x))


def test_the_best_params_are_copies_not_views():
    params = {"w": np.zeros(3)}
    es = EarlyStopping(patience=1)
    es.step(1.0, params)
    params["w"] += 5.0
    np.testing.assert_array_equal(es.best_params["w"], np.zeros(3))


def test_restore_keeps_dtype_and_handles_plain_floats():
    params = {"w": np.ones(2, dtype=np.float32), "x": 1.5}
    es = EarlyStopping(patience=0)
    es.step(1.0, params)
    params["w"] *= 3
    params["x"] = 7.0
    assert es.step(2.0, params) is True
    assert params["w"].dtype == np.float32
    np.testing.assert_array_equal(params["w"], [1.0, 1.0])
    assert params["x"] == 1.5 and isinstance(params["x"], float)


def test_restore_best_false_leaves_the_last_params_and_restore_is_explicit():
    params = {"w": np.array([0.0])}
    es = EarlyStopping(patience=1, restore_best=False)
    for epoch, value in enumerate([2.0, 1.0, 3.0]):
        params["w"][...] = epoch
        stop = es.step(value, params)
    assert stop is True and es.stopped_epoch == 2
    np.testing.assert_array_equal(params["w"], [2.0])  # not restored
    es.restore(params)
    np.testing.assert_array_equal(params["w"], [1.0])  # the best epoch (1)


def test_explicit_restore_after_a_run_that_did_not_stop():
    params = {"w": np.array([0.0])}
    es = EarlyStopping(patience=10)
    for epoch, value in enumerate([2.0, 1.0, 3.0, 4.0]):
        params["w"][...] = epoch
        assert es.step(value, params) is False
    assert es.stopped_epoch is None
    es.restore(params)
    np.testing.assert_array_equal(params["w"], [1.0])


def test_step_without_params_only_watches():
    es = replay([1.0, 2.0], patience=1)
    assert es.stopped_epoch == 1 and es.best_params is None


def test_start_from_epoch_ignores_the_warm_up_as_keras_does():
    values = [0.1, 0.2, 5.0, 4.0, 4.5, 4.6]
    es = replay(values, patience=2, start_from_epoch=2)
    assert (es.stopped_epoch, es.best_epoch, es.best_value) == (5, 3, 4.0)
    assert keras_stop(values, 2, start_from_epoch=2) == (5, 3)
    es = EarlyStopping(patience=0, start_from_epoch=3)
    assert [es.step(v) for v in [1.0, 2.0, 3.0]] == [False] * 3 and es.best_epoch is None
    assert es.step(math.nan) is True  # a diverged run stops even during the warm-up


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"patience": -1}, "patience"),
        ({"patience": 1.5}, "patience"),
        ({"patience": True}, "patience"),
        ({"min_delta": -0.1}, "min_delta"),
        ({"min_delta": math.nan}, "min_delta"),
        ({"min_delta": math.inf}, "min_delta"),
        ({"mode": "auto"}, "mode"),
        ({"mode": "Min"}, "mode"),
        ({"start_from_epoch": -2}, "start_from_epoch"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(options, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        EarlyStopping(**options)


def test_numpy_integers_are_accepted_as_patience():
    assert EarlyStopping(patience=np.int64(3)).patience == 3


def test_epochs_are_zero_based():
    es = EarlyStopping(patience=1)
    assert es.epoch == -1 and es.best_epoch is None and es.stopped_epoch is None
    es.step(5.0)
    assert (es.epoch, es.best_epoch, es.best_value) == (0, 0, 5.0)
    es.step(6.0)
    assert es.stopped_epoch == 1


@pytest.mark.parametrize("seed", range(4))
def test_agrees_with_keras_on_random_sequences(seed):
    rng = np.random.default_rng(seed)
    for _ in range(500):
        n = int(rng.integers(1, 25))
        values = np.round(np.cumsum(rng.normal(0.0, 1.0, n)), 1) / 4  # rounded: many ties
        if rng.random() < 0.3:
            values = 1.0 / (1.0 + np.arange(n)) + rng.choice([0.0, 0.05], n)  # decreasing with bumps
        mode = str(rng.choice(["min", "max"]))
        patience = int(rng.integers(0, 5))
        min_delta = float(rng.choice([0.0, 0.025, 0.05, 0.1, 0.25]))
        start = int(rng.choice([0, 0, 0, 2]))
        options = {"patience": patience, "min_delta": min_delta, "mode": mode, "start_from_epoch": start}
        es = replay(values.tolist(), **options)
        assert (es.stopped_epoch, es.best_epoch) == keras_stop(values, patience, min_delta, mode, start)


# ------------------------------------------------------------------------------------------------
# End to end: dlopt.fit(..., callbacks=[es])


@pytest.fixture(scope="module")
def noisy_digits():
    """A small training set with 30 % wrong labels: a wide MLP overfits it within a few dozen epochs."""
    data = load_digits(n_train=120)
    rng = np.random.default_rng(0)
    t = data.t_train.copy()
    flip = rng.random(len(t)) < 0.3
    t[flip] = (t[flip] + rng.integers(1, 10, flip.sum())) % 10
    return dataclasses.replace(data, t_train=t)


def _run(data, epochs, early_stopping=None, rng=0):
    model = MLP(64, (64, 64), 10, rng=rng)
    callbacks = [] if early_stopping is None else [early_stopping]
    history = dlopt.fit(model, dlopt.SGD(lr=0.1), data, epochs=epochs, batch_size=32, seed=0,
                        callbacks=callbacks)
    return model, history


def test_fit_stops_where_a_replay_of_the_full_curve_stops(noisy_digits):
    _, full = _run(noisy_digits, 60)
    es = EarlyStopping(patience=5)
    model, history = _run(noisy_digits, 60, es)
    assert es.stopped_epoch is not None, "the setting should overfit and stop"
    replayed = replay(full.val_loss, patience=5)
    assert history.stopped_epoch == es.stopped_epoch == replayed.stopped_epoch
    assert es.best_epoch == replayed.best_epoch == int(np.argmin(full.val_loss[: es.stopped_epoch + 1]))
    assert history.val_loss == full.val_loss[: es.stopped_epoch + 1]
    assert keras_stop(full.val_loss, 5)[0] == es.stopped_epoch
    # the model now holds the best epoch's parameters: its validation loss is the best value, exactly
    assert model.loss(noisy_digits.x_val, noisy_digits.t_val) == es.best_value == full.val_loss[es.best_epoch]
    assert model.affines[0].W is model.params["W1"]


def test_fit_with_restore_best_false_keeps_the_last_epoch(noisy_digits):
    es = EarlyStopping(patience=5, restore_best=False)
    model, history = _run(noisy_digits, 60, es)
    assert model.loss(noisy_digits.x_val, noisy_digits.t_val) == history.val_loss[-1]
    es.restore(model.params)
    assert model.loss(noisy_digits.x_val, noisy_digits.t_val) == es.best_value


def test_one_early_stopping_reused_across_fit_calls_starts_every_run_fresh(noisy_digits):
    es = EarlyStopping(patience=5)
    first_model, first = _run(noisy_digits, 60, es)
    assert es.stopped_epoch is not None
    second_model, second = _run(noisy_digits, 60, es, rng=1)  # the same object, another model
    fresh = EarlyStopping(patience=5)
    _, expected = _run(noisy_digits, 60, fresh, rng=1)
    assert second.val_loss == expected.val_loss and second.stopped_epoch == expected.stopped_epoch
    assert (es.best_epoch, es.stopped_epoch, es.best_value) == (fresh.best_epoch, fresh.stopped_epoch,
                                                                 fresh.best_value)
    assert second.epochs > 1
    assert not np.array_equal(second_model.params["W1"], first_model.params["W1"])  # no weights copied over
    assert second_model.loss(noisy_digits.x_val, noisy_digits.t_val) == fresh.best_value


def test_reset_forgets_everything():
    params = {"w": np.array([1.0])}
    es = EarlyStopping(patience=1)
    for value in [1.0, 2.0]:
        es.step(value, params)
    es.reset()
    assert (es.best_value, es.best_epoch, es.stopped_epoch, es.wait, es.epoch, es.best_params) == (
        None, None, None, 0, -1, None)
    assert es.step(9.0) is False and (es.best_epoch, es.best_value) == (0, 9.0)  # a new first value


@pytest.mark.parametrize("bad", ["abc", None, [0.5], np.array([0.5, 0.4]), True, 1 + 2j])
def test_a_value_that_is_not_a_number_raises_and_changes_nothing(bad):
    params = {"w": np.array([1.0])}
    es = EarlyStopping(patience=1)
    es.step(1.0, params)
    before = (es.epoch, es.best_epoch, es.best_value, es.wait, es.stopped_epoch)
    with pytest.raises(TypeError, match="^value は実数"):
        es.step(bad, params)
    assert (es.epoch, es.best_epoch, es.best_value, es.wait, es.stopped_epoch) == before
    assert es.step(0.5) is False and es.best_epoch == 1  # the next good value is epoch 1


@pytest.mark.parametrize("bad", [[1.0, 2.0], {"w": "abc"}, {"w": None}, {"w": np.array(["a"])}])
def test_params_that_are_not_a_dict_of_numbers_raise_and_change_nothing(bad):
    es = EarlyStopping(patience=1)
    with pytest.raises(TypeError, match="^params"):
        es.step(1.0, bad)
    assert (es.epoch, es.best_epoch, es.best_params) == (-1, None, None)


def test_zero_d_arrays_and_numpy_scalars_are_values():
    es = EarlyStopping(patience=1)
    es.step(np.array(0.5))
    es.step(np.float32(0.25))
    assert (es.best_epoch, es.best_value) == (1, 0.25) and isinstance(es.best_value, float)


def test_restore_checks_shapes_and_keys_before_writing_anything():
    es = EarlyStopping(patience=1)
    es.step(1.0, {"a": np.zeros(2), "w": np.zeros(3)})
    other = {"a": np.ones(2), "w": np.ones((2, 3))}  # "w" would broadcast (3,) into (2, 3)
    with pytest.raises(ValueError, match=r"params\['w'\] の形 \(2, 3\).*\(3,\)"):
        es.restore(other)
    np.testing.assert_array_equal(other["a"], np.ones(2))  # "a" fits but was not written either
    np.testing.assert_array_equal(other["w"], np.ones((2, 3)))
    with pytest.raises(KeyError, match="'w'"):
        es.restore({"a": np.ones(2)})
    with pytest.raises(KeyError, match="'extra'"):
        es.restore({"a": np.ones(2), "w": np.ones(3), "extra": np.ones(1)})
    frozen = np.ones(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="'w'"):
        es.restore({"a": np.ones(2), "w": frozen})


def test_restore_gives_the_best_epoch_or_raises():
    """The best epoch (1) was stepped without params: the weights kept from epoch 0 are not its weights."""
    params = {"w": np.array([0.0])}
    es = EarlyStopping(patience=1)
    es.step(2.0, params)  # epoch 0 recorded
    params["w"][...] = 1.0
    es.step(1.0)  # epoch 1: the best, but its weights were not given
    assert es.best_epoch == 1 and es.best_params is None
    with pytest.raises(ValueError, match="エポック 1 の重みは記録されていません"):
        es.restore(params)
    params["w"][...] = 2.0
    assert es.step(3.0, params) is True  # stops; restore_best cannot give epoch 1, so it gives nothing
    np.testing.assert_array_equal(params["w"], [2.0])


def test_early_stopping_is_a_fit_callback():
    model = SimpleNamespace(params={"w": np.array([0.0])})
    history = SimpleNamespace(val_loss=[])
    es = EarlyStopping(patience=1)
    es.step(-5.0)  # left over from an earlier run
    es.on_train_begin(model)
    assert es.epoch == -1 and es.best_value is None
    for epoch, value in enumerate([2.0, 1.0, 3.0]):
        model.params["w"][...] = epoch
        history.val_loss.append(value)
        stop = es.on_epoch_end(epoch, history, model)
    assert stop is True and (es.best_epoch, es.stopped_epoch) == (1, 2)
    np.testing.assert_array_equal(model.params["w"], [1.0])
