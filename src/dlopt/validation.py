"""Argument checks shared by every dlopt module, with messages in Japanese that name the argument.

Each helper returns the checked value in its canonical type (float, int, Generator) or raises
``ValueError`` / ``TypeError`` whose message starts in Japanese and names the English argument::

    >>> number("lr", -1.0)
    ValueError: lr は 0 以上の有限の数でなければなりません（lr=-1.0 が渡されました）
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # numpy < 2
    from numpy import byte_bounds

__all__ = ["number", "fraction", "count", "choice", "generator", "write_back"]


def number(name: str, value: Any, low: float = 0.0, strict: bool = False) -> float:
    """``value`` as a float, finite and ≥ ``low`` (> ``low`` if ``strict``)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} は有限の数でなければなりません（{name}={value!r} が渡されました）")
    if value < low or (strict and value == low):
        bound = f"{low:g} より大きい" if strict else f"{low:g} 以上の"
        raise ValueError(f"{name} は {bound}数でなければなりません（{name}={value!r} が渡されました）")
    return float(value)


def fraction(name: str, value: Any) -> float:
    """``value`` as a float in [0, 1): a decay rate such as β1, β2, α or ρ."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= value < 1.0:
        raise ValueError(
            f"{name} は 0 以上 1 未満の数でなければなりません（{name}={value!r} が渡されました）"
        )
    return float(value)


def count(name: str, value: Any, low: int = 0) -> int:
    """``value`` as an int ≥ ``low`` (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise ValueError(f"{name} は {low} 以上の整数でなければなりません（{name}={value!r} が渡されました）")
    return int(value)


def choice(name: str, value: Any, options: tuple) -> Any:
    """``value`` if it is one of ``options``."""
    if value not in options:
        listed = "、".join(repr(o) for o in options)
        raise ValueError(f"{name} は {listed} のどれかです（{name}={value!r} が渡されました）")
    return value


def generator(rng: Any, name: str = "rng") -> np.random.Generator:
    """A ``np.random.Generator`` from a Generator, an int seed or None."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"{name} は np.random.Generator、整数のシード、None のどれかです"
        f"（{type(rng).__name__} が渡されました）"
    )


def write_back(params: dict, key: str, value: Any) -> None:
    """Put ``value`` into ``params[key]``: in place for an array (models keep references to it);
    a plain Python float cannot change in place, so that entry is replaced."""
    if isinstance(params[key], np.ndarray):
        params[key][...] = value
    else:
        params[key] = float(value)


# ---------------------------------------------------------------------------------------------
# The optimizers' input: every key is checked before any parameter or state changes.


def _as_param(key: str, param: Any) -> np.ndarray:
    if isinstance(param, np.ndarray):
        if param.dtype.kind != "f":
            raise TypeError(
                f"パラメータ {key!r} は浮動小数点数の配列でなければなりません（dtype {param.dtype}）"
            )
        if not param.flags.writeable:
            raise ValueError(f"パラメータ {key!r} は読み取り専用の配列なので、その場で更新できません")
        return param
    if isinstance(param, Real) and not isinstance(param, bool):
        return np.array(float(param))  # a plain float: updated as a 0-d array, then replaced
    raise TypeError(f"パラメータ {key!r} は配列か float でなければなりません（{type(param).__name__}）")


def _as_grad(key: str, grad: Any, param: np.ndarray) -> np.ndarray:
    numeric = isinstance(grad, Real) and not isinstance(grad, bool)
    if isinstance(grad, np.ndarray):
        numeric = grad.dtype.kind in "fiu"
    if not numeric:
        kind = grad.dtype if isinstance(grad, np.ndarray) else type(grad).__name__
        raise TypeError(f"勾配 grads[{key!r}] は数の配列でなければなりません（{kind} が渡されました）")
    grad = np.asarray(grad, dtype=param.dtype)
    if grad.shape != param.shape:
        raise ValueError(
            f"勾配 grads[{key!r}] の形 {grad.shape} がパラメータの形 {param.shape} と違います"
        )
    return grad


def _check_state_fits(key: str, param: np.ndarray, state: dict) -> None:
    for name, value in state.items():
        if isinstance(value, np.ndarray) and (value.shape != param.shape or value.dtype != param.dtype):
            raise ValueError(
                f"パラメータ {key!r} の形・型 {param.shape} {param.dtype} が、状態 {name!r} を作った"
                f"ときの {value.shape} {value.dtype} と違います（途中で別の配列に入れ替えましたか）"
            )


def check_update(params: Any, grads: Any, state: dict) -> tuple[dict, dict]:
    """(arrays, grads) for ``Optimizer.update``, every key checked; raises naming the key.

    Checks: each parameter is a writeable float array (or a float), has a gradient of numbers with
    its shape, fits the state made at earlier steps, and shares no memory with another parameter
    (an array under two keys would be stepped twice).
    """
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError(
            "params と grads は名前から配列への dict です"
            f"（{type(params).__name__} と {type(grads).__name__} が渡されました）"
        )
    arrays, checked = {}, {}
    for key, param in params.items():
        if key not in grads:
            raise KeyError(f"grads にパラメータ {key!r} の勾配がありません")
        arrays[key] = _as_param(key, param)
        checked[key] = _as_grad(key, grads[key], arrays[key])
        if key in state:
            _check_state_fits(key, arrays[key], state[key])
    _check_no_shared_memory(arrays)
    return arrays, checked


def _check_no_shared_memory(arrays: dict[str, np.ndarray]) -> None:
    """No two parameters share memory. Arrays that own their memory, or are views of different
    owners, cannot overlap; within one owner (views of one buffer), sorted by their first byte,
    only arrays whose byte ranges overlap need the exact test (a[::2] and a[1::2] share nothing)."""
    by_owner: dict[int, list[str]] = {}
    for key, a in arrays.items():
        owner = a
        while isinstance(owner.base, np.ndarray):
            owner = owner.base
        if a.size:  # arrays over a foreign buffer (bytes, mmap) are grouped by that buffer
            by_owner.setdefault(id(owner if owner.base is None else owner.base), []).append(key)
    for keys in (keys for keys in by_owner.values() if len(keys) > 1):
        spans = sorted((*byte_bounds(arrays[key]), i) for i, key in enumerate(keys))
        for n, (_, end, i) in enumerate(spans):
            for start, _, j in spans[n + 1 :]:
                if start >= end:
                    break
                first, second = keys[min(i, j)], keys[max(i, j)]
                if np.shares_memory(arrays[first], arrays[second]):
                    raise ValueError(
                        f"パラメータ {first!r} と {second!r} がメモリを共有しています"
                        "（同じ配列か重なるビュー）。2 回更新されてしまうので受け付けません"
                    )


def copy_state(state: dict) -> dict:
    """A copy of an optimizer's state: new arrays, same numbers."""
    return {
        key: {name: np.copy(v) if isinstance(v, np.ndarray) else v for name, v in entry.items()}
        for key, entry in state.items()
    }


def check_state_dict(optimizer: Any, state_dict: Any) -> dict:
    """A checked copy of ``state_dict`` for ``optimizer``; raises naming the field, changes nothing.

    Checks the class, every hyperparameter (with the optimizer's own checks), and each key's state:
    a step count ≥ 1, exactly the fields the optimizer creates, arrays of one shape and float dtype.
    """
    cls = type(optimizer)
    if not isinstance(state_dict, dict) or set(state_dict) != {"class", "hyperparameters", "state"}:
        found = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
        raise ValueError(
            f"state_dict は 'class'・'hyperparameters'・'state' の 3 つを持つ dict です（{found}）"
        )
    if state_dict["class"] != cls.__name__:
        raise ValueError(
            f"state_dict は {state_dict['class']!r} のものです。{cls.__name__} には読み込めません"
        )
    hyper = state_dict["hyperparameters"]
    if not isinstance(hyper, dict) or set(hyper) != set(cls.hyperparameters):
        found = sorted(hyper) if isinstance(hyper, dict) else type(hyper).__name__
        raise ValueError(f"hyperparameters は {sorted(cls.hyperparameters)} のはずです（{found}）")
    fresh = cls(**hyper)  # each hyperparameter checked as at construction
    checked_hyper = {name: getattr(fresh, name) for name in cls.hyperparameters}
    if not isinstance(state_dict["state"], dict):
        raise ValueError(f"state は dict です（{type(state_dict['state']).__name__}）")
    checked_state = {}
    for key, entry in state_dict["state"].items():
        checked_state[key] = _checked_entry(fresh, key, entry)
    return {"hyperparameters": checked_hyper, "state": checked_state}


def _checked_entry(fresh: Any, key: str, entry: Any) -> dict:
    if not isinstance(entry, dict) or "step" not in entry:
        raise ValueError(f"state[{key!r}] は 'step' を持つ dict です")
    step = entry["step"]
    if isinstance(step, bool) or not isinstance(step, Integral) or step < 1:
        raise ValueError(f"state[{key!r}]['step'] は 1 以上の整数です（{step!r}）")
    arrays = [v for v in entry.values() if isinstance(v, np.ndarray)]
    like = arrays[0] if arrays else np.zeros(())
    if not np.issubdtype(like.dtype, np.floating):
        raise ValueError(f"state[{key!r}] の配列は浮動小数点数です（dtype {like.dtype}）")
    template = fresh._init_state(np.zeros(like.shape, like.dtype))
    if set(entry) != {"step", *template}:
        expected = sorted(["step", *template])
        raise ValueError(f"state[{key!r}] の項目は {expected} のはずです（{sorted(entry)}）")
    checked = {"step": int(step)}
    for name, expected in template.items():
        value = entry[name]
        if isinstance(expected, np.ndarray):
            if not isinstance(value, np.ndarray) or (value.shape, value.dtype) != (like.shape, like.dtype):
                raise ValueError(
                    f"state[{key!r}][{name!r}] は形 {like.shape}、dtype {like.dtype} の配列のはずです"
                )
            checked[name] = np.copy(value)
        else:
            checked[name] = number(f"state[{key!r}][{name!r}]", value, low=-math.inf)
    return checked
