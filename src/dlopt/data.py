"""Offline datasets: scikit-learn's bundled handwritten digits (8×8 pixels, 10 classes, 1,797 images).

``load_digits`` splits the data into train / validation / test with a fixed seed and standardizes every
split with the training set's mean and standard deviation (no information leaks from val/test).
``minibatches`` yields shuffled mini-batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from . import validation

__all__ = ["Dataset", "load_digits", "minibatches"]


@dataclass(frozen=True)
class Dataset:
    """Inputs ``x_*`` of shape (N, 64) and integer labels ``t_*`` of shape (N,)."""

    x_train: np.ndarray
    t_train: np.ndarray
    x_val: np.ndarray
    t_val: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    n_classes: int = 10

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    def __repr__(self) -> str:
        sizes = f"train={len(self.t_train)}, val={len(self.t_val)}, test={len(self.t_test)}"
        return f"Dataset({sizes}, features={self.n_features}, classes={self.n_classes})"


def load_digits(
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    seed: int = 0,
    n_train: int | None = None,
    dtype=np.float64,
) -> Dataset:
    """Split the digits into train/val/test (a random permutation with ``seed``) and standardize.

    ``n_train`` keeps only the first ``n_train`` training examples (small-data experiments).
    """
    from sklearn.datasets import load_digits as sklearn_digits

    for name, value in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if validation.number(name, value, strict=True) >= 1:
            raise ValueError(f"{name} は 1 未満の数でなければなりません（{name}={value!r} が渡されました）")
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            "val_fraction と test_fraction の和は 1 未満でなければなりません"
            f"（{val_fraction!r} + {test_fraction!r} が渡されました）"
        )
    x, t = sklearn_digits(return_X_y=True)
    order = validation.generator(seed, "seed").permutation(len(t))
    x, t = x[order].astype(dtype), t[order].astype(np.int64)
    n_test = round(len(t) * test_fraction)
    n_val = round(len(t) * val_fraction)
    x_test, t_test = x[:n_test], t[:n_test]
    x_val, t_val = x[n_test : n_test + n_val], t[n_test : n_test + n_val]
    x_train, t_train = x[n_test + n_val :], t[n_test + n_val :]
    if n_train is not None:
        if validation.count("n_train", n_train, low=1) > len(t_train):
            raise ValueError(
                f"n_train は訓練データの数 {len(t_train)} 以下でなければなりません"
                f"（n_train={n_train!r} が渡されました）"
            )
        x_train, t_train = x_train[:n_train], t_train[:n_train]
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std[std == 0] = 1.0  # constant pixels (always 0 at the border) stay 0 after centering
    standardize = lambda a: ((a - mean) / std).astype(dtype)  # noqa: E731
    return Dataset(standardize(x_train), t_train, standardize(x_val), t_val, standardize(x_test), t_test)


def minibatches(
    x: np.ndarray, t: np.ndarray, batch_size: int, rng=None, shuffle: bool = True
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(x_batch, t_batch)`` covering the data once (one epoch); the last batch may be smaller."""
    batch_size = validation.count("batch_size", batch_size, low=1)
    if len(x) != len(t):
        raise ValueError(f"x と t の長さが違います（{len(x)} と {len(t)}）")
    if shuffle:
        gen = validation.generator(rng)
        index = gen.permutation(len(x))
    else:
        index = np.arange(len(x))
    for start in range(0, len(x), batch_size):
        batch = index[start : start + batch_size]
        yield x[batch], t[batch]
