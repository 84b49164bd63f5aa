"""穴埋め of chapters/adagrad: one step of AdaGrad."""

from __future__ import annotations

import numpy as np

from .grader import register
from .inputs import small_shape, squares, step_arrays, uniform


def _adagrad_inputs(rng):
    # ε = 1e-7 (Keras's): ε inside the root still changes θ by 5 to 50 times the tolerance
    return {**step_arrays(rng, small_shape(rng), h=squares), "lr": uniform(rng, 0.01, 1.0), "eps": 1e-7}


@register("adagrad_step", "AdaGrad の 1 ステップ", _adagrad_inputs)
def adagrad_step(theta, h, grad, lr, eps):
    """h ← h + g ⊙ g;  θ ← θ − η g / (√h + ε).  Returns (θ, h)."""
    h = h + grad * grad
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    return theta, h
