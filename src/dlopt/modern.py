r"""Optimizers of the 2020s in numpy, each computing what its reference computes (発展).

- ``Adafactor``  = ``torch.optim.Adafactor`` (Shazeer & Stern, 2018): a factored second moment
- ``Lion``       = ``lion_pytorch.Lion`` 0.2.5 (Chen et al., 2023): the sign of an interpolated momentum
- ``Muon``       = ``torch.optim.Muon`` (Jordan et al., 2024): momentum orthogonalized by Newton–Schulz
- ``ScheduleFreeAdamW`` = ``schedulefree.AdamWScheduleFree`` 1.4.1 (Defazio et al., 2024)

They keep the contract of ``dlopt.optimizers`` (DESIGN.md §3.1): a dict of parameters updated in
place, ``opt.lr`` assignable, ``state_dict`` resume bit for bit, bad input refused before anything
changes. What differs is said where it differs: Muon takes matrices only, Adafactor's state is
smaller than the parameter, and Schedule-Free's arrays hold one of two points (``train``/``eval``).
Notation (chapters/notation.md): θ parameters, g_t gradient, η learning rate, λ weight decay,
t the 1-based step.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

import numpy as np

from . import validation
from .optimizers import Optimizer, _betas, _flag, _non_negative
from .validation import check_state_dict, check_update

__all__ = ["Adafactor", "Lion", "Muon", "ScheduleFreeAdamW", "newton_schulz"]


# ---------------------------------------------------------------------------------------------
# argument checks (Japanese messages that name the argument, as everywhere in dlopt)


def _non_positive(name: str, value: Any) -> float:
    if validation.number(name, value, low=-math.inf) > 0:
        raise ValueError(f"{name} は 0 以下の数でなければなりません（{name}={value!r} が渡されました）")
    return float(value)


def _at_least_one(name: str, value: Any) -> float:
    return validation.number(name, value, low=1.0)


def _adafactor_eps(name: str, value: Any) -> tuple[float | None, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(
            f"{name} は 2 つの組 (ε1, ε2) です。ε1 は None（dtype の計算機イプシロン）でもかまいません"
            f"（{name}={value!r} が渡されました）"
        )
    eps1 = None if value[0] is None else validation.number(f"{name}[0]", value[0])
    return (eps1, validation.number(f"{name}[1]", value[1]))


def _ns_coefficients(name: str, value: Any) -> tuple[float, float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise ValueError(
            f"{name} は 3 つの数の組 (a, b, c) です（{name}={value!r} が渡されました）"
        )
    return tuple(validation.number(f"{name}[{i}]", v, low=-math.inf) for i, v in enumerate(value))


def _ns_steps(name: str, value: Any) -> int:
    steps = validation.count(name, value)
    if steps >= 100:  # torch.optim.Muon refuses 100 or more too (at its first step)
        raise ValueError(f"{name} は 100 未満の整数でなければなりません（{name}={value!r} が渡されました）")
    return steps


def _adjust_lr_fn(name: str, value: Any) -> str | None:
    return validation.choice(name, value, (None, "original", "match_rms_adamw"))


def _schedule_free_betas(name: str, value: Any) -> tuple[float, float]:
    betas = _betas(name, value)
    if betas[0] == 0.0:
        raise ValueError(
            "ScheduleFreeAdamW には β1 > 0 が必要です。eval の x = y + (1 − 1/β1)(z − y) が"
            " β1 で割るためです"
            f"（{name}={value!r} が渡されました）"
        )
    return betas


def _rms(x: np.ndarray) -> float:
    """RMS(x) = ‖x‖₂ / √(number of elements)."""
    return float(np.linalg.norm(x)) / math.sqrt(x.size)


# ---------------------------------------------------------------------------------------------
# Adafactor: its state arrays have shapes of their own


class _ShapedStateOptimizer(Optimizer):
    """An optimizer whose state arrays need not have the parameter's shape (Adafactor's row and column
    statistics are smaller than the matrix). The subclass names the shapes in ``_state_shapes`` and
    how to read the parameter's shape back from a state in ``_parameter_shape``; ``update`` and
    ``check_state_dict`` check the state against those shapes, with the same all-or-nothing rules."""

    @staticmethod
    def _state_shapes(shape: tuple) -> dict[str, tuple]:
        raise NotImplementedError

    @staticmethod
    def _parameter_shape(arrays: dict[str, np.ndarray]) -> tuple | None:
        raise NotImplementedError

    def _init_state(self, param):
        return {name: np.zeros(shape, param.dtype) for name, shape in self._state_shapes(param.shape).items()}

    def update(self, params, grads):
        """``Optimizer.update``, with the state checked against ``_state_shapes``."""
        arrays, grads = check_update(params, grads, {})  # every check except the state's shapes
        for key, param in arrays.items():
            if key in self.state:
                self._check_fits(key, param.shape, param.dtype, self.state[key])
        for key, param in arrays.items():
            if key not in self.state:
                self.state[key] = {"step": 0, **self._init_state(param)}
            state = self.state[key]
            state["step"] += 1
            self._step(param, grads[key], state, state["step"])
            if param is not params[key]:  # a plain Python float cannot change in place
                params[key] = float(param)

    def _check_fits(self, key: str, shape: tuple, dtype, state: dict) -> None:
        found = {name: (v.shape, v.dtype) for name, v in state.items() if isinstance(v, np.ndarray)}
        expected = {name: (s, dtype) for name, s in self._state_shapes(shape).items()}
        if found != expected:
            raise ValueError(
                f"パラメータ {key!r}（形 {shape}、dtype {dtype}）に合う状態は {expected} ですが、"
                f"state[{key!r}] は {found} です（途中で別の配列に入れ替えましたか）"
            )

    def check_state_dict(self, state_dict):
        """A checked copy of ``state_dict``: the class and hyperparameters as for every optimizer,
        each key's arrays against the shapes that ``_state_shapes`` gives for the parameter they imply."""
        if not isinstance(state_dict, dict) or not isinstance(state_dict.get("state"), dict):
            return check_state_dict(self, state_dict)  # raises, naming what is wrong
        checked = check_state_dict(self, {**state_dict, "state": {}})
        for key, entry in state_dict["state"].items():
            if not isinstance(entry, dict) or "step" not in entry:
                raise ValueError(f"state[{key!r}] は 'step' を持つ dict です")
            step = entry["step"]
            if isinstance(step, bool) or not isinstance(step, Integral) or step < 1:
                raise ValueError(f"state[{key!r}]['step'] は 1 以上の整数です（{step!r}）")
            arrays = {name: v for name, v in entry.items() if name != "step"}
            for name, value in arrays.items():
                if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.floating):
                    kind = value.dtype if isinstance(value, np.ndarray) else type(value).__name__
                    raise ValueError(f"state[{key!r}][{name!r}] は浮動小数点数の配列です（{kind}）")
            shape = self._parameter_shape(arrays)
            dtypes = {v.dtype for v in arrays.values()}
            if shape is None or len(dtypes) != 1:
                expected = [sorted(["step", *self._state_shapes(s)]) for s in ((), (1, 1))]  # scalar, matrix
                raise ValueError(
                    f"state[{key!r}] の項目は {expected[0]} か {expected[1]} で、dtype がそろった配列です"
                    f"（{sorted(entry)}）"
                )
            self._check_fits(key, shape, dtypes.pop(), arrays)
            checked["state"][key] = {"step": int(step), **{n: np.copy(v) for n, v in arrays.items()}}
        return checked


