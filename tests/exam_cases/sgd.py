"""The keys of src/dlopt/exam/bank/sgd.py, recomputed (tests/test_exam.py drives these), and the
table of the class-form drill ``sgd_class`` (tests/test_class_drills.py).

ゼロから作る's SGD is copied from oreilly-japan/deep-learning-from-scratch, common/optimizer.py
(commit 07b1161): ``__init__(self, lr=0.01)``; ``params[key] -= self.lr * grads[key]`` for every key.
Its mini-batches come from ch04/train_neuralnet.py: ``np.random.choice(train_size, batch_size)``.
"""

from __future__ import annotations

import math

import numpy as np
from zero_kara import ZeroSGD

import dlopt
from dlopt.exercises import check

# --- calculations --------------------------------------------------------------------------------


def _one_minibatch_step():
    """θ = 1, η = 0.1, the four per-example gradients 2, 4, −1, 3: one step with their mean."""
    per_example = np.array([2.0, 4.0, -1.0, 3.0])
    params = {"theta": np.array(1.0)}
    dlopt.SGD(lr=0.1).update(params, {"theta": per_example.mean()})
    return float(params["theta"])


def _updates_in_five_epochs():
    """N = 10000, B = 256, drop_last=False: ⌈N/B⌉ iterations an epoch, counted from dlopt's batches."""
    x = np.zeros((10000, 1))
    per_epoch = sum(1 for _ in dlopt.data.minibatches(x, np.zeros(10000), 256, rng=0))
    assert per_epoch == math.ceil(10000 / 256)
    return 5 * per_epoch


def _noise_ratio():
    """Var ∝ 1/B: the standard deviation's ratio from B = 32 to B = 512."""
    return math.sqrt(32 / 512)


def _scaled_learning_rate():
    """The linear scaling rule: lr × (new B / old B)."""
    return 0.05 * 256 / 32


CALCULATIONS = {
    "sgd-calc-step": _one_minibatch_step,
    "sgd-calc-iterations": _updates_in_five_epochs,
    "sgd-calc-noise": _noise_ratio,
    "sgd-calc-scaling": _scaled_learning_rate,
}


# --- code ----------------------------------------------------------------------------------------


def check_sgd_class(namespace):
    """The filled listing's W against the same training with dlopt.SGD(lr=0.1) and ゼロから作る's
    mini-batches; its class against dlopt.SGD through the drill's grader."""
    np.random.seed(0)  # noqa: NPY002 (the listing uses ゼロから作る's global RNG)
    x_train = np.random.randn(1000, 3)  # noqa: NPY002
    t_train = x_train @ np.array([1.0, -2.0, 0.5]) + 0.1 * np.random.randn(1000)  # noqa: NPY002
    params, opt = {"W": np.zeros(3)}, dlopt.SGD(lr=0.1)
    for _ in range(50):
        batch_mask = np.random.choice(1000, 100)  # noqa: NPY002
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        opt.update(params, {"W": x_batch.T @ (x_batch @ params["W"] - t_batch) / 100})
    np.testing.assert_allclose(namespace["params"]["W"], params["W"], rtol=1e-12, atol=1e-14)
    verdict = check("sgd_class", namespace["SGD"])
    assert verdict, verdict.message


def check_sgd_torch(namespace):
    """The filled PyTorch loop against 5 steps of ゼロから作る's SGD() (lr = 0.01) on Σ w²."""
    params = {"w": np.array([1.0, -2.0, 0.5])}
    zero = ZeroSGD()
    for _ in range(5):
        zero.update(params, {"w": 2.0 * params["w"]})
    np.testing.assert_allclose(namespace["w"].detach().numpy(), params["w"], rtol=1e-12, atol=1e-14)


CODE_CHECKS = {"sgd-class": check_sgd_class, "sgd-torch": check_sgd_torch}


# --- the class-form drill -----------------------------------------------------------------------

DRILL = "sgd_class"


class RebindingSGD:
    """params[key] = params[key] - lr * grads[key]: a new array in the dict, the same numbers."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]


class ItemsSGD:
    """The arrays of params.items() updated in place."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, value in params.items():
            value -= self.lr * grads[key]


DRILL_CORRECT = {
    "ゼロから作る (common/optimizer.py)": ZeroSGD,
    "params[key] = params[key] − lr·g": RebindingSGD,
    "in place through params.items()": ItemsSGD,
}


def _mistake(step):
    """A class like ゼロから作る's whose loop body is ``step(self, params, grads, key)``."""

    class Mistake(ZeroSGD):
        def update(self, params, grads):
            for key in params:
                step(self, params, grads, key)

    return Mistake


def _ascent(self, params, grads, key):  # θ ← θ + ηg: the sign
    params[key] += self.lr * grads[key]


def _no_lr(self, params, grads, key):  # θ ← θ − g: the learning rate forgotten
    params[key] -= grads[key]


def _assign(self, params, grads, key):  # θ ← −ηg: = where -= belongs
    params[key] = -self.lr * grads[key]


def _divide(self, params, grads, key):  # θ ← θ − g/η: divided where it multiplies
    params[key] -= grads[key] / self.lr


class LastKeyOnly(ZeroSGD):
    """The update line dedented out of the loop: only the last key moves."""

    def update(self, params, grads):
        for key in params.keys():  # noqa: B007 (the mistake: the line below is out of the loop)
            pass
        params[key] -= self.lr * grads[key]


class FixedLearningRate(ZeroSGD):
    """``self.lr = 0.01`` in __init__: the argument ignored, the default always used."""

    def __init__(self, lr=0.01):
        self.lr = 0.01


DRILL_MISTAKES = {
    "θ ← θ + ηg (sign)": _mistake(_ascent),
    "θ ← θ − g (no learning rate)": _mistake(_no_lr),
    "θ ← −ηg (= for -=)": _mistake(_assign),
    "θ ← θ − g/η": _mistake(_divide),
    "only the last key updated (the line out of the loop)": LastKeyOnly,
    "lr argument ignored (always 0.01)": FixedLearningRate,
}
