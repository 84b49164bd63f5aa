"""穴埋め of chapters/exam_practice: E資格-style code in the notation of ゼロから作る (velocity v, h,
decay_rate, lr_t), which the exam's code questions resemble. Shapes are small; ε is 1e-4..1e-2 where
its position must be detectable."""

from __future__ import annotations

import numpy as np

from .early_stopping import FLOAT_TIES, tenths
from .grader import register
from .inputs import (
    ADAM_STATE,
    betas,
    detectable_eps,
    distinct_ints,
    normal,
    renamed,
    small_shape,
    step_arrays,
    step_count,
    uniform,
    zeros_at_first_step,
)
from .rmsprop import rmsprop_inputs, rmsprop_step


def _momentum_inputs(rng):
    shape = small_shape(rng)
    first = rng.random() < 0.3  # v_0 = 0 at the first step
    return {
        **step_arrays(rng, shape, v=zeros_at_first_step(first)),
        "lr": uniform(rng, 0.01, 1.0),
        "momentum": uniform(rng, 0.5, 0.99),
    }


@register("exam_momentum_velocity", "モメンタムの 1 ステップ（『ゼロから作る』形式の速度 v）",
          _momentum_inputs)
def exam_momentum_velocity(theta, v, grad, lr, momentum):
    """v ← α v − η g;  θ ← θ + v (the velocity contains the learning rate).  Returns (θ, v)."""
    v = momentum * v - lr * grad
    theta = theta + v
    return theta, v


def _adam_inputs(rng):
    arrays = step_arrays(rng, small_shape(rng), **ADAM_STATE)
    t, lr = step_count(rng), uniform(rng, 0.001, 0.1)
    beta1, beta2 = betas(rng)
    return {**arrays, "t": t, "lr": lr, "beta1": beta1, "beta2": beta2, "eps": detectable_eps(rng)}


@register("exam_adam_bias_correction", "Adam のバイアス補正（『ゼロから作る』形式の lr_t）", _adam_inputs)
def exam_adam_bias_correction(theta, m, v, grad, t, lr, beta1, beta2, eps):
    """ゼロから作る / Keras form: the bias correction folded into the step size.

    lr_t = η √(1 − β2^t) / (1 − β1^t);  m ← m + (1 − β1)(g − m);  v ← v + (1 − β2)(g ⊙ g − v);
    θ ← θ − lr_t m / (√v + ε)   (ε added to the uncorrected √v).  Returns (θ, m, v).
    """
    lr_t = lr * np.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
    m = m + (1 - beta1) * (grad - m)
    v = v + (1 - beta2) * (grad * grad - v)
    theta = theta - lr_t * m / (np.sqrt(v) + eps)
    return theta, m, v


def _adamw_inputs(rng):
    shape = small_shape(rng)
    return {
        "theta": normal(rng, shape),
        "m_hat": normal(rng, shape),
        "v_hat": rng.uniform(0.01, 1.0, size=shape),
        # η ≥ 0.01 and λ ≥ 0.05: decaying after the Adam step differs by η²λ·m̂/(√v̂ + ε) (detectable)
        "lr": uniform(rng, 0.01, 0.1),
        "eps": 1e-8,
        "weight_decay": uniform(rng, 0.05, 0.5),
    }


@register("exam_adamw_decay", "AdamW の重み減衰の行（PyTorch 形式）", _adamw_inputs)
def exam_adamw_decay(theta, m_hat, v_hat, lr, eps, weight_decay):
    """θ ← θ − ηλθ (decoupled, before the step), then θ ← θ − η m̂ / (√v̂ + ε).  Returns θ."""
    theta = theta - lr * weight_decay * theta
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta


def _early_stopping_inputs(rng):
    # Values written to one decimal, as printed losses are. In 4 cases of 10 the value lies exactly
    # min_delta below best and the float test decides it differently from value < best - min_delta
    # (a float tie of FLOAT_TIES); otherwise best, min_delta and the value are on a grid of 0.1 with
    # half of the values exactly at the boundary best - min_delta. Half of the waits are one short of
    # patience (so that stopping one epoch late, or counting a tie as an improvement, is visible).
    patience = int(rng.integers(1, 5))
    wait = patience - 1 if rng.random() < 0.5 else int(rng.integers(0, patience))
    if rng.random() < 0.4:
        best, value, min_delta = FLOAT_TIES[int(rng.integers(len(FLOAT_TIES)))]
    else:
        delta = int(rng.choice([0, 1, 2]))
        k = int(rng.integers(10, 90))
        offset = int(rng.choice([-2, -1, 0, 0, 0, 1, 2]))
        best, value, min_delta = tenths([k, k - delta + offset, delta])
    return {"value": value, "best": best, "wait": wait, "patience": patience, "min_delta": min_delta}


@register("exam_early_stopping_counter", "早期終了のカウンタ（1 エポック分の更新）", _early_stopping_inputs)
def exam_early_stopping_counter(value, best, wait, patience, min_delta):
    """One epoch of Keras's rule (mode "min"): returns (best, wait, stop).

    value + min_delta < best (in this order, as Keras computes it): improvement, best ← value,
    wait ← 0, no stop; otherwise wait ← wait + 1 and stop when wait ≥ patience.
    """
    if value + min_delta < best:
        return value, 0, False
    wait = wait + 1
    return best, wait, wait >= patience


def _rmsprop_inputs(rng):
    """The inputs of chapters/rmsprop in ゼロから作る's names."""
    return renamed(rmsprop_inputs(rng), v="h", alpha="decay_rate")


@register("exam_rmsprop_step", "RMSProp の 1 ステップ（『ゼロから作る』の decay_rate）", _rmsprop_inputs)
def exam_rmsprop_step(theta, h, grad, lr, decay_rate, eps):
    """h ← ρ h + (1 − ρ) g ⊙ g;  θ ← θ − η g / (√h + ε)  (ρ = decay_rate).  Returns (θ, h).

    The step of chapters/rmsprop (its v is h here, its α is ρ)."""
    return rmsprop_step(theta, h, grad, lr, decay_rate, eps)


def _he_inputs(rng):
    n_in, n_out = distinct_ints(rng, 2, 300)  # n_in ≠ n_out, so that using the fan-out is visible
    return {"n_in": n_in, "n_out": n_out, "seed": int(rng.integers(0, 2**31))}


@register("exam_he_normal", "He の初期値で重みを作る", _he_inputs)
def exam_he_normal(n_in, n_out, seed):
    """W of shape (n_in, n_out) with entries N(0, 2 / n_in), drawn from np.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


def _cosine_inputs(rng):
    T_max = int(rng.integers(10, 1001))
    lr = uniform(rng, 0.01, 1.0)
    return {
        "t": int(rng.integers(0, T_max + 1)),
        "lr": lr,
        "T_max": T_max,
        "eta_min": uniform(rng, 0.001, 0.5) * lr,
    }


@register("exam_cosine_lr", "コサインアニーリングの学習率", _cosine_inputs)
def exam_cosine_lr(t, lr, T_max, eta_min):
    """η_t = η_min + (η − η_min)(1 + cos(π t / T_max)) / 2 for 0 ≤ t ≤ T_max."""
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * t / T_max)) / 2