class Adafactor(_ShapedStateOptimizer):
    r"""Adafactor (= ``torch.optim.Adafactor``; Shazeer & Stern, 2018): a second moment in O(n + m)
    memory for an n×m matrix, and a step size relative to the parameter's own scale.

    1 − β̂2_t = t^τ  (τ = beta2_decay ≤ 0),   ρ_t = min(η, 1/√t),   α_t = max(ε2, RMS(θ_{t-1})) ρ_t
    θ ← (1 − ηλ) θ
    ndim ≥ 2 (factored over the last two axes; a stack of matrices is factored matrix by matrix):
        R_t = β̂2_t R_{t-1} + (1 − β̂2_t) mean_j(g_t ⊙ g_t)      row statistics, shape (…, n, 1)
        C_t = β̂2_t C_{t-1} + (1 − β̂2_t) mean_i(g_t ⊙ g_t)      column statistics, shape (…, 1, m)
        V̂_t = R_t C_t / max(mean_i R_t, ε1)                      the rank-1 reconstruction
    0-d and 1-D:  V̂_t = v_t = β̂2_t v_{t-1} + (1 − β̂2_t) g_t ⊙ g_t
    U_t = g_t / √max(V̂_t, ε1²)
    θ_t = θ − α_t / max(1, RMS(U_t) / d) · U_t                   (update clipping at d)
    ε1 = None means the machine epsilon of the parameter's dtype.
    """

    hyperparameters = {"lr": _non_negative, "beta2_decay": _non_positive, "eps": _adafactor_eps,
                       "d": _at_least_one, "weight_decay": _non_negative}

    def __init__(self, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0):
        super().__init__(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay)

    @staticmethod
    def _state_shapes(shape):
        """R: (…, n, 1) and C: (…, 1, m) for a matrix (or a stack of them); v: θ's shape otherwise."""
        if len(shape) >= 2:
            return {"row_var": shape[:-1] + (1,), "col_var": shape[:-2] + (1,) + shape[-1:]}
        return {"variance": shape}

    @staticmethod
    def _parameter_shape(arrays):
        if arrays.keys() == {"variance"}:
            return arrays["variance"].shape
        if arrays.keys() == {"row_var", "col_var"} and arrays["row_var"].ndim >= 2:
            return arrays["row_var"].shape[:-1] + arrays["col_var"].shape[-1:]
        return None

    def _step(self, param, grad, state, t):
        eps1, eps2 = self.eps
        if eps1 is None:
            eps1 = np.finfo(param.dtype).eps
        one_minus_beta2 = t**self.beta2_decay  # 1 − β̂2_t = t^τ
        rho = min(self.lr, 1.0 / math.sqrt(t))  # ρ_t
        alpha = max(eps2, _rms(param)) * rho  # α_t, from θ before the weight decay
        if self.weight_decay:
            param *= 1.0 - self.lr * self.weight_decay  # θ ← (1 − ηλ) θ
        if param.ndim >= 2:
            R, C = state["row_var"], state["col_var"]
            R += one_minus_beta2 * (np.mean(grad * grad, axis=-1, keepdims=True) - R)
            C += one_minus_beta2 * (np.mean(grad * grad, axis=-2, keepdims=True) - C)
            v_hat = R @ C / np.maximum(np.mean(R, axis=-2, keepdims=True), eps1)  # R C / mean(R)
        else:
            v = state["variance"]
            v += one_minus_beta2 * (grad * grad - v)  # v ← β̂2 v + (1 − β̂2) g ⊙ g
            v_hat = v
        U = grad / np.sqrt(np.maximum(v_hat, eps1 * eps1))  # U = g / √V̂
        param -= alpha / max(1.0, _rms(U) / self.d) * U  # θ ← θ − α / max(1, RMS(U)/d) · U


