"""The keys of src/dlopt/exam/bank/initialization.py, recomputed (tests/test_exam.py drives these).

ゼロから作る's "Xavierの初期値" is ``np.sqrt(1.0 / all_size_list[idx - 1])`` and its "Heの初期値"
``np.sqrt(2.0 / all_size_list[idx - 1])`` in common/multi_layer_net.py (oreilly-japan/
deep-learning-from-scratch, commit 07b1161): dlopt's lecun_normal and he_normal.
"""

from __future__ import annotations

import math

import numpy as np

from dlopt import initializers


def _he_std():
    """He normal for a 512→256 layer: √(2/fan_in), and dlopt's sample agrees within 2 %."""
    fan_in, _ = initializers.fans((512, 256))
    std = math.sqrt(2.0 / fan_in)
    assert abs(initializers.he_normal((512, 256), rng=0).std() / std - 1) < 0.02
    return std


def _xavier_uniform_bound():
    """Glorot uniform for a 300→100 layer: a = √3 σ = √(6/(fan_in + fan_out)), checked on dlopt's sample."""
    fan_in, fan_out = initializers.fans((300, 100))
    bound = math.sqrt(3.0) * math.sqrt(2.0 / (fan_in + fan_out))
    sample = initializers.xavier_uniform((300, 100), rng=0)
    assert 0.99 * bound < np.abs(sample).max() <= bound
    assert abs(sample.var() / (bound**2 / 3) - 1) < 0.03
    return bound


def _ten_relu_layers():
    """Width 100, σ = 0.1, ReLU: each layer multiplies E[h²] by n σ²/2; the RMS after 10 layers."""
    per_layer = math.sqrt(100 * 0.1**2 / 2)
    # a run agrees: 10 ReLU layers of width 100 on N(0, 1) inputs
    rng = np.random.default_rng(0)
    h = rng.standard_normal((4000, 100))
    for _ in range(10):
        h = np.maximum(h @ initializers.normal((100, 100), std=0.1, rng=rng), 0.0)
    measured = np.sqrt(np.mean(h**2))
    assert abs(measured / per_layer**10 - 1) < 0.5
    return per_layer**10


CALCULATIONS = {
    "initialization-calc-he": _he_std,
    "initialization-calc-uniform": _xavier_uniform_bound,
    "initialization-calc-deep": _ten_relu_layers,
}

_SHAPES = ((784, 100), (100, 10), (32, 16, 3, 3), (16, 3, 5, 5))


def check_initialization_init(namespace):
    """The filled init_weight against dlopt's he_normal (ReLU) and xavier_normal (sigmoid, tanh)
    on dense and conv shapes with the same generator seed, and its fans against dlopt's."""
    for shape in _SHAPES:
        assert tuple(namespace["fans"](shape)) == initializers.fans(shape), shape
        for activation, reference in (
            ("relu", initializers.he_normal),
            ("sigmoid", initializers.xavier_normal),
            ("tanh", initializers.xavier_normal),
        ):
            got = namespace["init_weight"](shape, activation, np.random.default_rng(3))
            want = reference(shape, rng=np.random.default_rng(3))
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


CODE_CHECKS = {"initialization-init": check_initialization_init}
