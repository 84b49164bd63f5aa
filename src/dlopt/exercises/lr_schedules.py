"""穴埋め of chapters/lr_schedules: the learning rate of linear warm-up followed by cosine annealing."""

from __future__ import annotations

import numpy as np

from .grader import register
from .inputs import uniform


def _warmup_cosine_inputs(rng):
    # One phase per trial, chosen at random: warm-up (t < W), cosine (W ≤ t ≤ T), after T (t > T).
    # start_factor < 1 and eta_min > 0, so that an off-by-one in the warm-up, a forgotten eta_min
    # and a cosine that is not stopped at T all change the value.
    warmup = int(rng.integers(1, 21))
    total = warmup + int(rng.integers(1, 101))
    phase = int(rng.integers(0, 3))
    if phase == 0:
        t = int(rng.integers(0, warmup))
    elif phase == 1:
        t = int(rng.integers(warmup, total + 1))
    else:
        t = int(rng.integers(total + 1, total + 51))
    lr = uniform(rng, 0.01, 1.0)
    return {
        "t": t,
        "lr": lr,
        "warmup_steps": warmup,
        "total_steps": total,
        "start_factor": uniform(rng, 0.05, 0.95),
        "eta_min": float(lr * rng.uniform(0.01, 0.2)),
    }


@register("lr_schedules_warmup_cosine", "ウォームアップ付きコサインの学習率", _warmup_cosine_inputs)
def lr_schedules_warmup_cosine(t, lr, warmup_steps, total_steps, start_factor, eta_min):
    """η_t (t counted from 0) of dlopt.schedules.warmup_cosine: linear warm-up from f·η to η over
    W steps, then cosine from η to η_min over T − W steps, then η_min."""
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    progress = min(t - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * progress)) / 2
