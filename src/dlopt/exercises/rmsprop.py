"""穴埋め of chapters/rmsprop: one step of RMSProp in PyTorch's form."""

from __future__ import annotations

import numpy as np

from .grader import register
from .inputs import detectable_eps, small_shape, squares, step_arrays, uniform


def rmsprop_inputs(rng):
    return {
        **step_arrays(rng, small_shape(rng), v=squares),
        "lr": uniform(rng, 0.001, 0.1),
        "alpha": uniform(rng, 0.8, 0.999),
        "eps": detectable_eps(rng),
    }


@register("rmsprop_step", "RMSProp の 1 ステップ（PyTorch 形式）", rmsprop_inputs)
def rmsprop_step(theta, v, grad, lr, alpha, eps):
    """v ← α v + (1 − α) g ⊙ g;  θ ← θ − η g / (√v + ε).  Returns (θ, v)."""
    v = alpha * v + (1 - alpha) * grad * grad
    theta = theta - lr * grad / (np.sqrt(v) + eps)
    return theta, v
