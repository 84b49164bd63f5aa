"""穴埋め of chapters/gradient_descent: the learning rates a quadratic's Hessian allows."""

from __future__ import annotations

import numpy as np

from .grader import register


def _hessian_inputs(rng):
    n = int(rng.integers(2, 5))
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))  # a random rotation: H is not diagonal
    a = np.exp(rng.uniform(np.log(0.05), np.log(10.0), size=n))  # curvatures (eigenvalues)
    return {"H": (q * a) @ q.T}


@register(
    "gradient_descent_learning_rates",
    "ヘッセ行列から学習率の上限・最適値・収束率を求める",
    _hessian_inputs,
    rtol=1e-7,
)
def gradient_descent_learning_rates(H):
    """For L = θᵀHθ/2: (2/a_max, 2/(a_max + a_min), (κ − 1)/(κ + 1)) with a = eigvalsh(H), κ = a_max/a_min."""
    a = np.linalg.eigvalsh(H)
    a_min, a_max = a[0], a[-1]
    kappa = a_max / a_min
    return 2.0 / a_max, 2.0 / (a_max + a_min), (kappa - 1.0) / (kappa + 1.0)
