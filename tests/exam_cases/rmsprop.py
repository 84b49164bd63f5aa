"""The keys of src/dlopt/exam/bank/rmsprop.py, recomputed (tests/test_exam.py drives these), and the
table of the class-form drill ``rmsprop_class`` (tests/test_class_drills.py).

ゼロから作る's RMSprop is copied from oreilly-japan/deep-learning-from-scratch, common/optimizer.py
(@ 07b1161, unchanged since the first commit 0dda3d1): h ← ρh + (1 − ρ) g ⊙ g with ρ = decay_rate
(default 0.99); θ ← θ − η g / (√h + 1e-7), h starting at 0. It is dlopt.RMSProp(lr, alpha=decay_rate,
eps=1e-7).
"""

from __future__ import annotations

import math

import numpy as np
from zero_kara import ZeroRMSprop

import dlopt
from dlopt.exercises import check

# --- calculations --------------------------------------------------------------------------------


def _first_move():
    """η = 0.001, ρ = 0.9, g_1 = 2, ε = 1e-7 outside: |θ_1 − θ_0| = η·2/√0.4 = 3.16e-3."""
    opt, params = dlopt.RMSProp(lr=0.001, alpha=0.9, eps=1e-7), {"w": np.array(0.0)}
    opt.update(params, {"w": np.array(2.0)})
    zero, other = ZeroRMSprop(lr=0.001, decay_rate=0.9), {"w": np.array(0.0)}
    zero.update(other, {"w": np.array(2.0)})
    assert abs(float(params["w"]) - float(other["w"])) < 1e-15
    return abs(float(params["w"]))


def _h_after_two_steps():
    """ρ = 0.9, g_1 = 1, g_2 = 3: h_2 = 0.9 · 0.1 · 1 + 0.1 · 9 = 0.99 (dlopt's square_avg)."""
    opt, params = dlopt.RMSProp(lr=0.01, alpha=0.9, eps=1e-7), {"w": np.array(0.0)}
    zero, other = ZeroRMSprop(lr=0.01, decay_rate=0.9), {"w": np.array(0.0)}
    for g in (1.0, 3.0):
        opt.update(params, {"w": np.array(g)})
        zero.update(other, {"w": np.array(g)})
    h = float(opt.state["w"]["square_avg"])
    assert abs(h - float(zero.h["w"])) < 1e-15
    return h


def _keras_step_with_a_small_gradient():
    """Keras 3's RMSprop (ρ = 0.9, ε = 1e-7 inside the root), the gradient 1e-4 at every step:
    the step over η after 1000 steps, when v has reached g² (a reference written with math)."""
    g, v = 1e-4, 0.0
    for _ in range(1000):
        v = 0.9 * v + 0.1 * g * g
        move = g / math.sqrt(v + 1e-7)
    return move


CALCULATIONS = {
    "rmsprop-calc-first-step": _first_move,
    "rmsprop-calc-h2": _h_after_two_steps,
    "rmsprop-calc-keras-eps": _keras_step_with_a_small_gradient,
}


# --- code ----------------------------------------------------------------------------------------


def check_rmsprop_class(namespace):
    """The filled class against dlopt.RMSProp(lr, alpha=decay_rate, eps=1e-7): 20 random settings,
    6 steps, 3 keys."""
    verdict = check("rmsprop_class", namespace["RMSprop"])
    assert verdict, verdict.message


def check_rmsprop_torch(namespace):
    """The filled PyTorch loop against 5 steps of ゼロから作る's RMSprop(lr=0.01, decay_rate=0.99)
    on the same loss Σ w² from the same start."""
    params = {"w": np.array([1.0, -2.0, 0.5])}
    zero = ZeroRMSprop(lr=0.01, decay_rate=0.99)
    for _ in range(5):
        zero.update(params, {"w": 2.0 * params["w"]})
    np.testing.assert_allclose(namespace["w"].detach().numpy(), params["w"], rtol=1e-12, atol=1e-14)


CODE_CHECKS = {"rmsprop-class": check_rmsprop_class, "rmsprop-torch": check_rmsprop_torch}


# --- the class-form drill -----------------------------------------------------------------------

DRILL = "rmsprop_class"


class AverageRMSprop:
    """h ← ρh + (1 − ρ) g² written in one line, with ``**``."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class IncrementRMSprop:
    """h += (1 − ρ)(g² − h): the form ゼロから作る uses for Adam's m and v."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.h[key] += (1 - self.decay_rate) * (grads[key] * grads[key] - self.h[key])
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


DRILL_CORRECT = {
    "ゼロから作る (common/optimizer.py)": ZeroRMSprop,
    "h = ρh + (1 − ρ)g² in one line": AverageRMSprop,
    "h += (1 − ρ)(g² − h)": IncrementRMSprop,
}


def _mistake(step):
    """A class like ゼロから作る's whose loop body is ``step(self, params, grads, key)``."""

    class Mistake(ZeroRMSprop):
        def update(self, params, grads):
            if self.h is None:
                self.h = {key: np.zeros_like(val) for key, val in params.items()}
            for key in params:
                step(self, params, grads, key)

    return Mistake


def _swapped(self, params, grads, key):  # h ← (1 − ρ)h + ρ g²: the weights swapped
    self.h[key] *= 1 - self.decay_rate
    self.h[key] += self.decay_rate * grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


def _no_decay(self, params, grads, key):  # h ← h + g²: AdaGrad's sum (h *= ρ and 1 − ρ forgotten)
    self.h[key] += grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


def _no_one_minus(self, params, grads, key):  # h ← ρh + g²: the factor 1 − ρ forgotten
    self.h[key] *= self.decay_rate
    self.h[key] += grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


def _eps_inside(self, params, grads, key):  # θ ← θ − ηg/√(h + ε): Keras 3's place of ε
    self.h[key] *= self.decay_rate
    self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)


def _old_h(self, params, grads, key):  # θ moved with the old h, then h updated (1/1e-7 at step 1)
    params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
    self.h[key] *= self.decay_rate
    self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]


class BiasCorrectedRMSprop(ZeroRMSprop):
    """ĥ = h / (1 − ρ^t) as in Adam, with self.iter: ゼロから作る's RMSprop has no bias correction."""

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
            self.iter = 0
        self.iter += 1
        for key in params:
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            h_hat = self.h[key] / (1 - self.decay_rate**self.iter)
            params[key] -= self.lr * grads[key] / (np.sqrt(h_hat) + 1e-7)


DRILL_MISTAKES = {
    "h ← (1 − ρ)h + ρg² (weights swapped)": _mistake(_swapped),
    "h ← h + g² (AdaGrad's sum)": _mistake(_no_decay),
    "h ← ρh + g² (1 − ρ forgotten)": _mistake(_no_one_minus),
    "ε inside the root (Keras 3's form)": _mistake(_eps_inside),
    "θ moved with the old h": _mistake(_old_h),
    "a bias correction as in Adam": BiasCorrectedRMSprop,
}
