"""穴埋め of chapters/adam: one step of Adam with bias correction."""

from __future__ import annotations

import numpy as np

from .grader import register
from .inputs import ADAM_STATE, betas, detectable_eps, small_shape, step_arrays, step_count, uniform


def _adam_inputs(rng):
    return {
        **step_arrays(rng, small_shape(rng), **ADAM_STATE),
        "t": step_count(rng),
        "lr": uniform(rng, 0.001, 0.1),
        "betas": betas(rng),
        "eps": detectable_eps(rng),
    }


@register("adam_step", "Adam の 1 ステップ", _adam_inputs)
def adam_step(theta, m, v, grad, t, lr, betas, eps):
    """m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g ⊙ g;  θ ← θ − η m̂ / (√v̂ + ε).

    m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), t counted from 1. Returns (θ, m, v) with the
    uncorrected moments (they are the optimizer's state).
    """
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta, m, v
