"""穴埋め of chapters/adafactor_lion (発展): one step of Adafactor for a matrix (torch.optim.Adafactor's
factored second moment, relative step size and update clipping, without weight decay), and one step
of Lion (lion_pytorch.Lion 0.2.5, with its decoupled weight decay)."""

from __future__ import annotations

import math

import numpy as np

from .grader import register
from .inputs import normal, uniform

EPS1 = float(np.finfo(np.float64).eps)  # torch's ε1 = None: the machine epsilon of float64
EPS2 = 1e-3  # torch's ε2 (the smallest parameter scale)


def _adafactor_inputs(rng):
    # A matrix of 2 to 4 rows and columns (rows ≠ columns half of the time, so that swapping the axes
    # of the row and column statistics changes the shapes or the numbers), R and C of earlier steps
    # (positive), t = 1 a quarter of the time (1 − β̂2 = 1: the old statistics are forgotten), else 2 to 30.
    n, m = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    theta = normal(rng, (n, m))
    row_var = rng.uniform(0.2, 2.0, size=(n, 1))
    col_var = rng.uniform(0.2, 2.0, size=(1, m))
    grad = normal(rng, (n, m))
    return {
        "theta": theta,
        "R": row_var,
        "C": col_var,
        "grad": grad,
        "t": 1 if rng.random() < 0.25 else int(rng.integers(2, 31)),
        "lr": uniform(rng, 0.01, 0.1),
        "d": uniform(rng, 1.0, 2.0),
    }


@register("adafactor_step", "Adafactor の 1 ステップ（行列、分解した 2 次モーメント）", _adafactor_inputs)
def adafactor_step(theta, R, C, grad, t, lr, d):
    """torch.optim.Adafactor's step for a matrix, with beta2_decay = −0.8 and no weight decay.

    1 − β̂2_t = t^(−0.8);  R ← β̂2 R + (1 − β̂2) mean_j(g²);  C ← β̂2 C + (1 − β̂2) mean_i(g²)
    V̂ = R C / max(mean_i R, ε1);  U = g / √max(V̂, ε1²);  Û = U / max(1, RMS(U)/d)
    θ ← θ − max(ε2, RMS(θ)) min(η, 1/√t) Û.   Returns (θ, R, C).
    """
    eps1, eps2 = EPS1, EPS2
    one_minus_beta2 = t**-0.8
    rho = min(lr, 1.0 / math.sqrt(t))
    alpha = max(eps2, float(np.sqrt(np.mean(theta * theta)))) * rho
    R = R + one_minus_beta2 * (np.mean(grad * grad, axis=1, keepdims=True) - R)
    C = C + one_minus_beta2 * (np.mean(grad * grad, axis=0, keepdims=True) - C)
    v_hat = R @ C / max(float(np.mean(R)), eps1)
    U = grad / np.sqrt(np.maximum(v_hat, eps1 * eps1))
    U = U / max(1.0, float(np.sqrt(np.mean(U * U))) / d)
    return theta - alpha * U, R, C



def _lion_inputs(rng):
    # η ≥ 0.01 and λ ≥ 0.1: decaying after the sign step differs by η²λ ≥ 1e-5 (detectable);
    # β1 < β2 always, so that swapping them shows.
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return {
        "theta": normal(rng, shape),
        "m": 0.5 * normal(rng, shape),
        "grad": normal(rng, shape),
        "lr": uniform(rng, 0.01, 0.1),
        "betas": (uniform(rng, 0.5, 0.9), uniform(rng, 0.95, 0.999)),
        "weight_decay": uniform(rng, 0.1, 1.0),
    }


@register("lion_step", "Lion の 1 ステップ", _lion_inputs)
def lion_step(theta, m, grad, lr, betas, weight_decay):
    """c = β1 m + (1 − β1) g;  θ ← (1 − ηλ) θ − η sign(c);  m ← β2 m + (1 − β2) g.  Returns (θ, m)."""
    beta1, beta2 = betas
    c = beta1 * m + (1 - beta1) * grad
    theta = theta - lr * weight_decay * theta - lr * np.sign(c)
    m = beta2 * m + (1 - beta2) * grad
    return theta, m
