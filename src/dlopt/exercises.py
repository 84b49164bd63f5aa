"""Auto-graders for the fill-in-the-blank (穴埋め) problems.

A problem is a reference function and a generator of random inputs. ``check(name, answer)`` runs the
reader's function and the reference on the same inputs and reports, in Japanese, the first mismatch
(inputs, expected, got) or that every case agreed. A function that still contains the blank ``___``
is reported as unanswered without being run.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Problem", "PROBLEMS", "Verdict", "check", "register"]


@dataclass(frozen=True)
class Problem:
    """A reference solution and ``make_inputs(rng) -> dict`` of keyword arguments."""

    reference: Callable
    make_inputs: Callable[[np.random.Generator], dict]
    title: str
    rtol: float = 1e-9
    atol: float = 1e-12
    trials: int = 20


PROBLEMS: dict[str, Problem] = {}


def register(name: str, title: str, make_inputs: Callable, **options) -> Callable:
    """Decorator: register the decorated function as the reference solution of problem ``name``."""

    def decorate(reference: Callable) -> Callable:
        PROBLEMS[name] = Problem(reference, make_inputs, title, **options)
        return reference

    return decorate


@dataclass(frozen=True)
class Verdict:
    """The result of ``check``: true when the answer is right; shown as its Japanese message."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def _same(expected, got, rtol: float, atol: float) -> bool:
    expected, got = _as_tuple(expected), _as_tuple(got)
    if len(expected) != len(got):
        return False
    for e, g in zip(expected, got, strict=True):
        if e is None or g is None:  # "no value" (e.g. training never stops) must match exactly
            if e is not g:
                return False
            continue
        try:
            e_arr, g_arr = np.asarray(e, dtype=float), np.asarray(g, dtype=float)
        except (TypeError, ValueError):
            return False
        if e_arr.shape != g_arr.shape or not np.allclose(g_arr, e_arr, rtol=rtol, atol=atol):
            return False
    return True


def _show(value) -> str:
    with np.printoptions(precision=6, suppress=True):
        if isinstance(value, dict):
            return ", ".join(f"{k}={_show(v)}" for k, v in value.items())
        if isinstance(value, tuple):
            return "(" + ", ".join(_show(v) for v in value) + ")"
        return repr(np.asarray(value)) if isinstance(value, np.ndarray) else repr(value)


def _has_blank(code) -> bool:
    """True if ``___`` is used in ``code`` or in the code of its comprehensions and lambdas."""
    if code is None:
        return False
    if "___" in code.co_names:
        return True
    return any(_has_blank(const) for const in code.co_consts if hasattr(const, "co_names"))


def check(name: str, answer: Callable, seed: int = 0) -> Verdict:
    """Grade ``answer`` against problem ``name``; the ``Verdict`` shows the result in Japanese."""
    if name not in PROBLEMS:
        raise KeyError(f"unknown problem {name!r}; known problems: {sorted(PROBLEMS)}")
    problem = PROBLEMS[name]
    if _has_blank(getattr(answer, "__code__", None)):
        message = "空欄 ___ がまだ残っています。埋めてからもう一度実行してください。"
        return Verdict(False, f"【{problem.title}】{message}")
    rng = np.random.default_rng(seed)
    for trial in range(1, problem.trials + 1):
        inputs = problem.make_inputs(rng)
        expected = problem.reference(**copy.deepcopy(inputs))
        try:
            with np.errstate(all="ignore"):
                got = answer(**copy.deepcopy(inputs))
        except Exception as error:  # the reader's code may fail in any way; report it, do not crash
            return Verdict(False, f"【{problem.title}】不正解: 入力 {_show(inputs)} でエラーになりました: "
                           f"{type(error).__name__}: {error}")
        if not _same(expected, got, problem.rtol, problem.atol):
            return Verdict(False, f"【{problem.title}】不正解 ({trial} 件目の入力で不一致)\n"
                           f"  入力: {_show(inputs)}\n  期待: {_show(expected)}\n  実際: {_show(got)}")
    message = f"正解です。{problem.trials} 通りのランダムな入力で参照実装と一致しました。"
    return Verdict(True, f"【{problem.title}】{message}")


# ---------------------------------------------------------------------------------------------
# Problems. Each chapter's 穴埋め registers its reference here.


