"""The generic grader of dlopt.exercises (each chapter's problems have their own test file)."""

from __future__ import annotations

import numpy as np
import pytest

from dlopt.exercises import PROBLEMS, check


def test_every_problem_accepts_its_reference():
    for name, problem in PROBLEMS.items():
        assert check(name, problem.reference), name


def test_a_blank_is_reported_without_running():
    def answer(theta, h, grad, lr, eps):
        return theta - ___, h  # noqa: F821

    verdict = check("adagrad_step", answer)
    assert not verdict and "空欄" in repr(verdict)


def test_a_wrong_answer_shows_inputs_expected_and_got():
    def answer(theta, h, grad, lr, eps):
        h = h + grad  # the square is missing
        return theta - lr * grad / (np.sqrt(np.abs(h)) + eps), h

    verdict = check("adagrad_step", answer)
    assert not verdict
    for word in ("不正解", "入力", "期待", "実際"):
        assert word in repr(verdict)


def test_an_answer_that_raises_is_reported():
    def answer(theta, h, grad, lr, eps):
        raise RuntimeError("boom")

    verdict = check("adagrad_step", answer)
    assert not verdict and "RuntimeError" in repr(verdict)


def test_unknown_problem():
    with pytest.raises(KeyError, match="unknown problem"):
        check("no_such_problem", lambda: None)


def test_a_blank_inside_a_comprehension_or_lambda_is_found():
    def answer(theta, h, grad, lr, eps):
        scale = [___ for _ in range(1)]  # noqa: F821
        step = lambda g: g * ___  # noqa: E731, F821
        return theta - scale[0] * step(grad), h

    assert "空欄" in repr(check("adagrad_step", answer))
