"""The AdaGrad chapter's 穴埋め grader "adagrad_step": the reference passes, typical mistakes fail."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.exercises import PROBLEMS, check


def correct(theta, h, grad, lr, eps):
    h = h + grad * grad
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    return theta, h


def correct_in_place(theta, h, grad, lr, eps):
    """In-place updates, as dlopt itself writes them, are fine too (the grader passes copies)."""
    h += grad**2
    theta -= lr * grad / (np.sqrt(h) + eps)
    return theta, h


def missing_square(theta, h, grad, lr, eps):
    h = h + grad
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    return theta, h


def eps_inside_root(theta, h, grad, lr, eps):
    """Keras's form √(h + ε): with ε = 1e-7 it differs from √h + ε by about 5e-8 relative."""
    h = h + grad * grad
    theta = theta - lr * grad / np.sqrt(h + eps)
    return theta, h


def old_accumulator(theta, h, grad, lr, eps):
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    h = h + grad * grad
    return theta, h


def forgets_h(theta, h, grad, lr, eps):
    h = h + grad * grad
    return theta - lr * grad / (np.sqrt(h) + eps)


def sign_error(theta, h, grad, lr, eps):
    h = h + grad * grad
    theta = theta + lr * grad / (np.sqrt(h) + eps)
    return theta, h


def returns_swapped(theta, h, grad, lr, eps):
    h = h + grad * grad
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    return h, theta


def blank(theta, h, grad, lr, eps):
    h = h + ___  # noqa: F821  (the reader's blank)
    return theta, h


def test_reference_is_registered_and_agrees_with_dlopt_adagrad():
    """The grader's reference is one step of dlopt.AdaGrad with initial_accumulator_value = h."""
    problem = PROBLEMS["adagrad_step"]
    inputs = problem.make_inputs(np.random.default_rng(1))
    theta, h = problem.reference(**{k: np.copy(v) for k, v in inputs.items()})
    params = {"w": inputs["theta"].copy()}
    opt = dlopt.AdaGrad(lr=inputs["lr"], eps=inputs["eps"])
    opt.state["w"] = {"step": 0, "sum": inputs["h"].copy()}
    opt.update(params, {"w": inputs["grad"]})
    np.testing.assert_allclose(params["w"], theta, rtol=1e-14)
    np.testing.assert_allclose(opt.state["w"]["sum"], h, rtol=1e-14)


@pytest.mark.parametrize("answer", [correct, correct_in_place])
def test_correct_answers_pass(answer):
    verdict = check("adagrad_step", answer)
    assert verdict, verdict.message
    assert "正解です" in verdict.message


@pytest.mark.parametrize(
    "answer",
    [missing_square, eps_inside_root, old_accumulator, forgets_h, sign_error, returns_swapped],
)
def test_typical_mistakes_are_rejected(answer):
    verdict = check("adagrad_step", answer)
    assert not verdict
    assert "不正解" in verdict.message


def test_blank_is_reported_without_running():
    verdict = check("adagrad_step", blank)
    assert not verdict
    assert "空欄" in verdict.message


def test_eps_inside_root_is_caught_by_the_tolerance_not_by_luck():
    """√(h + ε) vs √h + ε with ε = 1e-7 changes θ by about 1e-8..1e-7, while the grader tolerates
    atol + rtol·|θ| ≈ 1e-9: every one of the 20 trials rejects it (by a factor of 5 at least)."""
    problem = PROBLEMS["adagrad_step"]
    rng = np.random.default_rng(0)  # the seed check() uses
    for trial in range(problem.trials):
        inputs = problem.make_inputs(rng)
        assert inputs["eps"] == 1e-7
        expected, _ = problem.reference(**{k: np.copy(v) for k, v in inputs.items()})
        got, _ = eps_inside_root(**{k: np.copy(v) for k, v in inputs.items()})
        ratio = np.abs(got - expected) / (problem.atol + problem.rtol * np.abs(expected))
        assert ratio.max() > 2.0, f"trial {trial}: ε inside the root is within the tolerance"