def _adagrad_inputs(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return {
        "theta": rng.normal(size=shape),
        "h": rng.uniform(0.0, 2.0, size=shape),
        "grad": rng.normal(size=shape),
        "lr": float(rng.uniform(0.01, 1.0)),
        "eps": 1e-7,
    }


@register("adagrad_step", "AdaGrad の 1 ステップ", _adagrad_inputs)
def adagrad_step(theta, h, grad, lr, eps):
    """h ← h + g ⊙ g;  θ ← θ − η g / (√h + ε).  Returns (θ, h)."""
    h = h + grad * grad
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    return theta, h


def _momentum_inputs(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    t = int(rng.integers(1, 4))  # about one case in three is the first step
    return {
        "theta": rng.normal(size=shape),
        "b": np.zeros(shape) if t == 1 else rng.normal(size=shape),
        "grad": rng.normal(size=shape),
        "lr": float(rng.uniform(0.01, 1.0)),
        "momentum": float(rng.uniform(0.5, 0.99)),
        "dampening": float(rng.uniform(0.1, 0.5)),
        "t": t,
    }


@register("momentum_step", "モメンタムの 1 ステップ（PyTorch 形式）", _momentum_inputs)
def momentum_step(theta, b, grad, lr, momentum, dampening, t):
    """b_1 = g_1;  b_t = α b_{t-1} + (1 − d) g_t (t ≥ 2);  θ ← θ − η b_t.  Returns (θ, b)."""
    b = grad.copy() if t == 1 else momentum * b + (1.0 - dampening) * grad
    theta = theta - lr * b
    return theta, b


def _gradient_descent_hessian_inputs(rng):
    n = int(rng.integers(2, 5))
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))  # a random rotation: H is not diagonal
    a = np.exp(rng.uniform(np.log(0.05), np.log(10.0), size=n))  # curvatures (eigenvalues)
    return {"H": (q * a) @ q.T}


@register(
    "gradient_descent_learning_rates",
    "ヘッセ行列から学習率の上限・最適値・収束率を求める",
    _gradient_descent_hessian_inputs,
    rtol=1e-7,
)
def gradient_descent_learning_rates(H):
    """For L = θᵀHθ/2: (2/a_max, 2/(a_max + a_min), (κ − 1)/(κ + 1)) with a = eigvalsh(H), κ = a_max/a_min."""
    a = np.linalg.eigvalsh(H)
    a_min, a_max = a[0], a[-1]
    kappa = a_max / a_min
    return 2.0 / a_max, 2.0 / (a_max + a_min), (kappa - 1.0) / (kappa + 1.0)


# --- chapters/initialization -----------------------------------------------------------------


def _initialization_fans_inputs(rng):
    # fan_in >= 3 and fan_in != fan_out, so that √(2/n) ≠ 2/n ≠ 1/√n and fan_in ≠ fan_out is visible
    fan_in = int(rng.integers(3, 1025))
    fan_out = int(rng.integers(3, 1025))
    if fan_out == fan_in:
        fan_out += 1
    return {"fan_in": fan_in, "fan_out": fan_out}


@register("initialization_he_std", "He の初期値の標準偏差", _initialization_fans_inputs)
def initialization_he_std(fan_in, fan_out):
    """σ = √(2 / fan_in) (fan_out is not used: He keeps the forward signal)."""
    return float(np.sqrt(2.0 / fan_in))


@register("initialization_xavier_std", "Xavier（Glorot）の初期値の標準偏差", _initialization_fans_inputs)
def initialization_xavier_std(fan_in, fan_out):
    """σ = √(2 / (fan_in + fan_out))."""
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def _rmsprop_inputs(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return {
        "theta": rng.normal(size=shape),
        "v": rng.uniform(0.0, 2.0, size=shape),
        "grad": rng.normal(size=shape),
        "lr": float(rng.uniform(0.001, 0.1)),
        "alpha": float(rng.uniform(0.8, 0.999)),
        "eps": float(10.0 ** rng.integers(-4, -1)),  # 1e-4 .. 1e-2: ε inside the root is detectable
    }


@register("rmsprop_step", "RMSProp の 1 ステップ（PyTorch 形式）", _rmsprop_inputs)
def rmsprop_step(theta, v, grad, lr, alpha, eps):
    """v ← α v + (1 − α) g ⊙ g;  θ ← θ − η g / (√v + ε).  Returns (θ, v)."""
    v = alpha * v + (1 - alpha) * grad * grad
    theta = theta - lr * grad / (np.sqrt(v) + eps)
    return theta, v


def _adam_inputs(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return {
        "theta": rng.normal(size=shape),
        "m": 0.1 * rng.normal(size=shape),
        "v": rng.uniform(0.0, 0.1, size=shape),
        "grad": rng.normal(size=shape),
        "t": int(rng.integers(1, 8)),
        "lr": float(rng.uniform(0.001, 0.1)),
        "betas": (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.999))),
        "eps": float(10.0 ** rng.integers(-4, -1)),  # 1e-4 .. 1e-2: ε inside the root is detectable
    }


