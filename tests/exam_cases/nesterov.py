"""The keys of src/dlopt/exam/bank/nesterov.py, recomputed (tests/test_exam.py drives these), and the
table of the class-form drill ``nesterov_class`` (tests/test_class_drills.py).

ゼロから作る's Nesterov (oreilly-japan/deep-learning-from-scratch, common/optimizer.py) as it is now,
since commit 89eadd0 ("Fix Nesterov update function", 2021-01-18): θ ← θ + α²v − (1 + α)ηg with the
old v, then v ← αv − ηg. That is Bengio et al.'s form; with v = −ηb it is torch's SGD(nesterov=True)
(dlopt.Nesterov) at a constant η. Before that commit v was updated first, so θ used the new v: the
step is −η((1 + α)g + α²b), another algorithm (tests/test_conventions.py proves both statements).
"""

from __future__ import annotations

import numpy as np
from zero_kara import ZeroNesterov, ZeroNesterovBefore2021

import dlopt
from dlopt.exercises import check

# --- calculations --------------------------------------------------------------------------------


def _run(opt, theta0, grad, steps):
    params = {"w": np.array(theta0)}
    for _ in range(steps):
        opt.update(params, {"w": grad(params["w"])})
    return float(params["w"])


def _first_step():
    """L = θ² (gradient 2θ), θ_0 = 1, lr = 0.1, momentum = 0.9: θ_1 of the current class, which is
    dlopt.Nesterov's (torch's) θ_1."""
    theta = _run(ZeroNesterov(lr=0.1, momentum=0.9), 1.0, lambda w: 2 * w, 1)
    assert abs(theta - _run(dlopt.Nesterov(lr=0.1, momentum=0.9), 1.0, lambda w: 2 * w, 1)) < 1e-12
    return theta


def _two_steps():
    """L = θ²/2 (gradient θ), θ_0 = 2, lr = 0.5, momentum = 0.5: θ_2 of the current class (= dlopt)."""
    theta = _run(ZeroNesterov(lr=0.5, momentum=0.5), 2.0, lambda w: 1.0 * w, 2)
    assert abs(theta - _run(dlopt.Nesterov(lr=0.5, momentum=0.5), 2.0, lambda w: 1.0 * w, 2)) < 1e-12
    return theta


def _effective_coefficient():
    """α(1 − ηa) for α = 0.9, η = 0.1, a = 5, read off dlopt.Nesterov: on L = aθ²/2 its velocity in
    the look-ahead form obeys v_t = α(1 − ηa) v_{t-1} − η a θ_{t-1}, so with θ_{t-1} = 0 the ratio
    v_t / v_{t-1} is the coefficient. θ = Θ − αv with v = −ηb recovers the look-ahead form's θ."""
    alpha, lr, a = 0.9, 0.1, 5.0
    opt, params = dlopt.Nesterov(lr=lr, momentum=alpha), {"w": np.array(1.0)}
    opt.update(params, {"w": a * params["w"]})  # step 1: b_1, Θ_1
    v1 = -lr * float(opt.state["w"]["momentum_buffer"])
    # move Θ so that the look-ahead form's θ_1 = Θ_1 − αv_1 is 0, then take step 2
    params["w"] = np.array(alpha * v1)
    opt.update(params, {"w": a * params["w"]})
    v2 = -lr * float(opt.state["w"]["momentum_buffer"])
    coefficient = v2 / v1
    assert abs(coefficient - alpha * (1 - lr * a)) < 1e-12
    return coefficient


CALCULATIONS = {
    "nesterov-calc-first-step": _first_step,
    "nesterov-calc-two-steps": _two_steps,
    "nesterov-calc-effective": _effective_coefficient,
}


# --- code ----------------------------------------------------------------------------------------


def check_nesterov_class(namespace):
    """The filled class against dlopt.Nesterov(lr, momentum) (= torch's SGD(nesterov=True)):
    20 random settings, 6 steps, 3 keys."""
    verdict = check("nesterov_class", namespace["Nesterov"])
    assert verdict, verdict.message


