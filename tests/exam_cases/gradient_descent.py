"""The keys of src/dlopt/exam/bank/gradient_descent.py, recomputed (tests/test_exam.py drives these).

The listing follows ゼロから作る's ch04/gradient_method.py (``x -= lr * grad``) and the gradient of
ch06/optimizer_compare_naive.py (``x / 10.0, 2.0*y`` for f = x²/20 + y²), oreilly-japan/
deep-learning-from-scratch at commit 07b1161.
"""

from __future__ import annotations

import numpy as np

import dlopt


def _theta_after_two_steps():
    """L = 2θ² (gradient 4θ) from θ0 = 4 with η = 0.3, two steps of dlopt.SGD."""
    params, opt = {"theta": np.array(4.0)}, dlopt.SGD(lr=0.3)
    for _ in range(2):
        opt.update(params, {"theta": 4.0 * params["theta"]})
    return float(params["theta"])


def _optimal_rate_and_its_contraction():
    """H = diag(1, 9): η* = 2/(a_max + a_min), and the contraction measured on a dlopt.SGD run."""
    a = np.linalg.eigvalsh(np.diag([1.0, 9.0]))
    eta = 2.0 / (a[-1] + a[0])
    params, opt = {"theta": np.array([1.0, 1.0])}, dlopt.SGD(lr=eta)
    opt.update(params, {"theta": a * params["theta"]})
    contraction = float(np.abs(params["theta"]).max())  # both coordinates shrink by the same factor
    assert abs(contraction - (a[-1] / a[0] - 1) / (a[-1] / a[0] + 1)) < 1e-12
    return eta, contraction


def _escape_step():
    """f = x² − y² from (1, 1e-6), η = 0.1: the first step with |y| ≥ 1, from dlopt.trajectory."""
    path = dlopt.trajectory(dlopt.SGD(lr=0.1), dlopt.saddle, (1.0, 1e-6), 200)
    return int(np.argmax(np.abs(path[:, 1]) >= 1.0))


CALCULATIONS = {
    "gradient_descent-calc-1d": _theta_after_two_steps,
    "gradient_descent-calc-rates": _optimal_rate_and_its_contraction,
    "gradient_descent-calc-escape": _escape_step,
}


def check_gradient_descent_loop(namespace):
    """The filled listing's x against 30 steps of dlopt.SGD(lr=0.9) on dlopt.elliptic from (−7, 2)."""
    expected = dlopt.trajectory(dlopt.SGD(lr=0.9), dlopt.elliptic, (-7.0, 2.0), 30)
    assert len(expected) == 31
    np.testing.assert_allclose(namespace["x"], expected[-1], rtol=1e-12, atol=1e-14)


CODE_CHECKS = {"gradient_descent-loop": check_gradient_descent_loop}
