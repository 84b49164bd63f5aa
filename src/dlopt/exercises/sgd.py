"""穴埋め of chapters/sgd: one mini-batch SGD step of linear regression with the squared error, and
the exam's class form (ゼロから作る's SGD, graded against dlopt.SGD)."""

from __future__ import annotations

from ..optimizers import SGD
from .class_form import class_inputs, dlopt_run, run_class
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


# --- the exam's class form (E資格・『ゼロから作る』): class SGD with lr ---------------------------


def _class_inputs(rng):
    return class_inputs(rng, {"lr": uniform(rng, 0.01, 0.5)})


@register("sgd_class", "SGD クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class)
def sgd_class(settings, params, grads):
    """The exam's class (params[key] -= lr * grads[key] for every key) with this lr equals
    dlopt.SGD(lr) step by step."""
    return dlopt_run(SGD(lr=settings["lr"]), params, grads)
