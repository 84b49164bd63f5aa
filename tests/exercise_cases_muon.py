"""The 穴埋め cases of chapters/muon (see tests/exercise_cases.py for what a Case holds)."""

from __future__ import annotations

import math

import numpy as np
from exercise_cases import Case, generated, one_step  # noqa: F401

import dlopt
from dlopt.modern import newton_schulz

# --- muon_adjusted_lr ----------------------------------------------------------------------------


def adjusted_with(original, match):
    """An answer whose two branches are the given functions of (lr, n, m)."""

    def answer(lr, shape, adjust_lr_fn):
        n, m = shape
        return match(lr, n, m) if adjust_lr_fn == "match_rms_adamw" else original(lr, n, m)

    return answer


good_original = lambda lr, n, m: lr * math.sqrt(max(1, n / m))  # noqa: E731
good_match = lambda lr, n, m: 0.2 * lr * math.sqrt(max(n, m))  # noqa: E731

ADJUSTED_LR_MISTAKES = {
    "transposed (columns over rows)": adjusted_with(lambda lr, n, m: lr * math.sqrt(max(1, m / n)),
                                                    good_match),
    "no max(1, ·)": adjusted_with(lambda lr, n, m: lr * math.sqrt(n / m), good_match),
    "no square root": adjusted_with(lambda lr, n, m: lr * max(1, n / m), good_match),
    "no adjustment": adjusted_with(lambda lr, n, m: lr, good_match),
    "match with min": adjusted_with(good_original, lambda lr, n, m: 0.2 * lr * math.sqrt(min(n, m))),
    "match without 0.2": adjusted_with(good_original, lambda lr, n, m: lr * math.sqrt(max(n, m))),
    "match with the number of elements": adjusted_with(good_original,
                                                       lambda lr, n, m: 0.2 * lr * math.sqrt(n * m)),
    "None means no adjustment": lambda lr, shape, adjust_lr_fn: (
        lr if adjust_lr_fn is None else adjusted_with(good_original, good_match)(lr, shape, adjust_lr_fn)),
}


def adjusted_lr_twin(inputs):
    return dlopt.Muon(lr=inputs["lr"], adjust_lr_fn=inputs["adjust_lr_fn"])._adjusted_lr(inputs["shape"])


# --- muon_step -----------------------------------------------------------------------------------


def muon_step_with(buffer, nesterov_input, decay_first=True, scale=lambda n, m: math.sqrt(max(1, n / m))):
    """One Muon step with the buffer rule buffer(b, g, μ), the Nesterov input nesterov_input(b, g, μ),
    the decay before (or after) the update, and the factor scale(n, m)."""

    def answer(theta, buf, grad, lr, momentum, weight_decay, nesterov):
        buf = buffer(buf, grad, momentum)
        update = nesterov_input(buf, grad, momentum) if nesterov else buf
        orthogonal = newton_schulz(update).astype(np.float64)
        n, m = theta.shape
        if decay_first:
            return (1 - lr * weight_decay) * theta - lr * scale(n, m) * orthogonal, buf
        return (1 - lr * weight_decay) * (theta - lr * scale(n, m) * orthogonal), buf

    return answer


lerp = lambda b, g, mu: mu * b + (1 - mu) * g  # noqa: E731
nesterov_lerp = lambda b, g, mu: (1 - mu) * g + mu * b  # noqa: E731

MUON_STEP_MISTAKES = {
    "docstring buffer μb + g": muon_step_with(lambda b, g, mu: mu * b + g, lambda b, g, mu: g + mu * b),
    "docstring Nesterov input g + μb": muon_step_with(lerp, lambda b, g, mu: g + mu * b),
    "Nesterov from the old buffer": lambda theta, buf, grad, lr, momentum, weight_decay, nesterov: (
        muon_step_with(lerp, lambda b, g, mu: nesterov_lerp((b - (1 - mu) * g) / mu, g, mu))(
            theta, buf, grad, lr, momentum, weight_decay, nesterov)),
    "nesterov ignored": muon_step_with(lerp, lambda b, g, mu: b),
    "gradient instead of momentum": muon_step_with(lerp, lambda b, g, mu: g),
    "buffer weights swapped": muon_step_with(lambda b, g, mu: (1 - mu) * b + mu * g,
                                             lambda b, g, mu: mu * g + (1 - mu) * b),
    "no adjustment": muon_step_with(lerp, nesterov_lerp, scale=lambda n, m: 1.0),
    "transposed adjustment": muon_step_with(lerp, nesterov_lerp, scale=lambda n, m: math.sqrt(max(1, m / n))),
    "decay after the update": muon_step_with(lerp, nesterov_lerp, decay_first=False),
    "no weight decay": lambda theta, buf, grad, lr, momentum, weight_decay, nesterov: muon_step_with(
        lerp, nesterov_lerp)(theta, buf, grad, lr, momentum, 0.0, nesterov),
    "not orthogonalized": lambda theta, buf, grad, lr, momentum, weight_decay, nesterov: (
        (1 - lr * weight_decay) * theta - lr * math.sqrt(max(1, theta.shape[0] / theta.shape[1]))
        * nesterov_lerp(lerp(buf, grad, momentum), grad, momentum) if nesterov else
        (1 - lr * weight_decay) * theta - lr * math.sqrt(max(1, theta.shape[0] / theta.shape[1]))
        * lerp(buf, grad, momentum), lerp(buf, grad, momentum)),
}


