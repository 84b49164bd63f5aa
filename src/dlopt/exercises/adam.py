"""穴埋め of chapters/adam: one step of Adam with bias correction, and the exam's class form
(ゼロから作る's Adam with iter, lr_t, m, v and the literal 1e-7, graded against dlopt.Adam)."""

from __future__ import annotations

import math

import numpy as np

from ..optimizers import Adam
from .class_form import class_inputs, dlopt_run, run_class
from .grader import register
from .inputs import ADAM_STATE, betas, detectable_eps, small_shape, step_arrays, step_count, uniform

ZERO_EPS = 1e-7  # ゼロから作る adds this literal to √v (the uncorrected v), see zero_eps


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


# --- the exam's class form (E資格・『ゼロから作る』): class Adam with lr, beta1, beta2, iter, m, v ---


def zero_eps(beta2: float, t: int) -> float:
    """The torch-form ε that makes dlopt.Adam compute ゼロから作る's step t.

    ゼロから作る: θ ← θ − η_t m / (√v + 1e-7) with η_t = η √(1 − β2^t) / (1 − β1^t). Dividing the
    numerator and the denominator by √(1 − β2^t) gives η m̂ / (√v̂ + 1e-7 / √(1 − β2^t)).
    """
    return ZERO_EPS / math.sqrt(1.0 - beta2**t)


def _class_inputs(rng):
    # β2 ≤ 0.99: v stays small in six steps, so ε's place (√v + 1e-7 or √(v + 1e-7)) shows clearly
    settings = {
        "lr": uniform(rng, 0.01, 0.3),
        "beta1": uniform(rng, 0.5, 0.95),
        "beta2": uniform(rng, 0.9, 0.99),
    }
    return class_inputs(rng, settings)


def zero_form(beta2: float):
    """``before_step`` for dlopt_run: sets ε = zero_eps(β2, t) before update t."""

    def before_step(optimizer, t):
        optimizer.eps = zero_eps(beta2, t)

    return before_step


@register("adam_class", "Adam クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class)
def adam_class(settings, params, grads):
    """The exam's class (m += (1 − β1)(g − m); v += (1 − β2)(g² − v); lr_t = lr √(1 − β2^t)/(1 − β1^t);
    θ −= lr_t m / (√v + 1e-7), iter counted from 1) equals dlopt.Adam(lr, (β1, β2)) step by step
    when ε at step t is 1e-7 / √(1 − β2^t) (zero_eps)."""
    beta2 = settings["beta2"]
    optimizer = Adam(lr=settings["lr"], betas=(settings["beta1"], beta2), eps=ZERO_EPS)
    return dlopt_run(optimizer, params, grads, before_step=zero_form(beta2))
