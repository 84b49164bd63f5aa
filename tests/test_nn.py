"""The numpy MLP: backprop gradients against numerical differentiation, shapes, initializers."""

from __future__ import annotations

import numpy as np
import pytest

from dlopt.nn import MLP, SoftmaxCrossEntropy


def _numerical_gradient(model, x, t, key, h=1e-6):
    param = model.params[key]
    grad = np.zeros_like(param)
    for index in np.ndindex(param.shape):
        old = param[index]
        param[index] = old + h
        plus = model.loss(x, t)
        param[index] = old - h
        minus = model.loss(x, t)
        param[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_backprop_matches_numerical_gradient(activation):
    rng = np.random.default_rng(1)
    model = MLP(5, (4, 3), 3, activation=activation, rng=0)
    for key in model.params:  # non-zero biases exercise every term
        model.params[key] += 0.1 * rng.normal(size=model.params[key].shape)
    x, t = rng.normal(size=(6, 5)), rng.integers(0, 3, size=6)
    grads = model.gradient(x, t)
    for key in model.params:
        numeric = _numerical_gradient(model, x, t, key)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-8, err_msg=key)


def test_layers_share_the_parameter_arrays():
    model = MLP(3, (2,), 2, rng=0)
    model.params["W1"] += 1.0  # in-place change (what the optimizers do) is seen by the layer
    assert model.affines[0].W is model.params["W1"]


def test_softmax_cross_entropy_is_stable_for_large_scores():
    loss = SoftmaxCrossEntropy().forward(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert np.isfinite(loss) and loss == pytest.approx(500.0)


def test_loss_at_uniform_scores_is_log_of_classes():
    model = MLP(4, (3,), 10, weight_init=0.0, rng=0)
    assert model.loss(np.ones((2, 4)), np.array([1, 2])) == pytest.approx(np.log(10))


def test_float32_model_stays_float32():
    model = MLP(4, (3,), 2, dtype=np.float32, rng=0)
    grads = model.gradient(np.ones((2, 4), dtype=np.float32), np.array([0, 1]))
    assert all(g.dtype == np.float32 for g in grads.values())


def test_bad_activation_and_initializer_are_rejected():
    with pytest.raises(ValueError, match="activation"):
        MLP(2, (2,), 2, activation="gelu")
    with pytest.raises(ValueError, match="weight_init"):
        MLP(2, (2,), 2, weight_init="glorot")


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([[0], [1], [2]]), r"ラベル t は 1 次元の整数の配列.*\(3, 1\)"),  # would be a 3×3 loss
        (np.array([0, -1, 2]), "ラベル t は 0 以上 3 未満の整数.*-1"),  # would be class 2
        (np.array([0, 1, 3]), "ラベル t は 0 以上 3 未満の整数.*3"),
        (np.array([0.0, 1.0, 2.0]), "ラベル t は 1 次元の整数の配列"),
        (np.array([True, False, True]), "ラベル t は 1 次元の整数の配列"),
        (np.array([0, 1]), "ラベル t の数 2 が、入力の数 3 と違います"),
    ],
)
def test_labels_are_checked_by_the_loss_and_the_accuracy(labels, message):
    model = MLP(4, (3,), 3, rng=0)
    x = np.ones((3, 4))
    with pytest.raises(ValueError, match=message):
        SoftmaxCrossEntropy().forward(np.zeros((3, 3)), labels)
    with pytest.raises(ValueError, match=message):
        model.loss(x, labels)
    with pytest.raises(ValueError, match=message):
        model.accuracy(x, labels)
    with pytest.raises(ValueError, match=message):
        model.loss_and_gradient(x, labels)


def test_labels_may_be_a_list_or_any_integer_dtype():
    model = MLP(4, (3,), 3, rng=0)
    x = np.ones((3, 4))
    expected = model.loss(x, np.array([0, 1, 2]))
    assert model.loss(x, [0, 1, 2]) == expected == model.loss(x, np.array([0, 1, 2], dtype=np.uint8))


def test_loss_and_gradient_returns_the_loss_with_the_gradients_and_keeps_no_side_channel():
    rng = np.random.default_rng(0)
    model = MLP(5, (4,), 3, rng=0)
    x, t = rng.normal(size=(6, 5)), rng.integers(0, 3, size=6)
    loss, grads = model.loss_and_gradient(x, t)
    assert loss == model.loss(x, t)
    only = model.gradient(x, t)
    assert set(only) == set(grads) == set(model.params)
    for key in grads:
        np.testing.assert_array_equal(only[key], grads[key])
    assert not hasattr(model, "last_loss")


def test_unused_predict_alias_is_removed():
    assert not hasattr(MLP, "predict")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"activation": "gelu"}, ValueError, "^activation は 'relu'、'sigmoid'、'tanh' のどれか"),
        ({"weight_init": "glorot"}, ValueError, "^weight_init は .*'he_normal'"),
        ({"weight_init": -0.1}, ValueError, "^weight_init は 0 以上の数"),
        ({"weight_init": [0.1]}, TypeError, "^weight_init は初期化の名前"),
        ({"rng": "seed"}, TypeError, "^rng は np.random.Generator"),
        ({"input_size": 0}, ValueError, "^input_size は 1 以上の整数"),
        ({"hidden_sizes": (4, 2.5)}, ValueError, r"^hidden_sizes\[1\] は 1 以上の整数"),
    ],
)
def test_bad_arguments_get_japanese_messages_naming_them(kwargs, error, message):
    arguments = {"input_size": 2, "hidden_sizes": (2,), "output_size": 2, **kwargs}
    with pytest.raises(error, match=message):
        MLP(**arguments)


def test_a_generator_and_its_seed_give_the_same_weights():
    a = MLP(3, (2,), 2, rng=5)
    b = MLP(3, (2,), 2, rng=np.random.default_rng(5))
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert (a.input_size, a.output_size) == (3, 2)
