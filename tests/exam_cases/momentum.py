"""The keys of src/dlopt/exam/bank/momentum.py, recomputed (tests/test_exam.py drives these), and the
table of the class-form drill ``momentum_class`` (tests/test_class_drills.py).

ゼロから作る's Momentum is copied from oreilly-japan/deep-learning-from-scratch, common/optimizer.py
(unchanged since the first commit): v ← αv − ηg; θ ← θ + v, v starting at 0.
"""

from __future__ import annotations

import numpy as np
from zero_kara import ZeroMomentum

import dlopt
from dlopt.exercises import check

# --- calculations --------------------------------------------------------------------------------


def _velocity_after_three_steps():
    """lr = 0.1, momentum = 0.9, the gradient 2 at every step: v_3 = −η b_3 (dlopt's buffer)."""
    opt, params = dlopt.Momentum(lr=0.1, momentum=0.9), {"w": np.array(0.0)}
    for _ in range(3):
        opt.update(params, {"w": np.array(2.0)})
    velocity = -opt.lr * float(opt.state["w"]["momentum_buffer"])
    zero, other = ZeroMomentum(lr=0.1, momentum=0.9), {"w": np.array(0.0)}
    for _ in range(3):
        zero.update(other, {"w": np.array(2.0)})
    assert abs(zero.v["w"] - velocity) < 1e-12  # the same v in ゼロから作る's class
    return velocity


def _lr_for_the_same_terminal_step():
    """SGD with lr = 0.1 moves 0.1·g a step; Momentum(lr, 0.9) moves lr·g/(1 − 0.9) in the end.
    The lr that gives the same terminal step, from dlopt's own terminal step at lr = 1."""
    opt, params = dlopt.Momentum(lr=1.0, momentum=0.9), {"w": np.array(0.0)}
    for _ in range(2000):
        before = float(params["w"])
        opt.update(params, {"w": np.array(1.0)})
    terminal = before - float(params["w"])  # lr · 1/(1 − α) with lr = 1
    return 0.1 / terminal


def _steps_after_the_lr_change():
    """Gradient 1 at every step, momentum 0.9, lr 0.1 for steps 1–2 and 0.01 at step 3: how far
    step 3 moves θ in PyTorch's form (dlopt) and in ゼロから作る's, in this order."""
    moved = []
    for opt in (dlopt.Momentum(lr=0.1, momentum=0.9), ZeroMomentum(lr=0.1, momentum=0.9)):
        params = {"w": np.array(0.0)}
        for step in (1, 2, 3):
            opt.lr = 0.1 if step < 3 else 0.01
            before = float(params["w"])
            opt.update(params, {"w": np.array(1.0)})
        moved.append(before - float(params["w"]))
    return tuple(moved)


CALCULATIONS = {
    "momentum-calc-velocity": _velocity_after_three_steps,
    "momentum-calc-effective-lr": _lr_for_the_same_terminal_step,
    "momentum-calc-lr-change": _steps_after_the_lr_change,
}


# --- code ----------------------------------------------------------------------------------------


def check_momentum_class(namespace):
    """The filled class against dlopt.Momentum(lr, momentum): 20 random settings, 6 steps, 3 keys."""
    verdict = check("momentum_class", namespace["Momentum"])
    assert verdict, verdict.message


def check_momentum_torch(namespace):
    """The filled PyTorch loop against 5 steps of ゼロから作る's Momentum(lr=0.01, momentum=0.9)
    on the same loss Σ w² from the same start."""
    params = {"w": np.array([1.0, -2.0, 0.5])}
    zero = ZeroMomentum(lr=0.01, momentum=0.9)
    for _ in range(5):
        zero.update(params, {"w": 2.0 * params["w"]})
    np.testing.assert_allclose(namespace["w"].detach().numpy(), params["w"], rtol=1e-12, atol=1e-14)


CODE_CHECKS = {"momentum-class": check_momentum_class, "momentum-torch": check_momentum_torch}


# --- the class-form drill -----------------------------------------------------------------------

DRILL = "momentum_class"


class TorchFormMomentum:
    """PyTorch's form in the exam's class: b ← αb + g; θ ← θ − ηb (b_1 = g_1 because b starts at 0)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.b = lr, momentum, None

    def update(self, params, grads):
        if self.b is None:
            self.b = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.b[key] = self.momentum * self.b[key] + grads[key]
            params[key] -= self.lr * self.b[key]


class InPlaceMomentum:
    """The velocity updated in place: v *= α; v -= ηg; θ += v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.v[key]


DRILL_CORRECT = {
    "ゼロから作る (common/optimizer.py)": ZeroMomentum,
    "PyTorch's buffer b = −v/η": TorchFormMomentum,
    "v updated in place": InPlaceMomentum,
}


def _mistake(step):
    """A class like ゼロから作る's whose loop body is ``step(self, params, grads, key)``."""

    class Mistake(ZeroMomentum):
        def update(self, params, grads):
            if self.v is None:
                self.v = {key: np.zeros_like(val) for key, val in params.items()}
            for key in params:
                step(self, params, grads, key)

    return Mistake


def _plus_lr_g(self, params, grads, key):  # v ← αv + ηg: the sign of the gradient term
    self.v[key] = self.momentum * self.v[key] + self.lr * grads[key]
    params[key] += self.v[key]


def _no_lr(self, params, grads, key):  # v ← αv − g: torch's buffer mixed into the velocity
    self.v[key] = self.momentum * self.v[key] - grads[key]
    params[key] += self.v[key]


def _one_minus_alpha(self, params, grads, key):  # v ← αv − (1 − α)ηg: an average, as in Adam's m
    self.v[key] = self.momentum * self.v[key] - (1 - self.momentum) * self.lr * grads[key]
    params[key] += self.v[key]


def _minus_v(self, params, grads, key):  # θ ← θ − v: the sign when v is added
    self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
    params[key] -= self.v[key]


def _assign(self, params, grads, key):  # θ ← v: = where += belongs
    self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
    params[key] = self.v[key]


def _move_then_update(self, params, grads, key):  # θ ← θ + v with the old v, then v ← αv − ηg
    params[key] += self.v[key]
    self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]


def _lr_times_v(self, params, grads, key):  # torch's θ ← θ − ηb applied to the velocity: θ ← θ − ηv
    self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
    params[key] -= self.lr * self.v[key]


class VelocityResetEveryStep(ZeroMomentum):
    """``self.v = {}`` at every update (no ``if self.v is None``): v restarts at 0, so it is SGD."""

    def update(self, params, grads):
        self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


DRILL_MISTAKES = {
    "v ← αv + ηg (sign of the gradient term)": _mistake(_plus_lr_g),
    "v ← αv − g (no learning rate)": _mistake(_no_lr),
    "v ← αv − (1 − α)ηg (an average, as in Adam)": _mistake(_one_minus_alpha),
    "θ ← θ − v": _mistake(_minus_v),
    "θ ← v (= for +=)": _mistake(_assign),
    "θ moved with the old v before v is updated": _mistake(_move_then_update),
    "θ ← θ − ηv (torch's step applied to the velocity)": _mistake(_lr_times_v),
    "v reset to 0 at every update": VelocityResetEveryStep,
}
