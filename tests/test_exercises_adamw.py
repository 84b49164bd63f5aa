"""The grader of the AdamW chapter's 穴埋め ("adamw_step"): the reference passes, typical mistakes fail."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.exercises import PROBLEMS, check


def reference(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    beta1, beta2 = betas
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def multiplicative_in_place(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """θ *= 1 − ηλ, as dlopt and torch write it, is the same decay (the grader passes copies)."""
    beta1, beta2 = betas
    theta *= 1 - lr * weight_decay
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad * grad
    theta -= lr / (1 - beta1**t) * m / (np.sqrt(v) / np.sqrt(1 - beta2**t) + eps)
    return theta, m, v


def decay_in_gradient(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """Adam + L2: the decay goes through m and v and is divided by √v̂."""
    beta1, beta2 = betas
    grad = grad + weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def decay_without_lr(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """The paper's form with η_t = 1: θ ← (1 − λ)θ, not multiplied by the learning rate."""
    beta1, beta2 = betas
    theta = theta - weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def decay_after_adam_step(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """Decays the updated θ: differs from PyTorch by η²λ·m̂/(√v̂ + ε)."""
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta - lr * weight_decay * theta, m, v


def decay_with_bias_corrected_step(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """Uses Adam's step size η / (1 − β1^t) for the decay too."""
    beta1, beta2 = betas
    theta = theta - lr / (1 - beta1**t) * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def no_bias_correction(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    beta1, beta2 = betas
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    return theta - lr * m / (np.sqrt(v) + eps), m, v


def no_v_bias_correction(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """The chapter's second blank left as v_hat = v."""
    beta1, beta2 = betas
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    return theta - lr * m_hat / (np.sqrt(v) + eps), m, v


def no_decay(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """Plain Adam: weight_decay ignored."""
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def decay_twice(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """Both L2 in the gradient and the decoupled decay."""
    beta1, beta2 = betas
    grad = grad + weight_decay * theta
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def corrected_moments_in_state(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    beta1, beta2 = betas
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat


def blank(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    theta = theta - ___  # noqa: F821  (the reader's blank)
    return theta, m, v


@pytest.mark.parametrize("answer", [reference, multiplicative_in_place], ids=lambda f: f.__name__)
def test_correct_answers_pass(answer):
    verdict = check("adamw_step", answer)
    assert verdict, verdict.message
    assert "正解です" in verdict.message


def test_registered_reference_is_one_step_of_dlopt_adamw():
    """From the state (m, v) after step t − 1, one dlopt.AdamW.update gives the reference's (θ, m, v)."""
    problem = PROBLEMS["adamw_step"]
    rng = np.random.default_rng(3)
    for _ in range(5):
        inputs = problem.make_inputs(rng)
        theta, m, v = problem.reference(**{k: np.copy(x) if isinstance(x, np.ndarray) else x
                                           for k, x in inputs.items()})
        opt = dlopt.AdamW(lr=inputs["lr"], betas=inputs["betas"], eps=inputs["eps"],
                          weight_decay=inputs["weight_decay"])
        params = {"w": inputs["theta"].copy()}
        opt.state["w"] = {"step": inputs["t"] - 1, "exp_avg": inputs["m"].copy(),
                          "exp_avg_sq": inputs["v"].copy()}
        opt.update(params, {"w": inputs["grad"]})
        assert opt.state["w"]["step"] == inputs["t"]
        np.testing.assert_allclose(params["w"], theta, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(opt.state["w"]["exp_avg"], m, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(opt.state["w"]["exp_avg_sq"], v, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(
    "wrong",
    [
        decay_in_gradient,
        decay_without_lr,
        decay_after_adam_step,
        decay_with_bias_corrected_step,
        no_bias_correction,
        no_v_bias_correction,
        no_decay,
        decay_twice,
        corrected_moments_in_state,
    ],
    ids=lambda f: f.__name__,
)
def test_typical_mistakes_are_rejected(wrong):
    verdict = check("adamw_step", wrong)
    assert not verdict
    assert "不正解" in verdict.message


def test_blank_is_reported_without_running():
    verdict = check("adamw_step", blank)
    assert not verdict
    assert "空欄" in verdict.message


def test_decay_after_the_step_is_caught_by_a_wide_margin():
    """Decaying after the Adam step changes θ by η²λ·u (u = m̂/(√v̂ + ε)), the smallest of the typical
    mistakes. With η ≥ 0.01 and λ ≥ 0.05 it exceeds the grader's tolerance atol + rtol·|θ| in every
    one of the 20 trials (measured: by a factor of 1e5 at least; asserted: 100)."""
    problem = PROBLEMS["adamw_step"]
    rng = np.random.default_rng(0)  # the seed check() uses
    for trial in range(problem.trials):
        inputs = problem.make_inputs(rng)
        assert inputs["lr"] >= 0.01 and inputs["weight_decay"] >= 0.05
        expected, _, _ = problem.reference(**{k: np.copy(x) if isinstance(x, np.ndarray) else x
                                              for k, x in inputs.items()})
        got, _, _ = decay_after_adam_step(**{k: np.copy(x) if isinstance(x, np.ndarray) else x
                                             for k, x in inputs.items()})
        ratio = np.max(np.abs(got - expected) / (problem.atol + problem.rtol * np.abs(expected)))
        assert ratio > 100, f"trial {trial}: decaying after the step is within {ratio:.3g}x the tolerance"