# ---------------------------------------------------------------------------------------------
# Lion


class Lion(Optimizer):
    r"""Lion (= ``lion_pytorch.Lion`` 0.2.5; Chen et al., 2023, found by program search): every
    element moves by exactly η, in the direction of the sign of an interpolated momentum.

    c_t = β1 m_{t-1} + (1 − β1) g_t
    θ ← (1 − ηλ) θ
    θ_t = θ − η sign(c_t)
    m_t = β2 m_{t-1} + (1 − β2) g_t
    """

    hyperparameters = {"lr": _non_negative, "betas": _betas, "weight_decay": _non_negative}

    def __init__(self, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(lr=lr, betas=betas, weight_decay=weight_decay)

    def _init_state(self, param):
        return {"exp_avg": np.zeros_like(param)}

    def _step(self, param, grad, state, t):
        beta1, beta2 = self.betas
        m = state["exp_avg"]
        c = beta1 * m + (1.0 - beta1) * grad  # c = β1 m + (1 − β1) g
        param *= 1.0 - self.lr * self.weight_decay  # θ ← (1 − ηλ) θ
        param -= self.lr * np.sign(c)  # θ ← θ − η sign(c)
        m *= beta2  # m ← β2 m + (1 − β2) g
        m += (1.0 - beta2) * grad


# ---------------------------------------------------------------------------------------------
# Muon


def _bf16(x) -> np.ndarray:
    """``x`` rounded to bfloat16 (to nearest, ties to even) through float32, kept as float32:
    the numbers a torch bfloat16 tensor holds (torch's ``.bfloat16()`` of a float64 tensor also
    rounds to float32 first)."""
    import ml_dtypes  # imported here: it takes 0.4 s, and only Muon needs it

    return np.asarray(x, dtype=np.float32).astype(ml_dtypes.bfloat16).astype(np.float32)


def newton_schulz(M, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7) -> np.ndarray:
    r"""The Newton–Schulz iteration of ``torch.optim.Muon``: ≈ the orthogonal factor U Vᵀ of M = U S Vᵀ,
    in bfloat16 whatever M's dtype, rounded where torch rounds (once per matrix product and sum).

    X_0 = M / max(‖M‖_F, ε)          (a wide matrix: a tall M is transposed, and back at the end)
    A = X Xᵀ,   B = b A + c A²,   X ← a X + B X        (``steps`` times; (a, b, c) = coefficients)

    Returns float32 numbers that are all bfloat16 values.
    """
    a, b, c = (np.float32(v) for v in coefficients)  # torch's bfloat16 products compute in float32
    X = _bf16(M)
    tall = X.shape[0] > X.shape[1]
    if tall:
        X = X.T
    norm = _bf16(np.sqrt(np.sum(X * X)))  # ‖X‖_F
    X = _bf16(X / _bf16(max(norm, eps)))
    for _ in range(steps):
        A = _bf16(X @ X.T)  # A = X Xᵀ
        B = _bf16(b * A + c * (A @ A))  # B = b A + c A²
        X = _bf16(a * X + B @ X)  # X ← a X + B X
    return X.T if tall else X


class Muon(Optimizer):
    r"""Muon (= ``torch.optim.Muon``; Jordan et al., 2024): for weight matrices only, the momentum
    replaced by its orthogonal factor (Newton–Schulz in bfloat16, ``newton_schulz``).

    B_t = μ B_{t-1} + (1 − μ) g_t          (torch's ``lerp``; its docstring writes μ B + g)
    M_t = (1 − μ) g_t + μ B_t   (nesterov=True),   M_t = B_t   (nesterov=False)
    O_t = NS_k(M_t)
    θ ← (1 − ηλ) θ
    θ_t = θ − η' O_t,   η' = η √max(1, n/m)  (adjust_lr_fn None or "original", θ of shape n×m)
                        η' = 0.2 η √max(n, m) ("match_rms_adamw": the update's RMS matches AdamW's)
    A parameter that is not 2-D is refused: give biases and the like to AdamW.
    """

    hyperparameters = {"lr": _non_negative, "weight_decay": _non_negative, "momentum": validation.fraction,
                       "nesterov": _flag, "ns_coefficients": _ns_coefficients, "eps": _non_negative,
                       "ns_steps": _ns_steps, "adjust_lr_fn": _adjust_lr_fn}

    def __init__(self, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-7, ns_steps=5, adjust_lr_fn=None):
        super().__init__(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                         ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                         adjust_lr_fn=adjust_lr_fn)

    def update(self, params, grads):
        """``Optimizer.update``; every parameter must be a matrix, checked before anything changes."""
        arrays, _ = check_update(params, grads, self.state)
        for key, param in arrays.items():
            if param.ndim != 2:
                raise ValueError(
                    f"Muon が更新できるのは 2 次元の重み行列だけです。パラメータ {key!r} の形は "
                    f"{param.shape} です（バイアスなどは AdamW に任せてください）"
                )
        super().update(params, grads)

    def _init_state(self, param):
        return {"momentum_buffer": np.zeros_like(param)}

    def _adjusted_lr(self, shape):
        n, m = shape
        if self.adjust_lr_fn == "match_rms_adamw":
            return self.lr * (0.2 * math.sqrt(max(n, m)))  # η' = 0.2 η √max(n, m)
        return self.lr * math.sqrt(max(1, n / m))  # η' = η √max(1, n/m)

    def _step(self, param, grad, state, t):
        mu = self.momentum
        B = state["momentum_buffer"]
        B += (1.0 - mu) * (grad - B)  # B ← μ B + (1 − μ) g
        M = grad + mu * (B - grad) if self.nesterov else B  # M = (1 − μ) g + μ B
        O = newton_schulz(M, self.ns_coefficients, self.ns_steps, self.eps).astype(param.dtype)
        param *= 1.0 - self.lr * self.weight_decay  # θ ← (1 − ηλ) θ
        param -= self._adjusted_lr(param.shape) * O  # θ ← θ − η' O


# ---------------------------------------------------------------------------------------------
# Schedule-Free AdamW


class ScheduleFreeAdamW(Optimizer):
    r"""Schedule-Free AdamW (= ``schedulefree.AdamWScheduleFree`` 1.4.1; Defazio et al., 2024).

    Three sequences: z (the base steps, in the state), x (their weighted average: the point to
    evaluate) and y (between them: the point where gradients are taken). During training the
    arrays hold y; ``opt.eval(params)`` moves them to x and ``opt.train(params)`` back to y.
    g_t is the gradient at y_{t-1}. (The reference starts in eval mode and needs ``optimizer.train()``
    before its first step; dlopt's keys start at y, their state is created by the first update.)

    η_t = η · min(1, t / warmup_steps),   η_max = max_{s≤t} η_s
    w_t = t^r η_max^p  (p = weight_lr_power),   c_t = w_t / Σ_{s≤t} w_s   (c_1 = 1: x_1 = z_1)
    v_t = β2 v_{t-1} + (1 − β2) g_t ⊙ g_t,   ĝ_t = g_t / (√(v_t / (1 − β2^t)) + ε) + λ y_{t-1}
    z_t = z_{t-1} − η_t ĝ_t
    x_t = (1 − c_t) x_{t-1} + c_t z_t
    y_t = (1 − β1) z_t + β1 x_t
    computed without x:  y ← (1 − c_t) y + c_t z_{t-1} + η_t (β1 (1 − c_t) − 1) ĝ_t
    """

    hyperparameters = {"lr": _non_negative, "betas": _schedule_free_betas, "eps": _non_negative,
                       "weight_decay": _non_negative, "warmup_steps": validation.count,
                       "r": _non_negative, "weight_lr_power": _non_negative}

    def __init__(self, lr=0.0025, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, warmup_steps=0, r=0.0,
                 weight_lr_power=2.0):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, warmup_steps=warmup_steps,
                         r=r, weight_lr_power=weight_lr_power)

    def _init_state(self, param):
        return {"z": param.copy(), "exp_avg_sq": np.zeros_like(param), "lr_max": -1.0,
                "weight_sum": 0.0, "train_mode": True}

    def _step(self, param, grad, state, t):
        beta1, beta2 = self.betas
        y, z, v = param, state["z"], state["exp_avg_sq"]
        lr = self.lr * (t / self.warmup_steps if t <= self.warmup_steps else 1.0)  # η_t
        state["lr_max"] = lr_max = max(lr, state["lr_max"])
        weight = t**self.r * lr_max**self.weight_lr_power  # w_t
        state["weight_sum"] += weight
        c = weight / state["weight_sum"] if state["weight_sum"] else 0.0  # c_t
        v *= beta2  # v ← β2 v + (1 − β2) g ⊙ g
        v += (1.0 - beta2) * grad * grad
        g_hat = grad / (np.sqrt(v / (1.0 - beta2**t)) + self.eps)
        if self.weight_decay:
            g_hat += self.weight_decay * y  # ĝ ← ĝ + λ y
        y += c * (z - y)  # y ← (1 − c) y + c z
        y += lr * (beta1 * (1.0 - c) - 1.0) * g_hat
        z -= lr * g_hat  # z ← z − η ĝ

    def update(self, params, grads):
        """``Optimizer.update``; refused while the arrays hold x (after ``eval``), before anything changes."""
        for key in params if isinstance(params, dict) else ():
            if not self.state.get(key, {}).get("train_mode", True):
                raise ValueError(
                    f"パラメータ {key!r} は評価点 x を保持しています（eval のあと）。"
                    "update の前に opt.train(params) で訓練点 y に戻してください"
                )
        super().update(params, grads)

    def eval(self, params):
        r"""Move the arrays to the evaluation point x, in place: x = y + (1 − 1/β1)(z − y).
        Keys already at x, and keys not updated yet, are left as they are."""
        self._move(params, train_mode=False, weight=1.0 - 1.0 / self.betas[0])

    def train(self, params):
        r"""Move the arrays back to the training point y, in place: y = x + (1 − β1)(z − x).
        Keys already at y, and keys not updated yet (before the first update), are left as they are."""
        self._move(params, train_mode=True, weight=1.0 - self.betas[0])

    def _move(self, params, train_mode, weight):
        zeros = {key: np.zeros(np.shape(p)) for key, p in params.items()} if isinstance(params, dict) else {}
        arrays, _ = check_update(params, zeros, self.state)  # the checks of update, all keys first
        for key, param in arrays.items():
            state = self.state.get(key)
            if state is None or state["train_mode"] == train_mode:
                continue
            param += weight * (state["z"] - param)  # θ ← θ + w (z − θ)
            state["train_mode"] = train_mode
            if param is not params[key]:  # a plain Python float cannot change in place
                params[key] = float(param)

    def check_state_dict(self, state_dict):
        """As for every optimizer; each key's ``train_mode`` (True: the arrays hold y, False: x) must be
        True or False."""
        modes, entries = {}, None
        if isinstance(state_dict, dict) and isinstance(state_dict.get("state"), dict):
            entries = {}
            for key, entry in state_dict["state"].items():
                if isinstance(entry, dict) and "train_mode" in entry:
                    mode = entry["train_mode"]
                    if not isinstance(mode, (bool, np.bool_)):
                        raise ValueError(f"state[{key!r}]['train_mode'] は True か False です（{mode!r}）")
                    modes[key] = bool(mode)
                    entry = {**entry, "train_mode": 0.0}  # a number for the shared check of the others
                entries[key] = entry
        checked = check_state_dict(self, state_dict if entries is None else {**state_dict, "state": entries})
        for key, mode in modes.items():
            checked["state"][key]["train_mode"] = mode
        return checked
