"""穴埋め of chapters/rmsprop: one step of RMSProp in PyTorch's form, and the exam's class form
(ゼロから作る's RMSprop with decay_rate, self.h and the literal 1e-7, graded against dlopt.RMSProp)."""

from __future__ import annotations

import numpy as np

from ..optimizers import RMSProp
from .class_form import class_inputs, dlopt_run, run_class
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


# --- the exam's class form (E資格・『ゼロから作る』): class RMSprop with lr, decay_rate and self.h ---

ZERO_EPS = 1e-7  # ゼロから作る adds this literal to √h


def _class_inputs(rng):
    return class_inputs(rng, {"lr": uniform(rng, 0.01, 0.3), "decay_rate": uniform(rng, 0.8, 0.999)})


@register("rmsprop_class", "RMSprop クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class)
def rmsprop_class(settings, params, grads):
    """The exam's class (h ← ρh + (1 − ρ) g ⊙ g; θ ← θ − η g / (√h + 1e-7), h starting at 0) with
    these settings equals dlopt.RMSProp(lr, alpha=decay_rate, eps=1e-7) step by step."""
    optimizer = RMSProp(lr=settings["lr"], alpha=settings["decay_rate"], eps=ZERO_EPS)
    return dlopt_run(optimizer, params, grads)
