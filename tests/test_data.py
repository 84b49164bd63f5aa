"""The offline digits data: sizes, disjoint splits, standardization with training statistics only."""

from __future__ import annotations

import numpy as np
import pytest

from dlopt.data import load_digits, minibatches


def test_split_sizes_and_labels():
    data = load_digits()
    assert len(data.t_train) + len(data.t_val) + len(data.t_test) == 1797
    assert (len(data.t_val), len(data.t_test)) == (359, 359)
    assert data.n_features == 64 and set(np.unique(data.t_train)) == set(range(10))


def test_standardized_with_training_statistics():
    data = load_digits()
    np.testing.assert_allclose(data.x_train.mean(axis=0), 0.0, atol=1e-12)
    std = data.x_train.std(axis=0)
    assert np.all((np.abs(std - 1) < 1e-9) | (std == 0))
    assert abs(data.x_val.mean()) > 1e-6  # val is standardized with train statistics, not its own


def test_splits_are_disjoint_and_reproducible():
    a, b = load_digits(seed=3), load_digits(seed=3)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    from sklearn.datasets import load_digits as sklearn_digits

    _, t_all = sklearn_digits(return_X_y=True)
    counts = sum(np.bincount(t, minlength=10) for t in (a.t_train, a.t_val, a.t_test))
    np.testing.assert_array_equal(counts, np.bincount(t_all))  # the splits add up to the whole data set


def test_n_train_and_validation_of_arguments():
    assert len(load_digits(n_train=100).t_train) == 100
    with pytest.raises(ValueError, match="n_train"):
        load_digits(n_train=0)
    with pytest.raises(ValueError, match="fraction"):
        load_digits(val_fraction=0.6, test_fraction=0.5)


def test_minibatches_cover_the_epoch_once():
    x, t = np.arange(10).reshape(10, 1), np.arange(10)
    batches = list(minibatches(x, t, batch_size=4, rng=0))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate([b[1] for b in batches])) == list(range(10))
    with pytest.raises(ValueError, match="batch_size"):
        list(minibatches(x, t, batch_size=0))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_train": 0}, ValueError, "^n_train は 1 以上の整数"),
        ({"n_train": 5000}, ValueError, "^n_train は訓練データの数 1079 以下"),
        ({"n_train": 10.5}, ValueError, "^n_train は 1 以上の整数"),
        ({"val_fraction": 0.0}, ValueError, "^val_fraction は 0 より大きい数"),
        ({"test_fraction": 1.0}, ValueError, "^test_fraction は 1 未満の数"),
        ({"val_fraction": 0.6, "test_fraction": 0.5}, ValueError, "^val_fraction と test_fraction の和"),
        ({"seed": "zero"}, TypeError, "^seed は np.random.Generator"),
    ],
)
def test_load_digits_messages_are_japanese_and_name_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        load_digits(**kwargs)


def test_minibatches_messages_are_japanese_and_a_generator_equals_its_seed():
    x, t = np.arange(10).reshape(10, 1), np.arange(10)
    with pytest.raises(ValueError, match="^batch_size は 1 以上の整数"):
        list(minibatches(x, t, batch_size=0))
    with pytest.raises(ValueError, match="^batch_size は 1 以上の整数"):
        list(minibatches(x, t, batch_size=2.0))
    with pytest.raises(ValueError, match="^x と t の長さが違います（10 と 9）"):
        list(minibatches(x, t[:9], batch_size=2))
    with pytest.raises(TypeError, match="^rng は np.random.Generator"):
        list(minibatches(x, t, batch_size=2, rng="seed"))
    seeded = [b[1].tolist() for b in minibatches(x, t, 4, rng=3)]
    generated = [b[1].tolist() for b in minibatches(x, t, 4, rng=np.random.default_rng(3))]
    assert seeded == generated
