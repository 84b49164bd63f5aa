"""The 穴埋め grader of chapters/nesterov.ipynb (Bengio et al.'s form): the reference passes,
typical mistakes are rejected."""

from __future__ import annotations

import numpy as np

import dlopt
from dlopt.exercises import check


def reference(theta, v, grad, lr, momentum):
    theta = theta + momentum**2 * v - (1 + momentum) * lr * grad
    return theta, momentum * v - lr * grad


def test_reference_and_a_correct_answer_pass():
    assert check("nesterov_step", dlopt.exercises.PROBLEMS["nesterov_step"].reference)
    assert check("nesterov_step", reference)


def test_keras_form_with_the_new_velocity_passes():
    """Θ ← Θ + α v_t − η g with the updated v_t is the same update."""

    def answer(theta, v, grad, lr, momentum):
        v = momentum * v - lr * grad
        return theta + momentum * v - lr * grad, v

    assert check("nesterov_step", answer)


def test_reference_matches_dlopt_nesterov():
    """With v_t = −η b_t, Bengio's Θ sequence is the parameter sequence of dlopt.Nesterov (= torch)."""
    rng = np.random.default_rng(2)
    target = rng.normal(size=(3, 2))
    theta = rng.normal(size=(3, 2))
    params = {"w": theta.copy()}
    opt = dlopt.Nesterov(lr=0.05, momentum=0.9)
    v = np.zeros_like(theta)
    for _ in range(20):
        grad = theta - target  # gradient of ½‖Θ − target‖², the same at the same point
        opt.update(params, {"w": params["w"] - target})
        theta, v = reference(theta, v, grad, 0.05, 0.9)
        np.testing.assert_allclose(params["w"], theta, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(-0.05 * opt.state["w"]["momentum_buffer"], v, rtol=1e-12, atol=1e-14)


def test_blank_is_reported_without_running():
    def answer(theta, v, grad, lr, momentum):
        theta = theta + ___ * v - ___ * lr * grad
        return theta, momentum * v - lr * grad

    verdict = check("nesterov_step", answer)
    assert not verdict
    assert "空欄" in verdict.message


def test_alpha_instead_of_alpha_squared_is_rejected():
    def answer(theta, v, grad, lr, momentum):
        theta = theta + momentum * v - (1 + momentum) * lr * grad
        return theta, momentum * v - lr * grad

    assert not check("nesterov_step", answer)


def test_missing_one_plus_alpha_is_rejected():
    def answer(theta, v, grad, lr, momentum):
        theta = theta + momentum**2 * v - lr * grad
        return theta, momentum * v - lr * grad

    assert not check("nesterov_step", answer)


def test_classical_momentum_is_rejected():
    def answer(theta, v, grad, lr, momentum):
        v = momentum * v - lr * grad
        return theta + v, v

    assert not check("nesterov_step", answer)


def test_updating_v_first_as_in_the_zero_kara_code_is_rejected():
    def answer(theta, v, grad, lr, momentum):
        v = momentum * v - lr * grad
        theta = theta + momentum**2 * v - (1 + momentum) * lr * grad
        return theta, v

    assert not check("nesterov_step", answer)


def test_wrong_velocity_update_is_rejected():
    def answer(theta, v, grad, lr, momentum):
        theta = theta + momentum**2 * v - (1 + momentum) * lr * grad
        return theta, momentum * v + lr * grad

    assert not check("nesterov_step", answer)
