"""The 穴埋め grader of the SGD chapter accepts the reference and rejects typical mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from dlopt import exercises

NAME = "sgd_minibatch_step"


def test_reference_passes():
    verdict = exercises.check(NAME, exercises.PROBLEMS[NAME].reference)
    assert verdict.passed, verdict.message
    assert "正解" in verdict.message


def test_reference_on_a_hand_computed_case():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [5.0, 5.0]])
    y = np.array([1.0, 0.0, 7.0])
    w = np.array([2.0, 1.0])
    # batch {0, 1}: residuals (2 − 1, 2 − 0) = (1, 2); gradient = (1·1 + 0·2, 0·1 + 2·2) / 2 = (0.5, 2)
    new_w = exercises.PROBLEMS[NAME].reference(w=w, X=X, y=y, idx=np.array([0, 1]), lr=0.1)
    np.testing.assert_allclose(new_w, [2.0 - 0.05, 1.0 - 0.2])


def test_inputs_are_a_proper_minibatch():
    rng = np.random.default_rng(0)
    for _ in range(20):
        inputs = exercises.PROBLEMS[NAME].make_inputs(rng)
        n = len(inputs["y"])
        assert 2 <= len(inputs["idx"]) < n
        assert len(set(inputs["idx"].tolist())) == len(inputs["idx"])  # without replacement


def test_blank_is_reported_unanswered():
    def answer(w, X, y, idx, lr):
        return ___  # noqa: F821

    verdict = exercises.check(NAME, answer)
    assert not verdict.passed
    assert "空欄" in verdict.message


def sum_not_mean(w, X, y, idx, lr):
    Xb, yb = X[idx], y[idx]
    return w - lr * Xb.T @ (Xb @ w - yb)


def divided_by_n(w, X, y, idx, lr):
    Xb, yb = X[idx], y[idx]
    return w - lr * Xb.T @ (Xb @ w - yb) / len(y)


def full_data(w, X, y, idx, lr):
    return w - lr * X.T @ (X @ w - y) / len(y)


def wrong_sign(w, X, y, idx, lr):
    Xb, yb = X[idx], y[idx]
    return w + lr * Xb.T @ (Xb @ w - yb) / len(idx)


def factor_two(w, X, y, idx, lr):
    Xb, yb = X[idx], y[idx]
    return w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(idx)


def no_learning_rate(w, X, y, idx, lr):
    Xb, yb = X[idx], y[idx]
    return w - Xb.T @ (Xb @ w - yb) / len(idx)


def returns_gradient(w, X, y, idx, lr):
    Xb, yb = X[idx], y[idx]
    return Xb.T @ (Xb @ w - yb) / len(idx)


def first_rows_instead_of_idx(w, X, y, idx, lr):
    Xb, yb = X[: len(idx)], y[: len(idx)]
    return w - lr * Xb.T @ (Xb @ w - yb) / len(idx)


MISTAKES = [sum_not_mean, divided_by_n, full_data, wrong_sign, factor_two, no_learning_rate,
            returns_gradient, first_rows_instead_of_idx]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda f: f.__name__)
def test_typical_mistakes_are_rejected(mistake):
    verdict = exercises.check(NAME, mistake)
    assert not verdict.passed, mistake.__name__
    assert "不正解" in verdict.message
