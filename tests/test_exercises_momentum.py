"""The 穴埋め grader of chapters/momentum.ipynb: the reference passes, typical mistakes are rejected."""

from __future__ import annotations

import numpy as np

import dlopt
from dlopt.exercises import check


def reference(theta, b, grad, lr, momentum, dampening, t):
    b = grad.copy() if t == 1 else momentum * b + (1 - dampening) * grad
    return theta - lr * b, b


def test_reference_and_a_correct_answer_pass():
    assert check("momentum_step", dlopt.exercises.PROBLEMS["momentum_step"].reference)
    assert check("momentum_step", reference)


def test_reference_agrees_with_dlopt_momentum():
    rng = np.random.default_rng(1)
    theta = rng.normal(size=(2, 3))
    params = {"w": theta.copy()}
    opt = dlopt.Momentum(lr=0.1, momentum=0.8, dampening=0.3)
    b = np.zeros_like(theta)
    for t in range(1, 6):
        grad = rng.normal(size=theta.shape)
        opt.update(params, {"w": grad})
        theta, b = reference(theta, b, grad, 0.1, 0.8, 0.3, t)
        np.testing.assert_allclose(params["w"], theta, rtol=1e-12, atol=1e-14)


def test_blank_is_reported_without_running():
    def answer(theta, b, grad, lr, momentum, dampening, t):
        b = ___
        return theta - lr * b, b

    verdict = check("momentum_step", answer)
    assert not verdict
    assert "空欄" in verdict.message


def test_wrong_sign_in_the_buffer_is_rejected():
    def answer(theta, b, grad, lr, momentum, dampening, t):
        b = grad.copy() if t == 1 else momentum * b - (1 - dampening) * grad
        return theta - lr * b, b

    assert not check("momentum_step", answer)


def test_forgetting_the_first_step_rule_is_rejected():
    def answer(theta, b, grad, lr, momentum, dampening, t):
        b = momentum * b + (1 - dampening) * grad  # b_1 = (1 - d) g_1 instead of g_1
        return theta - lr * b, b

    assert not check("momentum_step", answer)


def test_learning_rate_inside_the_buffer_is_rejected():
    def answer(theta, b, grad, lr, momentum, dampening, t):
        b = lr * grad if t == 1 else momentum * b + lr * (1 - dampening) * grad
        return theta - b, b

    assert not check("momentum_step", answer)


def test_ignoring_dampening_is_rejected():
    def answer(theta, b, grad, lr, momentum, dampening, t):
        b = grad.copy() if t == 1 else momentum * b + grad
        return theta - lr * b, b

    assert not check("momentum_step", answer)


def test_zero_from_scratch_velocity_form_is_rejected():
    def answer(theta, b, grad, lr, momentum, dampening, t):
        v = momentum * b - lr * grad  # v ← αv − ηg treats b as a velocity
        return theta + v, v

    assert not check("momentum_step", answer)
