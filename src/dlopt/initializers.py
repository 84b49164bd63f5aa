r"""Weight initializers (shapes as in ゼロから作るDeep Learning).

A dense weight has shape ``(fan_in, fan_out)``; a convolution weight ``(FN, C, FH, FW)`` has
``fan_in = C·FH·FW`` and ``fan_out = FN·FH·FW``. ``rng`` is a ``np.random.Generator``, an int seed
or None. Standard deviations (normal) and bounds (uniform):

    xavier_normal   σ = gain · √(2 / (fan_in + fan_out))     (Glorot & Bengio, 2010)
    xavier_uniform  a = gain · √(6 / (fan_in + fan_out))
    he_normal       σ = √(2 / fan_in)                        (He et al., 2015)
    he_uniform      a = √(6 / fan_in)
    lecun_normal    σ = √(1 / fan_in)   (ゼロから作る calls this "Xavierの初期値")
"""

from __future__ import annotations

import math

import numpy as np

from .validation import generator, number

__all__ = [
    "fans",
    "zeros",
    "normal",
    "xavier_normal",
    "xavier_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "INITIALIZERS",
]


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a dense ``(fan_in, fan_out)`` or conv ``(FN, C, FH, FW)`` weight."""
    shape = tuple(int(n) for n in shape)
    if len(shape) < 2:
        raise ValueError(f"fan_in と fan_out を決めるには shape が 2 次元以上必要です（shape={shape}）")
    if len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive_field = math.prod(shape[2:])
        fan_in, fan_out = shape[1] * receptive_field, shape[0] * receptive_field
    if fan_in <= 0 or fan_out <= 0:
        raise ValueError(
            f"fan_in と fan_out は正の数でなければなりません（shape={shape} では {fan_in} と {fan_out}）"
        )
    return fan_in, fan_out


def zeros(shape, rng=None) -> np.ndarray:
    """All zeros (the bias default; for weights it keeps the units of a layer identical)."""
    return np.zeros(shape)


def normal(shape, std: float = 0.01, rng=None) -> np.ndarray:
    """N(0, std²) with a fixed std, as in ゼロから作る's ``weight_init_std``."""
    return generator(rng).normal(0.0, number("std", std), size=shape)


def xavier_normal(shape, gain: float = 1.0, rng=None) -> np.ndarray:
    """Glorot normal: σ = gain · √(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(shape)
    std = number("gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return generator(rng).normal(0.0, std, size=shape)


def xavier_uniform(shape, gain: float = 1.0, rng=None) -> np.ndarray:
    """Glorot uniform: U(−a, a), a = gain · √(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(shape)
    bound = number("gain", gain) * math.sqrt(6.0 / (fan_in + fan_out))
    return generator(rng).uniform(-bound, bound, size=shape)


def he_normal(shape, rng=None) -> np.ndarray:
    """He (Kaiming) normal for ReLU: σ = √(2 / fan_in)."""
    fan_in, _ = fans(shape)
    return generator(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=shape)


def he_uniform(shape, rng=None) -> np.ndarray:
    """He (Kaiming) uniform for ReLU: U(−a, a), a = √(6 / fan_in)."""
    fan_in, _ = fans(shape)
    bound = math.sqrt(6.0 / fan_in)
    return generator(rng).uniform(-bound, bound, size=shape)


def lecun_normal(shape, rng=None) -> np.ndarray:
    """LeCun normal: σ = √(1 / fan_in) — ゼロから作る's "Xavierの初期値"."""
    fan_in, _ = fans(shape)
    return generator(rng).normal(0.0, math.sqrt(1.0 / fan_in), size=shape)


INITIALIZERS = {
    "zeros": zeros,
    "normal": normal,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "lecun_normal": lecun_normal,
}
"""Initializers by name, as accepted by ``dlopt.nn.MLP(weight_init=...)``."""
