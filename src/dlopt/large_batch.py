r"""Layer-wise adaptive optimizers for large batches in numpy, each equal to its reference (発展).

- ``LARS`` = ``pytorch_optimizer.LARS`` 4.1.0 (You, Gitman & Ginsburg, 2017): SGD with momentum whose
  gradient is rescaled, layer by layer, by a trust ratio r_t = c ‖θ‖ / (‖g‖ + λ‖θ‖)
- ``LAMB`` = ``pytorch_optimizer.Lamb`` 4.1.0 (You et al., 2020): Adam's direction u_t = m_t / (√v_t + ε)
  rescaled, layer by layer, by a trust ratio r_t = min(‖θ‖, 10) / (‖u_t‖ + ε)

A "layer" is one key of the params dict: each key's tensor gets its own trust ratio, as the reference
computes one per parameter tensor. Both keep the contract of ``dlopt.optimizers`` (DESIGN.md §3.1): a
dict of parameters updated in place, ``opt.lr`` assignable, ``state_dict`` resume bit for bit, bad
input refused before anything changes. When ‖θ‖ = 0 (a zero-initialized layer) or the denominator is 0,
the trust ratio is 1, as in the reference: such a layer takes a plain, unscaled step.
Notation (chapters/notation.md): θ parameters, g_t gradient, η learning rate, λ weight decay,
t the 1-based step; c the trust coefficient, r_t the trust ratio, u_t LAMB's Adam direction.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import validation
from .optimizers import Optimizer, _betas, _flag, _non_negative

__all__ = ["LARS", "LAMB"]


def _momentum(name: str, value: Any) -> float:
    return validation.fraction(name, value)  # 0 ≤ α < 1, as the reference checks


class LARS(Optimizer):
    r"""LARS (= ``pytorch_optimizer.LARS`` 4.1.0 with dampening=0, nesterov=False; You, Gitman &
    Ginsburg, 2017): momentum SGD whose step is scaled layer by layer by a trust ratio.

    For a parameter with ndim ≥ 2 (a weight matrix or a convolution kernel):
        r_t = c ‖θ_{t-1}‖ / (‖g_t‖ + λ ‖θ_{t-1}‖)       (r_t = 1 when ‖θ_{t-1}‖ = 0 or the denominator is 0)
        g̃_t = r_t (g_t + λ θ_{t-1})
    For a bias, a vector or a scalar (ndim ≤ 1): g̃_t = g_t  (no trust ratio and no weight decay,
    as in the reference)
    b_t = α b_{t-1} + g̃_t   (b_0 = 0)
    θ_t = θ_{t-1} − η b_t

    The norms are Frobenius norms of the whole tensor. The learning rate stays outside the momentum
    buffer (the torch form), whereas the paper's Algorithm 1 puts η_t r_t into the buffer; the two agree
    at a constant learning rate.
    """

    hyperparameters = {"lr": _non_negative, "weight_decay": _non_negative, "momentum": _momentum,
                       "trust_coefficient": _non_negative}

    def __init__(self, lr=1e-3, weight_decay=0.0, momentum=0.9, trust_coefficient=1e-3):
        super().__init__(lr=lr, weight_decay=weight_decay, momentum=momentum,
                         trust_coefficient=trust_coefficient)

    def _init_state(self, param):
        return {"momentum_buffer": np.zeros_like(param)}

    def trust_ratio(self, param: np.ndarray, grad: np.ndarray) -> float:
        """r = c ‖θ‖ / (‖g‖ + λ‖θ‖), or 1 when ‖θ‖ = 0 or the denominator is 0."""
        theta_norm, grad_norm = np.linalg.norm(param), np.linalg.norm(grad)
        denominator = grad_norm + self.weight_decay * theta_norm
        if theta_norm > 0 and denominator > 0:
            return self.trust_coefficient * theta_norm / denominator
        return 1.0

    def _step(self, param, grad, state, t):
        if param.ndim >= 2:  # biases and scalars: plain momentum SGD
            r = self.trust_ratio(param, grad)
            grad = (grad + self.weight_decay * param) * r  # g̃ = r (g + λθ)
        b = state["momentum_buffer"]
        b *= self.momentum  # b ← α b + g̃
        b += grad
        param -= self.lr * b  # θ ← θ − η b


class LAMB(Optimizer):
    r"""LAMB (= ``pytorch_optimizer.Lamb`` 4.1.0 with its other options at their defaults; You et al.,
    2020): Adam's direction scaled layer by layer by a trust ratio.

    m_t = β1 m_{t-1} + (1 − β1) g_t
    v_t = β2 v_{t-1} + (1 − β2) g_t ⊙ g_t
    weight_decouple=True (default):   θ ← (1 − ηλ) θ_{t-1};   u_t = m_t / (√v_t + ε)
    weight_decouple=False (the paper): θ = θ_{t-1};           u_t = m_t / (√v_t + ε) + λ θ
    r_t = min(‖θ‖, 10) / (‖u_t‖ + ε)     (r_t = 1 when ‖θ‖ = 0 or ‖u_t‖ = 0)
    η_t = η / (1 − β1^t)   (adam_debias=False, default),   η_t = η   (adam_debias=True)
    θ_t = θ − η_t r_t u_t

    Every parameter gets the trust ratio, biases included. The norms are Frobenius norms of the whole
    tensor; ‖θ‖ is the norm after the decoupled decay. v_t is never bias-corrected; the first moment's
    correction 1/(1 − β1^t) multiplies the step outside the trust ratio (the reference's way), so it does
    not cancel in r_t as the paper's m̂_t would.
    """

    hyperparameters = {"lr": _non_negative, "betas": _betas, "weight_decay": _non_negative,
                       "weight_decouple": _flag, "eps": _non_negative, "adam_debias": _flag}

    max_weight_norm = 10.0  # the reference's clamp: φ(z) = min(z, 10) in the paper's notation

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), weight_decay=0.0, weight_decouple=True, eps=1e-6,
                 adam_debias=False):
        super().__init__(lr=lr, betas=betas, weight_decay=weight_decay, weight_decouple=weight_decouple,
                         eps=eps, adam_debias=adam_debias)

    def _init_state(self, param):
        return {"exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def trust_ratio(self, param: np.ndarray, u: np.ndarray) -> float:
        """r = min(‖θ‖, 10) / (‖u‖ + ε), or 1 when ‖θ‖ = 0 or ‖u‖ = 0."""
        theta_norm = min(np.linalg.norm(param), self.max_weight_norm)
        u_norm = np.linalg.norm(u)
        if theta_norm == 0 or u_norm == 0:
            return 1.0
        return theta_norm / (u_norm + self.eps)

    def _step(self, param, grad, state, t):
        beta1, beta2 = self.betas
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1  # m ← β1 m + (1 − β1) g
        m += (1.0 - beta1) * grad
        v *= beta2  # v ← β2 v + (1 − β2) g ⊙ g
        v += (1.0 - beta2) * (grad * grad)
        if self.weight_decouple:
            param *= 1.0 - self.weight_decay * self.lr  # θ ← (1 − ηλ) θ
        u = m / (np.sqrt(v) + self.eps)  # u = m / (√v + ε)
        if not self.weight_decouple:
            u = u + self.weight_decay * param  # u ← u + λθ (the paper's form)
        r = self.trust_ratio(param, u)
        step_size = self.lr if self.adam_debias else self.lr / (1.0 - beta1**t)  # η_t
        param -= step_size * (r * u)  # θ ← θ − η_t r u