@register("adam_step", "Adam の 1 ステップ", _adam_inputs)
def adam_step(theta, m, v, grad, t, lr, betas, eps):
    """m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g ⊙ g;  θ ← θ − η m̂ / (√v̂ + ε).

    m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), t counted from 1. Returns (θ, m, v) with the
    uncorrected moments (they are the optimizer's state).
    """
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta, m, v


def _early_stopping_inputs(rng):
    # Validation losses on a grid of 0.25 (exact in binary: ties and changes of exactly min_delta are
    # exact, so `value < best - min_delta` and `value + min_delta < best` agree), then a rise of
    # patience + 1 values so that every sequence stops: the grader compares numbers, and None
    # ("never stopped") is not one.
    patience = int(rng.integers(0, 4))
    values = 8.0 + np.cumsum(rng.choice([-0.5, -0.25, 0.0, 0.0, 0.25], size=int(rng.integers(3, 12))))
    tail = values.max() + 0.25 * np.arange(1, patience + 2)
    return {
        "values": [float(v) for v in np.concatenate([values, tail])],
        "patience": patience,
        "min_delta": float(rng.choice([0.0, 0.25, 0.5])),
    }


@register("early_stopping_stop_epoch", "早期終了のカウンタ（止まるエポック）", _early_stopping_inputs)
def early_stopping_stop_epoch(values, patience, min_delta):
    """The 0-based epoch at which early stopping (mode "min", Keras's rule) stops, or None."""
    best, wait = None, 0
    for epoch, value in enumerate(values):
        if best is None or value < best - min_delta:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return None


def _nesterov_inputs(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return {
        "theta": rng.normal(size=shape),
        "v": rng.normal(size=shape),
        "grad": rng.normal(size=shape),
        "lr": float(rng.uniform(0.01, 1.0)),
        "momentum": float(rng.uniform(0.5, 0.99)),
    }


@register("nesterov_step", "ネステロフのモメンタムの 1 ステップ（Bengio らの形式）", _nesterov_inputs)
def nesterov_step(theta, v, grad, lr, momentum):
    """Θ ← Θ + α² v − (1 + α) η g (with the old v);  v ← α v − η g.  Returns (Θ, v)."""
    theta = theta + momentum**2 * v - (1.0 + momentum) * lr * grad
    v = momentum * v - lr * grad
    return theta, v


# --- chapters/adamw --------------------------------------------------------------------------


def _adamw_inputs(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return {
        "theta": rng.normal(size=shape),
        "m": 0.1 * rng.normal(size=shape),
        "v": rng.uniform(0.0, 0.1, size=shape),
        "grad": rng.normal(size=shape),
        "t": int(rng.integers(1, 8)),
        # η ≥ 0.01 and λ ≥ 0.05: decaying after the Adam step differs by η²λ·u ≥ 5e-6·u (detectable)
        "lr": float(rng.uniform(0.01, 0.1)),
        "betas": (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.999))),
        "eps": 1e-8,
        "weight_decay": float(rng.uniform(0.05, 0.5)),
    }


