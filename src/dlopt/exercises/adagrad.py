"""穴埋め of chapters/adagrad: one step of AdaGrad, and the exam's class form (ゼロから作る's
AdaGrad with self.h and the literal 1e-7, graded against dlopt.AdaGrad with eps=1e-7)."""

from __future__ import annotations

import numpy as np

from ..optimizers import AdaGrad
from .class_form import class_inputs, dlopt_run, run_class
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


# --- the exam's class form (E資格・『ゼロから作る』): class AdaGrad with lr and self.h ---

ZERO_EPS = 1e-7  # ゼロから作る adds this literal to √h


def _class_inputs(rng):
    return class_inputs(rng, {"lr": uniform(rng, 0.01, 0.5)})


@register("adagrad_class", "AdaGrad クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class)
def adagrad_class(settings, params, grads):
    """The exam's class (h ← h + g ⊙ g; θ ← θ − η g / (√h + 1e-7), h starting at 0) with these
    settings equals dlopt.AdaGrad(lr, eps=1e-7) step by step: ε outside the root, as in PyTorch."""
    return dlopt_run(AdaGrad(lr=settings["lr"], eps=ZERO_EPS), params, grads)
