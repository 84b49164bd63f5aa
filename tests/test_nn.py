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
