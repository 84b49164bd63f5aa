"""The 穴埋め grader of the gradient-descent chapter accepts the reference and rejects typical mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from dlopt import exercises

NAME = "gradient_descent_learning_rates"


def _eigen(H):
    a = np.linalg.eigvalsh(H)
    return a[0], a[-1]


def test_reference_passes():
    verdict = exercises.check(NAME, exercises.PROBLEMS[NAME].reference)
    assert verdict.passed, verdict.message
    assert "正解" in verdict.message


def test_reference_on_the_chapter_example():
    eta_max, eta_opt, rate = exercises.PROBLEMS[NAME].reference(np.diag([0.1, 2.0]))
    assert eta_max == pytest.approx(1.0)
    assert eta_opt == pytest.approx(2 / 2.1)
    assert rate == pytest.approx(19 / 21)


def test_inputs_are_symmetric_positive_definite_and_not_diagonal():
    rng = np.random.default_rng(0)
    for _ in range(20):
        H = exercises.PROBLEMS[NAME].make_inputs(rng)["H"]
        assert np.allclose(H, H.T)
        assert np.linalg.eigvalsh(H).min() > 0
        assert not np.allclose(H, np.diag(np.diag(H)))


def test_blank_is_reported_unanswered():
    def answer(H):
        return ___  # noqa: F821

    verdict = exercises.check(NAME, answer)
    assert not verdict.passed
    assert "空欄" in verdict.message


def _answer(eta_max, eta_opt, rate, eigen=_eigen):
    def answer(H):
        a_min, a_max = eigen(H)
        return eta_max(a_min, a_max), eta_opt(a_min, a_max), rate(a_min, a_max)

    return answer


good_max = lambda lo, hi: 2 / hi  # noqa: E731
good_opt = lambda lo, hi: 2 / (hi + lo)  # noqa: E731
good_rate = lambda lo, hi: (hi / lo - 1) / (hi / lo + 1)  # noqa: E731

MISTAKES = {
    "limit 1/a_max instead of 2/a_max": _answer(lambda lo, hi: 1 / hi, good_opt, good_rate),
    "limit set by the smallest curvature": _answer(lambda lo, hi: 2 / lo, good_opt, good_rate),
    "optimum without the factor 2": _answer(good_max, lambda lo, hi: 1 / (hi + lo), good_rate),
    "optimum 1/a_max": _answer(good_max, lambda lo, hi: 1 / hi, good_rate),
    "rate κ/(κ+1)": _answer(good_max, good_opt, lambda lo, hi: (hi / lo) / (hi / lo + 1)),
    "rate 1 − 1/κ": _answer(good_max, good_opt, lambda lo, hi: 1 - lo / hi),
    "rate with κ inverted": _answer(good_max, good_opt, lambda lo, hi: (lo / hi - 1) / (lo / hi + 1)),
    "diagonal instead of eigenvalues": _answer(
        good_max, good_opt, good_rate, eigen=lambda H: (np.diag(H).min(), np.diag(H).max())
    ),
    "eigenvalues in the wrong order": _answer(
        good_max, good_opt, good_rate, eigen=lambda H: tuple(np.linalg.eigvalsh(H)[::-1][[0, -1]])
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES, ids=list(MISTAKES))
def test_typical_mistakes_are_rejected(mistake):
    verdict = exercises.check(NAME, MISTAKES[mistake])
    assert not verdict.passed, mistake
    assert "不正解" in verdict.message
