"""穴埋め of chapters/schedule_free: one step of Schedule-Free SGD (the three sequences y, z, x) on a
separable quadratic, and the averaging weights c_t of schedulefree's AdamWScheduleFree (warm-up,
weight_lr_power, r).

Indexing as in the chapter and dlopt.ScheduleFreeAdamW: step t (from 1) takes the gradient at
y_{t-1} = (1 − β) z_{t-1} + β x_{t-1}, then z_t = z_{t-1} − η g_t and x_t = (1 − c_t) x_{t-1} + c_t z_t.
"""

from __future__ import annotations

import numpy as np

from .grader import register
from .inputs import normal, small_shape, step_count, uniform


def _sgd_inputs(rng):
    shape = small_shape(rng)
    return {
        "x": normal(rng, shape),
        "z": normal(rng, shape),
        "a": rng.uniform(0.5, 2.0, size=shape),  # f(θ) = Σ (a θ²/2 − b θ): curvature a > 0
        "b": normal(rng, shape),
        "t": step_count(rng),  # 1 to 7
        "lr": uniform(rng, 0.05, 0.5),
        # β in [0.5, 0.95): swapping β and 1 − β in the interpolation changes y
        "beta": uniform(rng, 0.5, 0.95),
    }


@register("schedule_free_sgd_step", "Schedule-Free SGD の 1 ステップ（y, z, x）", _sgd_inputs)
def schedule_free_sgd_step(x, z, a, b, t, lr, beta):
    """One step t of Schedule-Free SGD on f(θ) = Σ (a θ²/2 − b θ), from x = x_{t-1}, z = z_{t-1}.

    y = (1 − β) z + β x (the gradient is taken here, g = a y − b); z ← z − η g; c_t = 1/t;
    x ← (1 − c_t) x + c_t z (with the new z). Returns (x_t, z_t).
    """
    y = (1 - beta) * z + beta * x
    grad = a * y - b
    z = z - lr * grad
    c = 1 / t
    x = (1 - c) * x + c * z
    return x, z


def _weights_inputs(rng):
    # Warm-up on in most trials (W from 1 to 8 over 5 to 12 steps), off in some; r = 0 (the default)
    # in about half, so that a forgotten t^r and a forgotten warm-up both change the answer.
    steps = int(rng.integers(5, 13))
    warmup = int(rng.integers(0, 9))
    return {
        "lr": uniform(rng, 0.001, 0.1),
        "warmup_steps": warmup,
        "steps": steps,
        "r": 0.0 if rng.random() < 0.5 else uniform(rng, 0.5, 2.0),
        "weight_lr_power": float(rng.choice([0.0, 1.0, 2.0])),
    }


@register("schedule_free_weights", "Schedule-Free の平均の重み c_t（ウォームアップ付き）", _weights_inputs)
def schedule_free_weights(lr, warmup_steps, steps, r, weight_lr_power):
    """c_1, …, c_T (T = steps) of AdamWScheduleFree 1.4.1 / dlopt.ScheduleFreeAdamW, as an ndarray.

    η_t = η min(1, t/W) (η_t = η when W = 0), η_max = max_{s≤t} η_s, w_t = t^r η_max^p,
    c_t = w_t / Σ_{s≤t} w_s.
    """
    t = np.arange(1, steps + 1)
    lr_t = lr * np.minimum(1.0, t / warmup_steps) if warmup_steps else np.full(steps, lr)
    weights = t**r * np.maximum.accumulate(lr_t) ** weight_lr_power
    return weights / np.cumsum(weights)
