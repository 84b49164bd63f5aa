"""The keys of src/dlopt/exam/bank/exam_practice.py, recomputed (tests/test_exam.py drives these).

The four classes of the listing are ゼロから作る's (common/optimizer.py, commit 07b1161); each is
compared step by step with the dlopt optimizer that equals it: Momentum = dlopt.Momentum at a constant
lr (v = −η b), AdaGrad = dlopt.AdaGrad(eps=1e-7), RMSprop = dlopt.RMSProp(alpha=decay_rate, eps=1e-7),
Adam = dlopt.Adam with ε_t = 1e-7/√(1 − β2^t) (ゼロから作る adds 1e-7 to √v, not to √v̂)."""

import math

import numpy as np

import dlopt

# --- calculation keys ----------------------------------------------------------------------------


def _one_step(opt, g):
    """The size of the first step of ``opt`` on a 1-D parameter with gradient ``g``."""
    params = {"θ": np.array(0.0)}
    opt.update(params, {"θ": np.array(g)})
    return abs(float(params["θ"]))


def _step_sizes_at(opt, g, t):
    """The size of step ``t`` (1-based) under a constant gradient ``g``."""
    params = {"θ": np.array(0.0)}
    for _ in range(t - 1):
        opt.update(params, {"θ": np.array(g)})
    before = float(params["θ"])
    opt.update(params, {"θ": np.array(g)})
    return abs(float(params["θ"]) - before)


def _state_megabytes(opt, n=10**6):
    """Bytes of the per-parameter state arrays of ``opt`` after one step on n float32 numbers, in MB."""
    params = {"w": np.zeros(n, dtype=np.float32)}
    opt.update(params, {"w": np.ones(n, dtype=np.float32)})
    arrays = [value for value in opt.state["w"].values() if isinstance(value, np.ndarray) and value.ndim]
    assert all(value.dtype == np.float32 for value in arrays)
    return sum(value.nbytes for value in arrays) / 1e6


def _early_stopping():
    es = dlopt.EarlyStopping(patience=2, min_delta=0.01)
    for value in (0.80, 0.62, 0.55, 0.58, 0.545, 0.548, 0.56, 0.58):
        if es.step(value):
            break
    return es.stopped_epoch, es.best_epoch


CALCULATIONS = {
    "exam_practice-calc-first-step": lambda: (
        _one_step(dlopt.RMSProp(lr=0.01, alpha=0.99), 0.5),
        _one_step(dlopt.Adam(lr=0.001, betas=(0.9, 0.999)), 0.5),
    ),
    "exam_practice-calc-fourth-step": lambda: (
        _step_sizes_at(dlopt.AdaGrad(lr=0.1), 2.0, 4),
        _step_sizes_at(dlopt.RMSProp(lr=0.1, alpha=0.9), 2.0, 4),
    ),
    "exam_practice-calc-memory": lambda: (
        _state_megabytes(dlopt.Momentum(lr=0.01, momentum=0.9)),
        _state_megabytes(dlopt.Adam()),
    ),
    "exam_practice-calc-early-stopping": _early_stopping,
}


# --- code keys -----------------------------------------------------------------------------------

SETTINGS = {
    # not the defaults, so that β and 1 − β (or α and 1 − α) cannot be swapped unnoticed
    "Momentum": {"lr": 0.05, "momentum": 0.8},
    "AdaGrad": {"lr": 0.3},
    "RMSprop": {"lr": 0.02, "decay_rate": 0.9},
    "Adam": {"lr": 0.01, "beta1": 0.8, "beta2": 0.95},
}


def _reference(name, settings):
    """The dlopt optimizer equal to ゼロから作る's class ``name``, and a hook run before each step."""
    if name == "Momentum":
        return dlopt.Momentum(lr=settings["lr"], momentum=settings["momentum"]), None
    if name == "AdaGrad":
        return dlopt.AdaGrad(lr=settings["lr"], eps=1e-7), None
    if name == "RMSprop":
        return dlopt.RMSProp(lr=settings["lr"], alpha=settings["decay_rate"], eps=1e-7), None
    beta1, beta2 = settings["beta1"], settings["beta2"]
    opt = dlopt.Adam(lr=settings["lr"], betas=(beta1, beta2), eps=1e-7)

    def before_step(t):
        opt.eps = 1e-7 / math.sqrt(1.0 - beta2**t)

    return opt, before_step


def check_classes(namespace):
    """Each class of the filled listing, with non-default settings, equals its dlopt counterpart
    over 12 steps on three keys of different shapes (random gradients, both signs)."""
    rng = np.random.default_rng(0)
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 2)}
    start = {key: rng.normal(size=shape) for key, shape in shapes.items()}
    grads = [{key: 2.0 * rng.normal(size=shape) for key, shape in shapes.items()} for _ in range(12)]
    with np.errstate(invalid="raise", divide="raise"):  # √ of a negative h fails loudly, not as nan
        _compare(namespace, start, grads)


def _compare(namespace, start, grads):
    for name, settings in SETTINGS.items():
        theirs = namespace[name](**settings)
        ours, before_step = _reference(name, settings)
        a = {key: value.copy() for key, value in start.items()}
        b = {key: value.copy() for key, value in start.items()}
        for t, g in enumerate(grads, start=1):
            theirs.update(a, {key: value.copy() for key, value in g.items()})
            if before_step is not None:
                before_step(t)
            ours.update(b, {key: value.copy() for key, value in g.items()})
            for key in start:
                np.testing.assert_allclose(
                    a[key], b[key], rtol=1e-9, atol=1e-12, err_msg=f"{name}, step {t}, key {key}"
                )


CODE_CHECKS = {"exam_practice-classes": check_classes}
