"""The grader of the Adam chapter's 穴埋め: the reference passes, typical mistakes are rejected."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.exercises import check


def reference(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def no_bias_correction(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    return theta - lr * m / (np.sqrt(v) + eps), m, v


def eps_inside_root(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / np.sqrt(v_hat + eps), m, v


def corrected_moments_in_state(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v


def corrected_v_in_state(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v_hat


def t_from_zero(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1 ** (t - 1))
    v_hat = v / (1 - beta2 ** (t - 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def t_one_ahead(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def betas_swapped(theta, m, v, grad, t, lr, betas, eps):
    beta2, beta1 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def missing_sqrt(theta, m, v, grad, t, lr, betas, eps):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (v_hat + eps), m, v


def test_reference_passes():
    assert check("adam_step", reference)
    assert check("adam_step", dlopt.exercises.PROBLEMS["adam_step"].reference)


def test_reference_agrees_with_dlopt_adam():
    """The registered reference is one step of dlopt.Adam from the state (m, v) at step t - 1."""
    rng = np.random.default_rng(1)
    theta, grad = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    opt = dlopt.Adam(lr=0.05, betas=(0.8, 0.99), eps=1e-3)
    params = {"w": theta.copy()}
    opt.update(params, {"w": rng.normal(size=(2, 3))})  # step 1 builds a state
    m, v = opt.state["w"]["exp_avg"].copy(), opt.state["w"]["exp_avg_sq"].copy()
    before = params["w"].copy()
    opt.update(params, {"w": grad})  # step 2
    expected = reference(before, m, v, grad, 2, 0.05, (0.8, 0.99), 1e-3)
    np.testing.assert_allclose(params["w"], expected[0], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["exp_avg"], expected[1], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["exp_avg_sq"], expected[2], rtol=1e-12)


@pytest.mark.parametrize(
    "wrong",
    [
        no_bias_correction,
        eps_inside_root,
        corrected_moments_in_state,
        corrected_v_in_state,
        t_from_zero,
        t_one_ahead,
        betas_swapped,
        missing_sqrt,
    ],
    ids=lambda f: f.__name__,
)
def test_typical_mistakes_are_rejected(wrong):
    verdict = check("adam_step", wrong)
    assert not verdict
    assert "不正解" in repr(verdict)


def test_blank_is_reported_without_running():
    def adam_step(theta, m, v, grad, t, lr, betas, eps):
        return ___  # noqa: F821

    verdict = check("adam_step", adam_step)
    assert not verdict
    assert "空欄" in repr(verdict)


def test_eps_inside_root_is_detectable_for_every_generated_input():
    """The generated ε (1e-4 .. 1e-2) makes √(v̂ + ε) and √v̂ + ε differ far beyond the tolerance."""
    problem = dlopt.exercises.PROBLEMS["adam_step"]
    rng = np.random.default_rng(0)
    for _ in range(problem.trials):
        inputs = problem.make_inputs(rng)
        good = reference(**inputs)[0]
        bad = eps_inside_root(**inputs)[0]
        tolerance = problem.atol + problem.rtol * np.abs(good)
        assert np.any(np.abs(good - bad) > 10 * tolerance)


def test_step_one_appears_among_the_generated_inputs():
    """t = 1 (where 1 − β^t = 1 − β) is generated, so a 0-based t fails by division by zero too."""
    problem = dlopt.exercises.PROBLEMS["adam_step"]
    rng = np.random.default_rng(0)
    assert 1 in {problem.make_inputs(rng)["t"] for _ in range(problem.trials)}