def muon_step_in_place(theta, buf, grad, lr, momentum, weight_decay, nesterov):
    """torch's own order: buf.lerp_(grad, 1 − μ); grad.lerp(buf, μ); θ.mul_(1 − ηλ); θ.add_(−η' O)."""
    buf = buf.copy()
    buf += (1 - momentum) * (grad - buf)
    update = grad + momentum * (buf - grad) if nesterov else buf
    orthogonal = newton_schulz(update).astype(theta.dtype)  # float32 numbers that are bfloat16 values
    theta = theta.copy()
    theta *= 1 - lr * weight_decay
    theta -= dlopt.Muon(lr=lr)._adjusted_lr(theta.shape) * orthogonal
    return theta, buf


def muon_step_twin(inputs):
    opt = dlopt.Muon(lr=inputs["lr"], weight_decay=inputs["weight_decay"], momentum=inputs["momentum"],
                     nesterov=inputs["nesterov"])
    theta, state = one_step(opt, inputs, step=3, momentum_buffer=inputs["buf"])
    return theta, state["momentum_buffer"]


def both_kinds_occur(trials):
    kinds = {(x["shape"][0] > x["shape"][1], x["adjust_lr_fn"]) for x in trials}
    return {(True, None), (True, "original"), (True, "match_rms_adamw"), (False, "match_rms_adamw")} <= kinds


def tall_wide_and_nesterov_occur(trials):
    kinds = {(x["theta"].shape[0] > x["theta"].shape[1], x["nesterov"]) for x in trials}
    return kinds == {(True, True), (True, False), (False, True), (False, False)}


CASES: dict[str, Case] = {
    "muon_adjusted_lr": Case(
        correct={
            "as torch writes it": lambda lr, shape, adjust_lr_fn: lr * (
                0.2 * math.sqrt(max(shape[0], shape[1])) if adjust_lr_fn == "match_rms_adamw"
                else math.sqrt(max(1, shape[0] / shape[1]))),
            "with ** 0.5": lambda lr, shape, adjust_lr_fn: (
                0.2 * lr * max(shape) ** 0.5 if adjust_lr_fn == "match_rms_adamw"
                else lr * max(1.0, shape[0] / shape[1]) ** 0.5),
            "the dlopt class": lambda lr, shape, adjust_lr_fn: dlopt.Muon(
                lr=lr, adjust_lr_fn=adjust_lr_fn)._adjusted_lr(shape),
        },
        mistakes=ADJUSTED_LR_MISTAKES,
        examples=[
            ({"lr": 0.02, "shape": (128, 64), "adjust_lr_fn": None}, 0.02 * math.sqrt(2)),
            ({"lr": 0.02, "shape": (64, 128), "adjust_lr_fn": "original"}, 0.02),
            ({"lr": 1e-3, "shape": (64, 10), "adjust_lr_fn": "match_rms_adamw"}, 1.6e-3),
        ],
        twin=generated("muon_adjusted_lr", adjusted_lr_twin),
        twin_trials=50,
        every_input=lambda x: x["shape"][0] != x["shape"][1]
        and max(x["shape"]) >= 1.5 * min(x["shape"]),
        graded_inputs=both_kinds_occur,
    ),
    "muon_step": Case(
        correct={
            "torch's order, in place": muon_step_in_place,
            "with np.sqrt and the transposed-wide trick by hand": lambda theta, buf, grad, lr, momentum,
            weight_decay, nesterov: muon_step_with(lerp, lambda b, g, mu: g + mu * (b - g),
                                                   scale=lambda n, m: np.sqrt(max(1.0, n / m)))(
                theta, buf, grad, lr, momentum, weight_decay, nesterov),
        },
        mistakes=MUON_STEP_MISTAKES,
        twin=generated("muon_step", muon_step_twin),
        twin_trials=30,
        margins=[("decay after the update", 0, 100.0)],
        every_input=lambda x: x["theta"].shape[0] != x["theta"].shape[1],
        graded_inputs=tall_wide_and_nesterov_occur,
    ),
}
