r"""Optimizers in numpy that compute exactly what ``torch.optim`` (2.13) computes.

Every optimizer updates a dict of parameters in place::

    params = {"W1": W1, "b1": b1}
    grads = {"W1": dW1, "b1": db1}
    opt = Adam(lr=1e-3)
    opt.update(params, grads)

Notation (chapters/notation.md): θ parameters, g_t gradient, η learning rate, λ weight decay,
t the 1-based step. The base class ``Optimizer`` checks the input, keeps the per-parameter state and
the step count, and calls the subclass's ``_step(param, grad, state, t)`` once per parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import validation
from .validation import check_state_dict, check_update

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "AdaDelta",
    "Adam",
    "AdamW",
    "NAdam",
    "RAdam",
]


def _non_negative(name: str, value: Any) -> float:
    return validation.number(name, value)


def _betas(name: str, value: Any) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{name} は 2 つの数の組 (β1, β2) です（{name}={value!r} が渡されました）")
    return (validation.fraction(f"{name}[0]", value[0]), validation.fraction(f"{name}[1]", value[1]))


def _positive_momentum(name: str, value: Any) -> float:
    if validation.number(name, value) == 0:
        raise ValueError(
            f"ネステロフのモメンタムには {name} > 0 が必要です（{name}={value!r} が渡されました）"
        )
    return float(value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} は True か False です（{name}={value!r} が渡されました）")
    return bool(value)


class Optimizer:
    """Base class: checks the input, keeps each parameter's state and step count, calls ``_step``.

    A subclass names its hyperparameters and their checks in ``hyperparameters``, creates a
    parameter's state in ``_init_state`` and applies one step to one parameter in ``_step``.
    """

    hyperparameters: dict[str, Callable[[str, Any], Any]] = {
        "lr": _non_negative, "weight_decay": _non_negative
    }

    def __init__(self, **hyperparameters: Any) -> None:
        for name, value in hyperparameters.items():
            setattr(self, name, value)  # checked by __setattr__
        self.state: dict[str, dict[str, Any]] = {}

    def __setattr__(self, name: str, value: Any) -> None:
        """A hyperparameter is checked whenever it is set: ``opt.lr = -1`` raises ValueError."""
        if name in self.hyperparameters:
            value = self.hyperparameters[name](name, value)
        super().__setattr__(name, value)

    def update(self, params: dict[str, Any], grads: dict[str, Any]) -> None:
        """One step for every parameter, in place: θ ← θ − (the method's step computed from g)."""
        arrays, grads = check_update(params, grads, self.state)  # raises before anything changes
        for key, param in arrays.items():
            if key not in self.state:
                self.state[key] = {"step": 0, **self._init_state(param)}
            state = self.state[key]
            state["step"] += 1
            self._step(param, grads[key], state, state["step"])
            if param is not params[key]:  # a plain Python float cannot change in place
                params[key] = float(param)

    def _with_weight_decay(self, param: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """L2 regularization folded into the gradient: g ← g + λθ."""
        return grad + self.weight_decay * param if self.weight_decay else grad

    def _init_state(self, param: np.ndarray) -> dict[str, Any]:
        return {}

    def _step(self, param: np.ndarray, grad: np.ndarray, state: dict, t: int) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The class, hyperparameters and state as plain data (numbers and copies of arrays)."""
        return {
            "class": type(self).__name__,
            "hyperparameters": {name: getattr(self, name) for name in self.hyperparameters},
            "state": validation.copy_state(self.state),
        }

    def check_state_dict(self, state_dict: Any) -> dict[str, Any]:
        """A checked copy of ``state_dict``; raises, naming what is wrong, and changes nothing."""
        return check_state_dict(self, state_dict)

    def load_state_dict(self, state_dict: Any) -> None:
        """Restore what ``state_dict`` returned; training then continues bit for bit.
        Everything is checked first: on error the optimizer is unchanged."""
        checked = self.check_state_dict(state_dict)
        for name, value in checked["hyperparameters"].items():
            setattr(self, name, value)
        self.state = checked["state"]

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.hyperparameters)
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    r"""確率的勾配降下法 (= ``torch.optim.SGD``).

    θ_t = θ_{t-1} − η g_t
    """

    def __init__(self, lr=1e-3, weight_decay=0.0):
        super().__init__(lr=lr, weight_decay=weight_decay)

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        param -= self.lr * grad  # θ ← θ − η g


class Momentum(Optimizer):
    r"""モメンタム (= ``torch.optim.SGD(momentum=α, dampening=d)``).

    b_1 = g_1,  b_t = α b_{t-1} + (1 − d) g_t   (t ≥ 2)
    θ_t = θ_{t-1} − η b_t
    """

    hyperparameters = {"lr": _non_negative, "momentum": _non_negative, "dampening": _non_negative,
                       "weight_decay": _non_negative}

    def __init__(self, lr=1e-3, momentum=0.9, dampening=0.0, weight_decay=0.0):
        super().__init__(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay)

    def _init_state(self, param):
        return {"momentum_buffer": np.zeros_like(param)}

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        b = state["momentum_buffer"]
        if t == 1 or self.momentum == 0:  # torch keeps no buffer when α = 0
            b[...] = grad  # b_1 = g_1
        else:
            b *= self.momentum  # b ← α b + (1 − d) g
            b += (1.0 - self.dampening) * grad if self.dampening else grad
        param -= self.lr * b  # θ ← θ − η b


class Nesterov(Optimizer):
    r"""ネステロフのモメンタム (= ``torch.optim.SGD(momentum=α, nesterov=True)``).

    b_1 = g_1,  b_t = α b_{t-1} + g_t   (t ≥ 2)
    θ_t = θ_{t-1} − η (g_t + α b_t)
    """

    hyperparameters = {"lr": _non_negative, "momentum": _positive_momentum, "weight_decay": _non_negative}

    def __init__(self, lr=1e-3, momentum=0.9, weight_decay=0.0):
        super().__init__(lr=lr, momentum=momentum, weight_decay=weight_decay)

    def _init_state(self, param):
        return {"momentum_buffer": np.zeros_like(param)}

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        b = state["momentum_buffer"]
        if t == 1:
            b[...] = grad  # b_1 = g_1
        else:
            b *= self.momentum  # b ← α b + g
            b += grad
        param -= self.lr * (grad + self.momentum * b)  # θ ← θ − η (g + α b)


class AdaGrad(Optimizer):
    r"""AdaGrad (= ``torch.optim.Adagrad``).

    h_t = h_{t-1} + g_t ⊙ g_t
    θ_t = θ_{t-1} − η_t g_t / (√h_t + ε),   η_t = η / (1 + (t − 1) · lr_decay)
    """

    hyperparameters = {"lr": _non_negative, "lr_decay": _non_negative, "weight_decay": _non_negative,
                       "initial_accumulator_value": _non_negative, "eps": _non_negative}

    def __init__(self, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                         initial_accumulator_value=initial_accumulator_value, eps=eps)

    def _init_state(self, param):
        return {"sum": np.full_like(param, self.initial_accumulator_value)}

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        h = state["sum"]
        h += grad * grad  # h ← h + g ⊙ g
        lr_t = self.lr / (1.0 + (t - 1) * self.lr_decay)
        param -= lr_t * grad / (np.sqrt(h) + self.eps)  # θ ← θ − η_t g / (√h + ε)


class RMSProp(Optimizer):
    r"""RMSProp (= ``torch.optim.RMSprop``).

    v_t = α v_{t-1} + (1 − α) g_t ⊙ g_t
    centered: ḡ_t = α ḡ_{t-1} + (1 − α) g_t,  v_t ← v_t − ḡ_t ⊙ ḡ_t
    θ_t = θ_{t-1} − η g_t / (√v_t + ε)
    momentum μ > 0: b_t = μ b_{t-1} + g_t / (√v_t + ε),  θ_t = θ_{t-1} − η b_t
    """

    hyperparameters = {"lr": _non_negative, "alpha": validation.fraction, "eps": _non_negative,
                       "weight_decay": _non_negative, "momentum": _non_negative, "centered": _flag}

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                         centered=centered)

    def _init_state(self, param):
        state = {"square_avg": np.zeros_like(param)}
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(param)
        if self.centered:
            state["grad_avg"] = np.zeros_like(param)
        return state

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        v = state["square_avg"]
        v *= self.alpha  # v ← α v + (1 − α) g ⊙ g
        v += (1.0 - self.alpha) * grad * grad
        if self.centered:
            g_avg = state["grad_avg"]
            g_avg += (1.0 - self.alpha) * (grad - g_avg)  # ḡ ← α ḡ + (1 − α) g
            denom = np.sqrt(v - g_avg * g_avg) + self.eps
        else:
            denom = np.sqrt(v) + self.eps
        if self.momentum > 0:
            b = state["momentum_buffer"]
            b *= self.momentum  # b ← μ b + g / (√v + ε)
            b += grad / denom
            param -= self.lr * b
        else:
            param -= self.lr * grad / denom  # θ ← θ − η g / (√v + ε)


class AdaDelta(Optimizer):
    r"""AdaDelta (= ``torch.optim.Adadelta``).

    v_t = ρ v_{t-1} + (1 − ρ) g_t ⊙ g_t
    Δθ_t = √(u_{t-1} + ε) / √(v_t + ε) ⊙ g_t
    u_t = ρ u_{t-1} + (1 − ρ) Δθ_t ⊙ Δθ_t
    θ_t = θ_{t-1} − η Δθ_t          (the paper has no η: PyTorch's default η = 1)
    """

    hyperparameters = {"lr": _non_negative, "rho": validation.fraction, "eps": _non_negative,
                       "weight_decay": _non_negative}

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)

    def _init_state(self, param):
        return {"square_avg": np.zeros_like(param), "acc_delta": np.zeros_like(param)}

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        v, u = state["square_avg"], state["acc_delta"]
        v *= self.rho  # v ← ρ v + (1 − ρ) g ⊙ g
        v += (1.0 - self.rho) * grad * grad
        delta = np.sqrt(u + self.eps) / np.sqrt(v + self.eps) * grad
        u *= self.rho  # u ← ρ u + (1 − ρ) Δθ ⊙ Δθ
        u += (1.0 - self.rho) * delta * delta
        param -= self.lr * delta  # θ ← θ − η Δθ


class Adam(Optimizer):
    r"""Adam (= ``torch.optim.Adam``); ``weight_decay`` is L2 regularization (g ← g + λθ).

    m_t = β1 m_{t-1} + (1 − β1) g_t,      v_t = β2 v_{t-1} + (1 − β2) g_t ⊙ g_t
    m̂_t = m_t / (1 − β1^t),               v̂_t = v_t / (1 − β2^t)
    (AMSGrad: v_t ← max(v_{t-1}^max, v_t) before the bias correction)
    θ_t = θ_{t-1} − η m̂_t / (√v̂_t + ε)
    """

    hyperparameters = {"lr": _non_negative, "betas": _betas, "eps": _non_negative,
                       "weight_decay": _non_negative, "amsgrad": _flag}

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _init_state(self, param):
        state = {"exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.zeros_like(param)
        return state

    def _decay(self, param, grad):
        """Adam: L2 regularization in the gradient. AdamW overrides this with decoupled decay."""
        return self._with_weight_decay(param, grad)

    def _step(self, param, grad, state, t):
        grad = self._decay(param, grad)
        beta1, beta2 = self.betas
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1  # m ← β1 m + (1 − β1) g
        m += (1.0 - beta1) * grad
        v *= beta2  # v ← β2 v + (1 − β2) g ⊙ g
        v += (1.0 - beta2) * grad * grad
        if self.amsgrad:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        step_size = self.lr / (1.0 - beta1**t)  # η / (1 − β1^t)
        denom = np.sqrt(v) / math.sqrt(1.0 - beta2**t) + self.eps  # √v̂ + ε
        param -= step_size * m / denom


class AdamW(Adam):
    r"""AdamW (= ``torch.optim.AdamW``): Adam with decoupled weight decay.

    θ ← θ − ηλθ (before the Adam step; PyTorch multiplies λ by η), then the Adam update.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _decay(self, param, grad):
        if self.weight_decay:
            param *= 1.0 - self.lr * self.weight_decay  # θ ← θ − ηλθ
        return grad


class NAdam(Optimizer):
    r"""NAdam (= ``torch.optim.NAdam``): Adam with Nesterov momentum (Dozat, 2016).

    μ_t = β1 (1 − 0.5 · 0.96^{t ψ}),   ψ = momentum_decay
    m_t, v_t as in Adam,   v̂_t = v_t / (1 − β2^t)
    θ_t = θ_{t-1} − η (1 − μ_t) / (1 − Π_{i≤t} μ_i) · g_t / (√v̂_t + ε)
                  − η μ_{t+1} / (1 − Π_{i≤t+1} μ_i) · m_t / (√v̂_t + ε)
    """

    hyperparameters = {"lr": _non_negative, "betas": _betas, "eps": _non_negative,
                       "weight_decay": _non_negative, "momentum_decay": _non_negative}

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         momentum_decay=momentum_decay)

    def _init_state(self, param):
        return {
            "mu_product": 1.0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)
        }

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        beta1, beta2 = self.betas
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        state["mu_product"] *= mu
        mu_product = state["mu_product"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1.0 - beta1) * grad
        v *= beta2
        v += (1.0 - beta2) * grad * grad
        denom = np.sqrt(v / (1.0 - beta2**t)) + self.eps  # √v̂ + ε
        param -= self.lr * (1.0 - mu) / (1.0 - mu_product) * grad / denom
        param -= self.lr * mu_next / (1.0 - mu_product * mu_next) * m / denom


class RAdam(Optimizer):
    r"""RAdam (= ``torch.optim.RAdam``): Adam whose adaptive step is switched on by a variance test.

    ρ_∞ = 2 / (1 − β2) − 1,   ρ_t = ρ_∞ − 2 t β2^t / (1 − β2^t)
    ρ_t > 5:  r_t = √((ρ_t − 4)(ρ_t − 2) ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2) ρ_t)),
              θ_t = θ_{t-1} − η m̂_t r_t √(1 − β2^t) / (√v_t + ε)
    otherwise θ_t = θ_{t-1} − η m̂_t   (momentum SGD during the first steps)
    """

    hyperparameters = {"lr": _non_negative, "betas": _betas, "eps": _non_negative,
                       "weight_decay": _non_negative}

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    def _init_state(self, param):
        return {"exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def _step(self, param, grad, state, t):
        grad = self._with_weight_decay(param, grad)
        beta1, beta2 = self.betas
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1.0 - beta1) * grad
        v *= beta2
        v += (1.0 - beta2) * grad * grad
        m_hat = m / (1.0 - beta1**t)
        bias_correction2 = 1.0 - beta2**t
        rho_inf = 2.0 / (1.0 - beta2) - 1.0
        rho_t = rho_inf - 2.0 * t * beta2**t / bias_correction2
        if rho_t > 5.0:
            rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            adaptive_lr = math.sqrt(bias_correction2) / (np.sqrt(v) + self.eps)
            param -= m_hat * self.lr * adaptive_lr * rect
        else:
            param -= m_hat * self.lr
