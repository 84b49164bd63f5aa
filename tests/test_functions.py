"""The 2-D test functions: analytic gradients against central differences, minima, trajectory."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.functions import FUNCTIONS


def _central_difference(f, x, y, h=1e-6):
    return ((f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradient_matches_finite_differences(name):
    func = FUNCTIONS[name]
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = func.view
    for x, y in zip(rng.uniform(x0, x1, 50), rng.uniform(y0, y1, 50), strict=True):
        analytic = np.array(func.grad(x, y))
        numeric = np.array(_central_difference(func, x, y))
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-4 * (1 + np.abs(numeric).max()))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_functions_accept_arrays_for_contour_plots(name):
    xs, ys = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 4))
    assert FUNCTIONS[name](xs, ys).shape == (4, 5)


@pytest.mark.parametrize("name", ["elliptic", "rosenbrock", "beale"])
def test_minimum_has_zero_value_and_gradient(name):
    func = FUNCTIONS[name]
    x, y = func.minimum
    assert func(x, y) == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(func.grad(x, y), (0.0, 0.0), atol=1e-12)


def test_saddle_has_zero_gradient_and_mixed_curvature():
    assert dlopt.saddle.grad(0.0, 0.0) == (0.0, 0.0)
    assert dlopt.saddle(1.0, 0.0) > 0 > dlopt.saddle(0.0, 1.0)


def test_trajectory_records_start_and_every_step():
    path = dlopt.trajectory(dlopt.SGD(lr=0.1), dlopt.elliptic, (-7.0, 2.0), steps=30)
    assert path.shape == (31, 2)
    np.testing.assert_array_equal(path[0], [-7.0, 2.0])
    # gradient descent on x²/20 + y²: x_t = (1 − η/10)^t x_0, y_t = (1 − 2η)^t y_0
    np.testing.assert_allclose(path[-1], [-7.0 * 0.99**30, 2.0 * 0.8**30], rtol=1e-12)


def test_trajectory_stops_when_the_run_diverges():
    path = dlopt.trajectory(dlopt.SGD(lr=5.0), dlopt.elliptic, (-7.0, 2.0), steps=2000)
    assert len(path) < 2001
    assert np.isfinite(path).all()


def test_trajectory_rejects_negative_steps():
    with pytest.raises(ValueError, match="steps"):
        dlopt.trajectory(dlopt.SGD(), dlopt.elliptic, (0.0, 0.0), steps=-1)
