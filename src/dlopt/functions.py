r"""Two-dimensional test functions with analytic gradients, and ``trajectory``.

Each function is a ``TestFunction``: ``f(x, y)`` works on floats and on numpy arrays (for contour
plots), ``f.grad(x, y)`` returns ``(∂f/∂x, ∂f/∂y)``, and ``f.minimum`` / ``f.view`` describe where to
look. ``trajectory(optimizer, f, start, steps)`` runs a dlopt optimizer on one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["TestFunction", "elliptic", "rosenbrock", "beale", "saddle", "FUNCTIONS", "trajectory"]


@dataclass(frozen=True)
class TestFunction:
    """A 2-D function f(x, y), its gradient, its minimum (None for a saddle) and a plotting window."""

    name: str
    formula: str
    value: Callable
    gradient: Callable
    minimum: tuple[float, float] | None
    view: tuple[tuple[float, float], tuple[float, float]]
    log_levels: bool = False

    def __call__(self, x, y):
        return self.value(x, y)

    def grad(self, x, y):
        return self.gradient(x, y)


elliptic = TestFunction(
    name="elliptic",
    formula=r"$f(x, y) = \frac{x^2}{20} + y^2$",
    value=lambda x, y: x**2 / 20.0 + y**2,
    gradient=lambda x, y: (x / 10.0, 2.0 * y),
    minimum=(0.0, 0.0),
    view=((-10.0, 10.0), (-5.0, 5.0)),
)
"""f(x, y) = x²/20 + y²: the elongated bowl of ゼロから作るDeep Learning (condition number 20)."""

rosenbrock = TestFunction(
    name="rosenbrock",
    formula=r"$f(x, y) = (1 - x)^2 + 100 (y - x^2)^2$",
    value=lambda x, y: (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2,
    gradient=lambda x, y: (
        -2.0 * (1.0 - x) - 400.0 * x * (y - x**2),
        200.0 * (y - x**2),
    ),
    minimum=(1.0, 1.0),
    view=((-2.0, 2.0), (-1.0, 3.0)),
    log_levels=True,
)
"""Rosenbrock's banana valley, minimum f(1, 1) = 0."""

beale = TestFunction(
    name="beale",
    formula=r"$f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2$",
    value=lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
    ),
    gradient=lambda x, y: (
        2.0 * (1.5 - x + x * y) * (y - 1.0)
        + 2.0 * (2.25 - x + x * y**2) * (y**2 - 1.0)
        + 2.0 * (2.625 - x + x * y**3) * (y**3 - 1.0),
        2.0 * (1.5 - x + x * y) * x
        + 2.0 * (2.25 - x + x * y**2) * 2.0 * x * y
        + 2.0 * (2.625 - x + x * y**3) * 3.0 * x * y**2,
    ),
    minimum=(3.0, 0.5),
    view=((-4.5, 4.5), (-4.5, 4.5)),
    log_levels=True,
)
"""Beale's function, minimum f(3, 0.5) = 0, with flat plateaus and steep walls."""

saddle = TestFunction(
    name="saddle",
    formula=r"$f(x, y) = x^2 - y^2$",
    value=lambda x, y: x**2 - y**2,
    gradient=lambda x, y: (2.0 * x, -2.0 * y),
    minimum=None,
    view=((-2.0, 2.0), (-2.0, 2.0)),
)
"""The saddle x² − y²: zero gradient at the origin, which is not a minimum."""

FUNCTIONS = {f.name: f for f in (elliptic, rosenbrock, beale, saddle)}


def trajectory(optimizer, func: TestFunction, start: tuple[float, float], steps: int) -> np.ndarray:
    """Run ``optimizer`` on ``func`` from ``start`` for ``steps`` steps.

    Returns an array of shape ``(steps + 1, 2)``: the start point and the point after every step.
    The run stops early (and the array is shorter) if the point leaves the finite numbers.
    """
    if steps < 0:
        raise ValueError(f"steps は 0 以上の整数でなければなりません（steps={steps!r} が渡されました）")
    # 0-d arrays (updated in place) rather than floats: a diverging run overflows to inf, not to an error
    params = {"x": np.array(start[0], dtype=np.float64), "y": np.array(start[1], dtype=np.float64)}
    path = [(float(params["x"]), float(params["y"]))]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            gx, gy = func.grad(params["x"], params["y"])
            optimizer.update(params, {"x": gx, "y": gy})
            if not (np.isfinite(params["x"]) and np.isfinite(params["y"])):
                break
            path.append((float(params["x"]), float(params["y"])))
    return np.array(path)