def check_nesterov_torch(namespace):
    """The filled PyTorch loop against 5 steps of ゼロから作る's current Nesterov(lr=0.01,
    momentum=0.9) on the same loss Σ w² from the same start."""
    params = {"w": np.array([1.0, -2.0, 0.5])}
    zero = ZeroNesterov(lr=0.01, momentum=0.9)
    for _ in range(5):
        zero.update(params, {"w": 2.0 * params["w"]})
    np.testing.assert_allclose(namespace["w"].detach().numpy(), params["w"], rtol=1e-12, atol=1e-14)


CODE_CHECKS = {
    "nesterov-class": check_nesterov_class,
    "nesterov-order": check_nesterov_class,
    "nesterov-torch": check_nesterov_torch,
}


# --- the class-form drill -----------------------------------------------------------------------

DRILL = "nesterov_class"


class KerasFormNesterov:
    """Keras's order: v ← αv − ηg first, then θ ← θ + αv − ηg with the NEW v (the same update)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.momentum * self.v[key] - self.lr * grads[key]


class TorchFormNesterov:
    """PyTorch's form in the exam's class: b ← αb + g; θ ← θ − η(g + αb)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.b = lr, momentum, None

    def update(self, params, grads):
        if self.b is None:
            self.b = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.b[key] = self.momentum * self.b[key] + grads[key]
            params[key] -= self.lr * (grads[key] + self.momentum * self.b[key])


DRILL_CORRECT = {
    "ゼロから作る (current, since 89eadd0)": ZeroNesterov,
    "Keras's order (new v, αv − ηg)": KerasFormNesterov,
    "PyTorch's buffer b = −v/η": TorchFormNesterov,
}


def _mistake(step):
    """A class like ゼロから作る's whose loop body is ``step(self, params, grads, key)``."""

    class Mistake(ZeroNesterov):
        def update(self, params, grads):
            if self.v is None:
                self.v = {key: np.zeros_like(val) for key, val in params.items()}
            for key in params:
                step(self, params, grads, key)

    return Mistake


def _velocity(self, grads, key):
    self.v[key] *= self.momentum
    self.v[key] -= self.lr * grads[key]


def _alpha_not_squared(self, params, grads, key):  # α v where α² v belongs
    params[key] += self.momentum * self.v[key]
    params[key] -= (1 + self.momentum) * self.lr * grads[key]
    _velocity(self, grads, key)


def _no_one_plus_alpha(self, params, grads, key):  # η g where (1 + α) η g belongs
    params[key] += self.momentum * self.momentum * self.v[key]
    params[key] -= self.lr * grads[key]
    _velocity(self, grads, key)


def _classic(self, params, grads, key):  # classic momentum: v ← αv − ηg; θ ← θ + v
    # (θ ← θ + αv − ηg with the OLD v is this same update, so it is not listed apart)
    _velocity(self, grads, key)
    params[key] += self.v[key]


def _velocity_lr_first(self, params, grads, key):  # v −= ηg before v *= α: v ← α(v − ηg)
    params[key] += self.momentum * self.momentum * self.v[key]
    params[key] -= (1 + self.momentum) * self.lr * grads[key]
    self.v[key] -= self.lr * grads[key]
    self.v[key] *= self.momentum


def _minus_alpha_squared(self, params, grads, key):  # θ ← θ − α²v: the sign of the velocity term
    params[key] -= self.momentum * self.momentum * self.v[key]
    params[key] -= (1 + self.momentum) * self.lr * grads[key]
    _velocity(self, grads, key)


def _one_minus_alpha(self, params, grads, key):  # (1 − α) η g for (1 + α) η g
    params[key] += self.momentum * self.momentum * self.v[key]
    params[key] -= (1 - self.momentum) * self.lr * grads[key]
    _velocity(self, grads, key)


DRILL_MISTAKES = {
    "ゼロから作る before 89eadd0 (v updated first)": ZeroNesterovBefore2021,
    "α v for α² v": _mistake(_alpha_not_squared),
    "η g for (1 + α) η g": _mistake(_no_one_plus_alpha),
    "(1 − α) η g for (1 + α) η g": _mistake(_one_minus_alpha),
    "classic momentum (θ ← θ + v)": _mistake(_classic),
    "v ← α(v − ηg) (the two v lines swapped)": _mistake(_velocity_lr_first),
    "θ ← θ − α²v (sign)": _mistake(_minus_alpha_squared),
}
