"""The keys of src/dlopt/exam/bank/adagrad.py, recomputed (tests/test_exam.py drives these), and the
table of the class-form drill ``adagrad_class`` (tests/test_class_drills.py).

ゼロから作る's AdaGrad is copied from oreilly-japan/deep-learning-from-scratch, common/optimizer.py
(@ 07b1161, unchanged since the first commit 0dda3d1): h ← h + g ⊙ g; θ ← θ − η g / (√h + 1e-7),
h starting at 0. It is dlopt.AdaGrad(lr, eps=1e-7).
"""

from __future__ import annotations

import numpy as np
from zero_kara import ZeroAdaGrad

import dlopt
from dlopt.exercises import check

# --- calculations --------------------------------------------------------------------------------


def _theta_after_two_steps():
    """θ_0 = 1, η = 0.1, g_1 = 3, g_2 = 4 with ゼロから作る's ε = 1e-7: θ_2 = 1 − 0.1 − 0.08."""
    opt, params = dlopt.AdaGrad(lr=0.1, eps=1e-7), {"w": np.array(1.0)}
    zero, other = ZeroAdaGrad(lr=0.1), {"w": np.array(1.0)}
    for g in (3.0, 4.0):
        opt.update(params, {"w": np.array(g)})
        zero.update(other, {"w": np.array(g)})
    assert abs(float(params["w"]) - float(other["w"])) < 1e-15  # ゼロから作る's class gives the same
    return float(params["w"])


def _move_at_step_16():
    """η = 0.01, the gradient 0.5 at every step: how far step 16 moves θ (η/√16 = 0.0025)."""
    opt, params = dlopt.AdaGrad(lr=0.01, eps=1e-7), {"w": np.array(0.0)}
    for _ in range(16):
        before = float(params["w"])
        opt.update(params, {"w": np.array(0.5)})
    return before - float(params["w"])


def _first_move_over_lr():
    """ゼロから作る's AdaGrad (ε = 1e-7 outside the root), g_1 = 1e-7: |θ_1 − θ_0| / η = 1/2."""
    zero, params = ZeroAdaGrad(lr=1.0), {"w": np.array(0.0)}
    zero.update(params, {"w": np.array(1e-7)})
    opt, other = dlopt.AdaGrad(lr=1.0, eps=1e-7), {"w": np.array(0.0)}
    opt.update(other, {"w": np.array(1e-7)})
    assert abs(float(params["w"]) - float(other["w"])) < 1e-15
    return abs(float(params["w"]))


CALCULATIONS = {
    "adagrad-calc-two-steps": _theta_after_two_steps,
    "adagrad-calc-step-16": _move_at_step_16,
    "adagrad-calc-tiny-gradient": _first_move_over_lr,
}


# --- code ----------------------------------------------------------------------------------------


def check_adagrad_class(namespace):
    """The filled class against dlopt.AdaGrad(lr, eps=1e-7): 20 random settings, 6 steps, 3 keys."""
    verdict = check("adagrad_class", namespace["AdaGrad"])
    assert verdict, verdict.message


CODE_CHECKS = {"adagrad-class": check_adagrad_class}


# --- the class-form drill -----------------------------------------------------------------------

DRILL = "adagrad_class"


class SquaredAdaGrad:
    """h ← h + g²  written with ``**`` and without in-place operators; state made key by key."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self.h.get(key, np.zeros_like(params[key]))
            self.h[key] = h + grads[key] ** 2
            params[key] = params[key] - self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class EffectiveLrAdaGrad:
    """The per-component effective learning rate η / (√h + ε) computed first, then an SGD step."""

    def __init__(self, lr=0.01):
        self.lr, self.eps, self.h = lr, 1e-7, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            lr_eff = self.lr / (np.sqrt(self.h[key]) + self.eps)
            params[key] -= lr_eff * grads[key]


DRILL_CORRECT = {
    "ゼロから作る (common/optimizer.py)": ZeroAdaGrad,
    "h + g ** 2, state made key by key": SquaredAdaGrad,
    "the effective learning rate first": EffectiveLrAdaGrad,
}


def _mistake(step):
    """A class like ゼロから作る's whose loop body is ``step(self, params, grads, key)``."""

    class Mistake(ZeroAdaGrad):
        def update(self, params, grads):
            if self.h is None:
                self.h = {key: np.zeros_like(val) for key, val in params.items()}
            for key in params:
                step(self, params, grads, key)

    return Mistake


def _eps_inside(self, params, grads, key):  # θ ← θ − ηg/√(h + ε): Keras 3's place of ε
    self.h[key] += grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)


def _assign_h(self, params, grads, key):  # h ← g ⊙ g: = where += belongs, so no memory (signSGD)
    self.h[key] = grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


def _no_root(self, params, grads, key):  # θ ← θ − ηg/(h + ε): the square root forgotten
    self.h[key] += grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)


def _old_h(self, params, grads, key):  # θ moved with the old h (h_{t−1}), then h updated
    params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
    self.h[key] += grads[key] * grads[key]


def _precedence(self, params, grads, key):  # ηg/√h + ε: the parentheses around √h + ε forgotten
    self.h[key] += grads[key] * grads[key]
    params[key] -= self.lr * grads[key] / np.sqrt(self.h[key]) + 1e-7


def _ascent(self, params, grads, key):  # θ ← θ + ηg/(√h + ε): the sign of the step
    self.h[key] += grads[key] * grads[key]
    params[key] += self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class KerasStartAdaGrad(ZeroAdaGrad):
    """h_0 = 0.1 (Keras 3's initial_accumulator_value) instead of ゼロから作る's zeros."""

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.full_like(val, 0.1) for key, val in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


DRILL_MISTAKES = {
    "ε inside the root (Keras 3's form)": _mistake(_eps_inside),
    "h ← g ⊙ g (= for +=)": _mistake(_assign_h),
    "no square root": _mistake(_no_root),
    "θ moved with the old h": _mistake(_old_h),
    "ηg/√h + 1e-7 (parentheses)": _mistake(_precedence),
    "θ ← θ + … (sign)": _mistake(_ascent),
    "h_0 = 0.1 (Keras 3's initial accumulator)": KerasStartAdaGrad,
}
