"""The RMSProp chapter's 穴埋め grader ("rmsprop_step"): the reference passes, typical mistakes fail."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.exercises import check


def reference(theta, v, grad, lr, alpha, eps):
    v = alpha * v + (1 - alpha) * grad * grad
    return theta - lr * grad / (np.sqrt(v) + eps), v


def adagrad_sum(theta, v, grad, lr, alpha, eps):
    v = v + grad * grad
    return theta - lr * grad / (np.sqrt(v) + eps), v


def eps_inside_root(theta, v, grad, lr, alpha, eps):
    v = alpha * v + (1 - alpha) * grad * grad
    return theta - lr * grad / np.sqrt(v + eps), v


def alpha_swapped(theta, v, grad, lr, alpha, eps):
    v = (1 - alpha) * v + alpha * grad * grad
    return theta - lr * grad / (np.sqrt(v) + eps), v


def old_v_in_denominator(theta, v, grad, lr, alpha, eps):
    new_v = alpha * v + (1 - alpha) * grad * grad
    return theta - lr * grad / (np.sqrt(v) + eps), new_v


def missing_square(theta, v, grad, lr, alpha, eps):
    v = alpha * v + (1 - alpha) * grad
    return theta - lr * grad / (np.sqrt(np.abs(v)) + eps), v


def missing_sqrt(theta, v, grad, lr, alpha, eps):
    v = alpha * v + (1 - alpha) * grad * grad
    return theta - lr * grad / (v + eps), v


def test_reference_passes():
    assert check("rmsprop_step", reference)
    assert check("rmsprop_step", dlopt.exercises.PROBLEMS["rmsprop_step"].reference)


def test_reference_agrees_with_dlopt_rmsprop():
    """The registered reference is one step of dlopt.RMSProp from the state v."""
    rng = np.random.default_rng(1)
    opt = dlopt.RMSProp(lr=0.05, alpha=0.9, eps=1e-3)
    params = {"w": rng.normal(size=(2, 3))}
    opt.update(params, {"w": rng.normal(size=(2, 3))})  # step 1 builds a state
    v = opt.state["w"]["square_avg"].copy()
    before, grad = params["w"].copy(), rng.normal(size=(2, 3))
    opt.update(params, {"w": grad})
    expected = reference(before, v, grad, 0.05, 0.9, 1e-3)
    np.testing.assert_allclose(params["w"], expected[0], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["square_avg"], expected[1], rtol=1e-12)


@pytest.mark.parametrize(
    "wrong",
    [adagrad_sum, eps_inside_root, alpha_swapped, old_v_in_denominator, missing_square, missing_sqrt],
    ids=lambda f: f.__name__,
)
def test_typical_mistakes_are_rejected(wrong):
    verdict = check("rmsprop_step", wrong)
    assert not verdict
    assert "不正解" in repr(verdict)


def test_eps_inside_root_is_detectable_for_every_generated_input():
    """The generated ε (1e-4 .. 1e-2) makes √(v + ε) and √v + ε differ far beyond the tolerance."""
    problem = dlopt.exercises.PROBLEMS["rmsprop_step"]
    rng = np.random.default_rng(0)
    for _ in range(problem.trials):
        inputs = problem.make_inputs(rng)
        good = reference(**inputs)[0]
        bad = eps_inside_root(**inputs)[0]
        tolerance = problem.atol + problem.rtol * np.abs(good)
        assert np.any(np.abs(good - bad) > 10 * tolerance)


def test_blank_is_reported_without_running():
    def rmsprop_step(theta, v, grad, lr, alpha, eps):
        return ___  # noqa: F821

    verdict = check("rmsprop_step", rmsprop_step)
    assert not verdict
    assert "空欄" in repr(verdict)
