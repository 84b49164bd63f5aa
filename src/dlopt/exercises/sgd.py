"""穴埋め of chapters/sgd: one mini-batch SGD step of linear regression with the squared error."""

from __future__ import annotations

from .grader import register
from .inputs import uniform


def _minibatch_inputs(rng):
    n, d = int(rng.integers(8, 30)), int(rng.integers(1, 5))
    batch_size = int(rng.integers(2, n // 2))
    return {
        "w": rng.normal(size=d),
        "X": rng.normal(size=(n, d)),
        "y": rng.normal(size=n),
        "idx": rng.choice(n, size=batch_size, replace=False),
        "lr": uniform(rng, 0.01, 0.5),
    }


@register("sgd_minibatch_step", "ミニバッチ SGD の 1 ステップ（線形回帰の 2 乗誤差）", _minibatch_inputs)
def sgd_minibatch_step(w, X, y, idx, lr):
    """L_B(w) = (1/2B) Σ_{i∈idx} (x_iᵀw − y_i)²;  g = X_Bᵀ(X_B w − y_B)/B;  returns w − η g."""
    X_batch, y_batch = X[idx], y[idx]
    grad = X_batch.T @ (X_batch @ w - y_batch) / len(idx)
    return w - lr * grad
