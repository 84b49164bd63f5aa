"""穴埋め of chapters/muon: the learning-rate factor of ``adjust_lr_fn``, and one Muon step as
``torch.optim.Muon`` computes it (torch's lerp momentum, Nesterov input, decoupled weight decay,
the orthogonalized update from ``dlopt.modern.newton_schulz``)."""

from __future__ import annotations

import math

import numpy as np

from ..modern import newton_schulz
from .grader import register
from .inputs import normal, uniform


def _shape(rng):
    """A tall or a wide matrix, never square: 2 to 6 rows and columns, one side at least 1.5 times
    the other, so that sqrt(max(1, n/m)) differs from its transposed form sqrt(max(1, m/n))."""
    short = int(rng.integers(2, 5))
    long = short + int(rng.integers(max(1, math.ceil(short / 2)), 4))
    return (long, short) if rng.random() < 0.5 else (short, long)


def _adjusted_lr_inputs(rng):
    return {
        "lr": uniform(rng, 0.005, 0.05),
        "shape": _shape(rng),
        "adjust_lr_fn": (None, "original", "match_rms_adamw")[int(rng.integers(0, 3))],
    }


@register("muon_adjusted_lr", "Muon の学習率の形による調整（adjust_lr_fn）", _adjusted_lr_inputs)
def muon_adjusted_lr(lr, shape, adjust_lr_fn):
    """η' of torch.optim.Muon for a parameter of shape (n, m) (torch/optim/_muon.py, _adjust_lr):
    η √max(1, n/m) for None and "original" (Jordan et al.), 0.2 η √max(n, m) for "match_rms_adamw"
    (Liu et al.)."""
    n, m = shape
    if adjust_lr_fn == "match_rms_adamw":
        return 0.2 * lr * math.sqrt(max(n, m))
    return lr * math.sqrt(max(1, n / m))


def _step_inputs(rng):
    shape = _shape(rng)
    return {
        "theta": normal(rng, shape),
        # a buffer that is not a multiple of the gradient: the docstring's μB + g then points elsewhere
        "buf": normal(rng, shape),
        "grad": normal(rng, shape),
        "lr": uniform(rng, 0.01, 0.1),
        "momentum": uniform(rng, 0.5, 0.95),
        # λ ≥ 0.05: decaying after the update differs by η η' λ |O| ≥ 5e-6·|O| (detectable)
        "weight_decay": uniform(rng, 0.05, 0.5),
        "nesterov": bool(rng.random() < 0.5),
    }


@register("muon_step", "Muon の 1 ステップ（PyTorch 形式）", _step_inputs)
def muon_step(theta, buf, grad, lr, momentum, weight_decay, nesterov):
    """One step of torch.optim.Muon (adjust_lr_fn=None) for one matrix θ of shape (n, m).

    b ← μ b + (1 − μ) g;  M = (1 − μ) g + μ b (nesterov) or b;  O = NS(M);
    θ ← (1 − ηλ) θ − η √max(1, n/m) O.   Returns (θ, b).
    """
    buf = momentum * buf + (1 - momentum) * grad
    update = (1 - momentum) * grad + momentum * buf if nesterov else buf
    orthogonal = newton_schulz(update).astype(np.float64)
    n, m = theta.shape
    theta = (1 - lr * weight_decay) * theta - lr * math.sqrt(max(1, n / m)) * orthogonal
    return theta, buf
