"""Random inputs shared by the problems' generators: small shapes, a parameter and its gradient with
the optimizer's state between them, learning rates, β's and ε.

Every function draws from the ``np.random.Generator`` it is given and from nothing else, in the order
its arguments are written, so that a problem's inputs depend on ``check``'s seed only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Draw = Callable[[np.random.Generator, tuple], np.ndarray]


def small_shape(rng: np.random.Generator) -> tuple[int, int]:
    """A matrix shape of 1 to 3 rows and 1 to 3 columns (a row, a column, a single entry included)."""
    return int(rng.integers(1, 4)), int(rng.integers(1, 4))


def uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """A Python float from U(low, high): a learning rate, a momentum coefficient, a decay rate."""
    return float(rng.uniform(low, high))


def detectable_eps(rng: np.random.Generator) -> float:
    """ε = 1e-4, 1e-3 or 1e-2: large enough that ε inside the root (√(v + ε)) is caught."""
    return float(10.0 ** rng.integers(-4, -1))


def betas(rng: np.random.Generator) -> tuple[float, float]:
    """(β1, β2) with β1 in [0.5, 0.95) and β2 in [0.9, 0.999): swapping them shows."""
    return uniform(rng, 0.5, 0.95), uniform(rng, 0.9, 0.999)


def step_count(rng: np.random.Generator) -> int:
    """t counted from 1, small (1 to 7) so that Adam's bias correction 1 − β^t matters."""
    return int(rng.integers(1, 8))


def distinct_ints(rng: np.random.Generator, low: int, high: int) -> tuple[int, int]:
    """Two different integers from [low, high) (the second moved up by one if they are equal), so
    that using one where the other belongs (fan_out for fan_in) changes the answer."""
    first, second = int(rng.integers(low, high)), int(rng.integers(low, high))
    return first, second + 1 if second == first else second


# Draws of one array of a given shape, for ``step_arrays``.


def normal(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """N(0, 1): parameters, gradients, a momentum buffer or velocity."""
    return rng.normal(size=shape)


def squares(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """U(0, 2): a sum or running average of squared gradients (AdaGrad's h, RMSProp's v)."""
    return rng.uniform(0.0, 2.0, size=shape)


def first_moment(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """0.1 · N(0, 1): Adam's m after a few steps."""
    return 0.1 * rng.normal(size=shape)


def second_moment(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """U(0, 0.1): Adam's v after a few steps."""
    return rng.uniform(0.0, 0.1, size=shape)


def zeros_at_first_step(first: bool) -> Draw:
    """Zeros if ``first`` (the state before step 1), otherwise N(0, 1)."""
    return lambda rng, shape: np.zeros(shape) if first else normal(rng, shape)


ADAM_STATE: dict[str, Draw] = {"m": first_moment, "v": second_moment}


def step_arrays(rng: np.random.Generator, shape: tuple, **state: Draw) -> dict[str, np.ndarray]:
    """``{"theta": θ, **state, "grad": g}``: θ and g from N(0, 1), each state array drawn by its
    function, in this order."""
    arrays = {"theta": normal(rng, shape)}
    arrays.update({name: draw(rng, shape) for name, draw in state.items()})
    arrays["grad"] = normal(rng, shape)
    return arrays


def renamed(inputs: dict, **names: str) -> dict:
    """``inputs`` with the keys in ``names`` renamed (old=new), in the same order: one problem's inputs
    in another book's notation."""
    return {names.get(key, key): value for key, value in inputs.items()}
