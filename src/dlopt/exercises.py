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


def check(name: str, answer: Callable, seed: int = 0) -> Verdict:
    """Grade ``answer`` against problem ``name``; the ``Verdict`` shows the result in Japanese."""
    if name not in PROBLEMS:
        raise KeyError(f"unknown problem {name!r}; known problems: {sorted(PROBLEMS)}")
    problem = PROBLEMS[name]
    if "___" in getattr(getattr(answer, "__code__", None), "co_names", ()):
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
