"""The keys of src/dlopt/exam/bank/choosing.py, recomputed (tests/test_exam.py drives these)."""

import math

import numpy as np

import dlopt
from dlopt.exercises.choosing import (
    _best_lr_inputs,
    _mean_std_inputs,
    choosing_best_lr,
    choosing_mean_std,
)


def difference_over_standard_error():
    n, (mean_a, s_a), (mean_b, s_b) = 5, (0.150, 0.006), (0.162, 0.008)
    return (mean_b - mean_a) / math.sqrt(s_a**2 / n + s_b**2 / n)


def rmsprop_first_step_on_the_saddle():
    path = dlopt.trajectory(dlopt.RMSProp(lr=0.1, alpha=0.99), dlopt.saddle, (1.0, 1e-3), 1)
    return abs(path[1, 1] - path[0, 1])


def sgd_escape_step():
    path = dlopt.trajectory(dlopt.SGD(lr=0.1), dlopt.saddle, (1.0, 1e-3), 300)
    return int(np.flatnonzero(np.abs(path[:, 1]) > 1.0)[0])


CALCULATIONS = {
    "choosing-calc-1": difference_over_standard_error,
    "choosing-calc-2": lambda: np.std([0.12, 0.14, 0.16, 0.18], ddof=1),
    "choosing-calc-3": rmsprop_first_step_on_the_saddle,
    "choosing-calc-4": sgd_escape_step,
}


def check_summary(namespace):
    """summarize equals the chapter's graded reference (mean and ddof=1 std over seeds) plus the
    standard error std/√n; best_lr equals the reference on random ladders with ties, and on two
    hand-made cases (the tie's larger rate listed first; the smallest rate not tied)."""
    summarize, best_lr = namespace["summarize"], namespace["best_lr"]
    rng = np.random.default_rng(0)
    for _ in range(20):
        results = _mean_std_inputs(rng)["results"]
        mean, std = choosing_mean_std(results)
        got = summarize(results.copy())
        assert len(got) == 3
        np.testing.assert_allclose(got[0], mean, rtol=1e-12)
        np.testing.assert_allclose(got[1], std, rtol=1e-12)
        np.testing.assert_allclose(got[2], std / np.sqrt(results.shape[1]), rtol=1e-12)
    cases = [
        {"lrs": [0.1, 0.01, 0.03], "val_losses": [0.15, 0.15, 0.2]},
        {"lrs": [1e-3, 0.1, 0.03], "val_losses": [0.5, 0.15, 0.15]},
    ]
    cases += [_best_lr_inputs(rng) for _ in range(40)]
    for case in cases:
        assert best_lr(**case) == choosing_best_lr(**case), case


CODE_CHECKS = {"choosing-summary": check_summary}