@register("adamw_step", "AdamW の 1 ステップ（PyTorch 形式）", _adamw_inputs)
def adamw_step(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """θ ← θ − ηλθ (decoupled, before the Adam step); then Adam with the loss gradient only.

    m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g ⊙ g;  θ ← θ − η m̂ / (√v̂ + ε).
    Returns (θ, m, v) with the uncorrected moments (they are the optimizer's state).
    """
    beta1, beta2 = betas
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta, m, v


def _sgd_minibatch_inputs(rng):
    n, d = int(rng.integers(8, 30)), int(rng.integers(1, 5))
    batch_size = int(rng.integers(2, n // 2))
    return {
        "w": rng.normal(size=d),
        "X": rng.normal(size=(n, d)),
        "y": rng.normal(size=n),
        "idx": rng.choice(n, size=batch_size, replace=False),
        "lr": float(rng.uniform(0.01, 0.5)),
    }


@register("sgd_minibatch_step", "ミニバッチ SGD の 1 ステップ（線形回帰の 2 乗誤差）", _sgd_minibatch_inputs)
def sgd_minibatch_step(w, X, y, idx, lr):
    """L_B(w) = (1/2B) Σ_{i∈idx} (x_iᵀw − y_i)²;  g = X_Bᵀ(X_B w − y_B)/B;  returns w − η g."""
    X_batch, y_batch = X[idx], y[idx]
    grad = X_batch.T @ (X_batch @ w - y_batch) / len(idx)
    return w - lr * grad


# --- chapters/exam_practice ------------------------------------------------------------------
# E資格-style 穴埋め in the notation of ゼロから作る (velocity v, h, decay_rate, lr_t), which the exam's
# code questions resemble. Shapes are small; ε is 1e-4..1e-2 where its position must be detectable.


def _exam_shape(rng):
    return (int(rng.integers(1, 4)), int(rng.integers(1, 4)))


def _exam_momentum_inputs(rng):
    shape = _exam_shape(rng)
    first = rng.random() < 0.3  # v_0 = 0 at the first step
    return {
        "theta": rng.normal(size=shape),
        "v": np.zeros(shape) if first else rng.normal(size=shape),
        "grad": rng.normal(size=shape),
        "lr": float(rng.uniform(0.01, 1.0)),
        "momentum": float(rng.uniform(0.5, 0.99)),
    }


@register("exam_momentum_velocity", "モメンタムの 1 ステップ（ゼロから作る形式の速度 v）",
          _exam_momentum_inputs)
def exam_momentum_velocity(theta, v, grad, lr, momentum):
    """v ← α v − η g;  θ ← θ + v (the velocity contains the learning rate).  Returns (θ, v)."""
    v = momentum * v - lr * grad
    theta = theta + v
    return theta, v


def _exam_adam_inputs(rng):
    shape = _exam_shape(rng)
    return {
        "theta": rng.normal(size=shape),
        "m": 0.1 * rng.normal(size=shape),
        "v": rng.uniform(0.0, 0.1, size=shape),
        "grad": rng.normal(size=shape),
        "t": int(rng.integers(1, 8)),
        "lr": float(rng.uniform(0.001, 0.1)),
        "beta1": float(rng.uniform(0.5, 0.95)),
        "beta2": float(rng.uniform(0.9, 0.999)),
        "eps": float(10.0 ** rng.integers(-4, -1)),
    }


@register("exam_adam_bias_correction", "Adam のバイアス補正（ゼロから作る形式の lr_t）", _exam_adam_inputs)
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


def _exam_adamw_inputs(rng):
    shape = _exam_shape(rng)
    return {
        "theta": rng.normal(size=shape),
        "m_hat": rng.normal(size=shape),
        "v_hat": rng.uniform(0.01, 1.0, size=shape),
        # η ≥ 0.01 and λ ≥ 0.05: decaying after the Adam step differs by η²λ·m̂/(√v̂ + ε) (detectable)
        "lr": float(rng.uniform(0.01, 0.1)),
        "eps": 1e-8,
        "weight_decay": float(rng.uniform(0.05, 0.5)),
    }


@register("exam_adamw_decay", "AdamW の重み減衰の行（PyTorch 形式）", _exam_adamw_inputs)
def exam_adamw_decay(theta, m_hat, v_hat, lr, eps, weight_decay):
    """θ ← θ − ηλθ (decoupled, before the step), then θ ← θ − η m̂ / (√v̂ + ε).  Returns θ."""
    theta = theta - lr * weight_decay * theta
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta


def _exam_early_stopping_inputs(rng):
    # Values on a grid of 0.25 (exact in binary), with half of the cases exactly at the boundary
    # value = best − min_delta (no improvement: the comparison is strict) and half of the waits one
    # short of patience (so that stopping one epoch late is visible).
    patience = int(rng.integers(1, 5))
    min_delta = float(rng.choice([0.0, 0.25, 0.5]))
    best = 1.0 + 0.25 * int(rng.integers(0, 9))
    offset = int(rng.choice([-2, -1, 0, 0, 0, 1, 2]))
    return {
        "value": best - min_delta + 0.25 * offset,
        "best": best,
        "wait": patience - 1 if rng.random() < 0.5 else int(rng.integers(0, patience)),
        "patience": patience,
        "min_delta": min_delta,
    }


@register("exam_early_stopping_counter", "早期終了のカウンタ（1 エポック分の更新）",
          _exam_early_stopping_inputs)
def exam_early_stopping_counter(value, best, wait, patience, min_delta):
    """One epoch of Keras's rule (mode "min"): returns (best, wait, stop).

    value < best − min_delta: improvement, best ← value, wait ← 0, no stop;
    otherwise wait ← wait + 1 and stop when wait ≥ patience.
    """
    if value < best - min_delta:
        return value, 0, False
    wait = wait + 1
    return best, wait, wait >= patience


def _exam_rmsprop_inputs(rng):
    shape = _exam_shape(rng)
    return {
        "theta": rng.normal(size=shape),
        "h": rng.uniform(0.0, 2.0, size=shape),
        "grad": rng.normal(size=shape),
        "lr": float(rng.uniform(0.001, 0.1)),
        "decay_rate": float(rng.uniform(0.8, 0.999)),
        "eps": float(10.0 ** rng.integers(-4, -1)),
    }


@register("exam_rmsprop_step", "RMSProp の 1 ステップ（ゼロから作るの decay_rate）", _exam_rmsprop_inputs)
def exam_rmsprop_step(theta, h, grad, lr, decay_rate, eps):
    """h ← ρ h + (1 − ρ) g ⊙ g;  θ ← θ − η g / (√h + ε)  (ρ = decay_rate).  Returns (θ, h)."""
    h = decay_rate * h + (1 - decay_rate) * grad * grad
    theta = theta - lr * grad / (np.sqrt(h) + eps)
    return theta, h


def _exam_he_inputs(rng):
    n_in = int(rng.integers(2, 300))
    n_out = int(rng.integers(2, 300))
    if n_out == n_in:
        n_out += 1  # n_in ≠ n_out, so that using the fan-out is visible
    return {"n_in": n_in, "n_out": n_out, "seed": int(rng.integers(0, 2**31))}


@register("exam_he_normal", "He の初期値で重みを作る", _exam_he_inputs)
def exam_he_normal(n_in, n_out, seed):
    """W of shape (n_in, n_out) with entries N(0, 2 / n_in), drawn from np.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


def _exam_cosine_inputs(rng):
    T_max = int(rng.integers(10, 1001))
    lr = float(rng.uniform(0.01, 1.0))
    return {
        "t": int(rng.integers(0, T_max + 1)),
        "lr": lr,
        "T_max": T_max,
        "eta_min": float(rng.uniform(0.001, 0.5)) * lr,
    }


@register("exam_cosine_lr", "コサインアニーリングの学習率", _exam_cosine_inputs)
def exam_cosine_lr(t, lr, T_max, eta_min):
    """η_t = η_min + (η − η_min)(1 + cos(π t / T_max)) / 2 for 0 ≤ t ≤ T_max."""
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * t / T_max)) / 2


# --- chapters/lr_schedules -------------------------------------------------------------------


def _lr_schedules_warmup_inputs(rng):
    # One phase per trial, chosen at random: warm-up (t < W), cosine (W ≤ t ≤ T), after T (t > T).
    # start_factor < 1 and eta_min > 0, so that an off-by-one in the warm-up, a forgotten eta_min
    # and a cosine that is not stopped at T all change the value.
    warmup = int(rng.integers(1, 21))
    total = warmup + int(rng.integers(1, 101))
    phase = int(rng.integers(0, 3))
    if phase == 0:
        t = int(rng.integers(0, warmup))
    elif phase == 1:
        t = int(rng.integers(warmup, total + 1))
    else:
        t = int(rng.integers(total + 1, total + 51))
    lr = float(rng.uniform(0.01, 1.0))
    return {
        "t": t,
        "lr": lr,
        "warmup_steps": warmup,
        "total_steps": total,
        "start_factor": float(rng.uniform(0.05, 0.95)),
        "eta_min": float(lr * rng.uniform(0.01, 0.2)),
    }


@register("lr_schedules_warmup_cosine", "ウォームアップ付きコサインの学習率", _lr_schedules_warmup_inputs)
def lr_schedules_warmup_cosine(t, lr, warmup_steps, total_steps, start_factor, eta_min):
    """η_t (t counted from 0) of dlopt.schedules.warmup_cosine: linear warm-up from f·η to η over
    W steps, then cosine from η to η_min over T − W steps, then η_min."""
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    progress = min(t - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * progress)) / 2


# --- chapters/pytorch ------------------------------------------------------------------------


def _pytorch_param_groups_inputs(rng):
    # A random subset, in random order, of the kinds of parameters a network has. The 1-D
    # "norm.weight" (a name with "weight"), the 0-d "temperature", the 4-D conv weight and the
    # (1, n) head weight catch rules by name, by size, and ndim == 1 / == 2 / > 2.
    n, m = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    pool = {
        "fc.weight": (m, n),
        "fc.bias": (m,),
        "conv.weight": (m, int(rng.integers(1, 3)), 3, 3),
        "conv.bias": (m,),
        "norm.weight": (n,),
        "norm.bias": (n,),
        "embedding.weight": (int(rng.integers(3, 6)), n),
        "head.weight": (1, n),
        "temperature": (),
    }
    names = list(pool)
    chosen = rng.choice(len(names), size=int(rng.integers(4, len(names) + 1)), replace=False)
    return {
        "params": {names[i]: np.zeros(pool[names[i]]) for i in chosen},
        "weight_decay": float(rng.choice([0.01, 0.05, 0.1])),
    }


@register(
    "pytorch_param_groups", "パラメータグループ：重み減衰を掛けるパラメータ", _pytorch_param_groups_inputs
)
def pytorch_param_groups(params, weight_decay):
    """The weight decay of each parameter, in the dict's order: λ for ndim ≥ 2, 0 otherwise."""
    return np.array([weight_decay if p.ndim >= 2 else 0.0 for p in params.values()])


def _choosing_mean_std_inputs(rng):
    # results[i, s]: the validation loss of method i trained with seed s. The numbers of methods and
    # of seeds differ, so averaging over the wrong axis gives the wrong shape; 2..6 seeds make
    # ddof=0 differ from ddof=1 by a factor √((n − 1)/n) between 0.71 and 0.91.
    n_methods = int(rng.integers(2, 6))
    n_seeds = int(rng.choice([s for s in range(2, 7) if s != n_methods]))
    return {"results": rng.normal(0.15, 0.01, size=(n_methods, n_seeds))}


@register("choosing_mean_std", "シードをまとめる：平均と標本標準偏差（ddof=1）", _choosing_mean_std_inputs)
def choosing_mean_std(results):
    """Per method (row): the mean over seeds (columns) and the sample standard deviation (ddof=1)."""
    results = np.asarray(results, dtype=float)
    return results.mean(axis=1), results.std(axis=1, ddof=1)


def _choosing_best_lr_inputs(rng):
    # Learning rates from the ×3 ladder in random order, and validation losses drawn from a few
    # values so that the minimum is often shared (np.inf marks a diverged run; at least one is finite).
    ladder = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0]
    n = int(rng.integers(3, 8))
    lrs = [float(x) for x in rng.choice(ladder, size=n, replace=False)]
    losses = [float(x) for x in rng.choice([0.15, 0.15, 0.16, 0.2, np.inf], size=n)]
    if all(np.isinf(losses)):
        losses[int(rng.integers(n))] = 0.2
    return {"lrs": lrs, "val_losses": losses}


@register(
    "choosing_best_lr", "学習率の選択：検証損失が最小の η（同点なら小さい η）", _choosing_best_lr_inputs
)
def choosing_best_lr(lrs, val_losses):
    """The learning rate with the lowest validation loss; among ties, the smallest learning rate."""
    lrs = np.asarray(lrs, dtype=float)
    val_losses = np.asarray(val_losses, dtype=float)
    return float(lrs[val_losses == val_losses.min()].min())
