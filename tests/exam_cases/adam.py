"""The keys of src/dlopt/exam/bank/adam.py, recomputed (tests/test_exam.py drives these), and the
class drill adam_class: right classes written otherwise and typical mistakes (tests/test_class_drills.py)."""

import math

import numpy as np
from zero_kara import ZeroAdam

import dlopt
from dlopt.exercises.adam import zero_eps

# --- the class drill ---------------------------------------------------------------------------------

DRILL = "adam_class"


class ZeroAdamCommented(ZeroAdam):
    """The form ゼロから作る leaves in comments: m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g²."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * (grads[key] ** 2)
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class HatAdam(ZeroAdam):
    """The paper's m̂ and v̂ written out; ε = 1e-7 / √(1 − β2^t) makes it ゼロから作る's step exactly."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        t = self.iter
        eps = 1e-7 / math.sqrt(1 - self.beta2**t)
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] * grads[key]
            m_hat = self.m[key] / (1 - self.beta1**t)
            v_hat = self.v[key] / (1 - self.beta2**t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + eps)


DRILL_CORRECT = {
    "ゼロから作る (current, verbatim)": ZeroAdam,
    "ゼロから作る's commented-out form of m and v": ZeroAdamCommented,
    "m̂ and v̂ written out, ε = 1e-7/√(1 − β2^t)": HatAdam,
}


class EpsInsideRoot(ZeroAdam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / np.sqrt(self.v[key] + 1e-7)


class NoBiasCorrection(ZeroAdam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class NoRootInLrT(ZeroAdam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * (1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class BetasSwappedInLrT(ZeroAdam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta1**self.iter) / (1.0 - self.beta2**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class BetaForOneMinusBeta(ZeroAdam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += self.beta1 * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class IterInsideTheLoop(ZeroAdam):
    """self.iter += 1 once a key, not once an update: t runs 3 times too fast with three keys."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.iter += 1
            lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class PyTorchFormWithFixedEps(ZeroAdam):
    """m̂ and v̂ with ε = 1e-7 added to √v̂: PyTorch's form, not ゼロから作る's (ε_t differs)."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        t = self.iter
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] * grads[key]
            m_hat = self.m[key] / (1 - self.beta1**t)
            v_hat = self.v[key] / (1 - self.beta2**t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-7)


class CorrectedMomentsKept(ZeroAdam):
    """m and v overwritten with their bias-corrected values: the next step starts from the wrong state."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        t = self.iter
        eps = 1e-7 / math.sqrt(1 - self.beta2**t)
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] * grads[key]
            self.m[key] = self.m[key] / (1 - self.beta1**t)
            self.v[key] = self.v[key] / (1 - self.beta2**t)
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + eps)


DRILL_MISTAKES = {
    "ε inside the root, np.sqrt(v + 1e-7)": EpsInsideRoot,
    "no bias correction (lr instead of lr_t)": NoBiasCorrection,
    "lr_t without the square root": NoRootInLrT,
    "β1 and β2 swapped in lr_t": BetasSwappedInLrT,
    "β1 where 1 − β1 belongs in m": BetaForOneMinusBeta,
    "self.iter += 1 inside the loop over keys": IterInsideTheLoop,
    "PyTorch's form with ε = 1e-7 added to √v̂": PyTorchFormWithFixedEps,
    "bias-corrected m̂, v̂ stored as the state": CorrectedMomentsKept,
}


# --- calculation keys ----------------------------------------------------------------------------------


def _first_step_without_correction():
    """m_1/√v_1 from dlopt.Adam's state after one step (g_1 = 1): the uncorrected step over η."""
    opt = dlopt.Adam(lr=1e-3, betas=(0.9, 0.999))
    opt.update({"w": np.array(0.0)}, {"w": np.array(1.0)})
    state = opt.state["w"]
    return float(state["exp_avg"] / np.sqrt(state["exp_avg_sq"]))


def _m_hat_2():
    opt = dlopt.Adam(betas=(0.9, 0.999))
    params = {"w": np.array(0.0)}
    for g in (1.0, 3.0):
        opt.update(params, {"w": np.array(g)})
    return float(opt.state["w"]["exp_avg"]) / (1 - 0.9**2)


CALCULATIONS = {
    "adam-calc-no-correction": _first_step_without_correction,
    "adam-calc-m-hat": _m_hat_2,
    "adam-calc-eps": lambda: zero_eps(0.999, 1),
}


# --- code keys -------------------------------------------------------------------------------------------


def check_adam_class(namespace):
    """The filled listing's Adam equals dlopt.Adam (ε = 1e-7/√(1 − β2^t) at step t) on the drill's
    20 random cases: three keys, six steps each."""
    verdict = dlopt.exercises.check(DRILL, namespace["Adam"])
    assert verdict.kind == "pass", verdict.message


CODE_CHECKS = {"adam-class": check_adam_class}
