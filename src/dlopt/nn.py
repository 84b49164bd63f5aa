r"""A minimal multilayer perceptron in numpy with hand-written backpropagation.

Layers follow ゼロから作るDeep Learning: ``Affine`` (y = xW + b, W of shape (fan_in, fan_out)),
activations ``ReLU``, ``Sigmoid``, ``Tanh``, and ``SoftmaxCrossEntropy`` as the loss.
``MLP.params`` is a dict of the arrays that the optimizers update in place; ``MLP.gradient`` returns
a dict of the same keys, and ``MLP.loss_and_gradient`` returns the mini-batch loss with it.
Labels ``t`` are 1-D integer arrays of class indices 0, …, C − 1 (C = the output size); anything else
(a column of shape (N, 1), −1, a float) is refused with a message about the labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Real

import numpy as np

from . import initializers, validation

__all__ = ["Affine", "ReLU", "Sigmoid", "Tanh", "SoftmaxCrossEntropy", "MLP", "ACTIVATIONS", "check_labels"]


def check_labels(t, n_classes: int, n: int | None = None, name: str = "t") -> np.ndarray:
    """``t`` as an array, checked: 1-D, integers in [0, ``n_classes``), ``n`` of them if given."""
    t = np.asarray(t)
    if t.ndim != 1 or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(
            f"ラベル {name} は 1 次元の整数の配列でなければなりません"
            f"（形 {t.shape}、dtype {t.dtype} が渡されました）"
        )
    if n is not None and len(t) != n:
        raise ValueError(f"ラベル {name} の数 {len(t)} が、入力の数 {n} と違います")
    if len(t) and (t.min() < 0 or t.max() >= n_classes):
        bad = t.min() if t.min() < 0 else t.max()
        raise ValueError(
            f"ラベル {name} は 0 以上 {n_classes} 未満の整数でなければなりません（{bad} が含まれています）"
        )
    return t


class Affine:
    """y = x W + b."""

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        self.W, self.b = W, b
        self.x: np.ndarray | None = None
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x @ self.W + self.b

    def backward(self, dy: np.ndarray) -> np.ndarray:
        self.dW = self.x.T @ dy
        self.db = dy.sum(axis=0)
        return dy @ self.W.T


class ReLU:
    """y = max(0, x)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x).astype(x.dtype, copy=False)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return np.where(self.mask, 0.0, dy).astype(dy.dtype, copy=False)


class Sigmoid:
    """y = 1 / (1 + e^{−x})."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.y = 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1 / (1 + e^{−x}), without overflow
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy * self.y * (1.0 - self.y)


class Tanh:
    """y = tanh(x)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.y = np.tanh(x)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy * (1.0 - self.y**2)


class SoftmaxCrossEntropy:
    """L = −(1/N) Σ_n log softmax(s_n)[t_n]; integer labels t in [0, C) for scores of shape (N, C)."""

    def forward(self, scores: np.ndarray, t: np.ndarray) -> float:
        t = check_labels(t, scores.shape[1], n=len(scores))
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_p = shifted - log_z
        self.p, self.t = np.exp(log_p), t
        return float(-log_p[np.arange(len(t)), t].mean())

    def backward(self) -> np.ndarray:
        ds = self.p.copy()
        ds[np.arange(len(self.t)), self.t] -= 1.0
        return ds / len(self.t)


ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}

_DEFAULT_INIT = {"relu": "he_normal", "sigmoid": "xavier_normal", "tanh": "xavier_normal"}


class MLP:
    """Affine → activation → … → Affine → softmax cross-entropy.

    ``weight_init`` is an initializer name (``dlopt.initializers.INITIALIZERS``), a function
    ``f(shape, rng=...)``, or a float (the std of a normal distribution, as ゼロから作る's
    ``weight_init_std``). The default is He for ReLU and Xavier for sigmoid/tanh. Biases start at 0.
    """

    def __init__(
        self,
        input_size: int,
        hidden_sizes: Sequence[int],
        output_size: int,
        activation: str = "relu",
        weight_init: str | float | Callable | None = None,
        rng=0,
        dtype=np.float64,
    ) -> None:
        validation.choice("activation", activation, tuple(ACTIVATIONS))
        init = self._initializer(_DEFAULT_INIT[activation] if weight_init is None else weight_init)
        gen = validation.generator(rng)
        self.input_size = validation.count("input_size", input_size, low=1)
        self.output_size = validation.count("output_size", output_size, low=1)
        hidden = [validation.count(f"hidden_sizes[{i}]", n, low=1) for i, n in enumerate(hidden_sizes)]
        sizes = [self.input_size, *hidden, self.output_size]
        self.params: dict[str, np.ndarray] = {}
        self.layers: list = []
        self.affines: list[Affine] = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            self.params[f"W{i}"] = np.asarray(init((fan_in, fan_out), rng=gen), dtype=dtype)
            self.params[f"b{i}"] = np.zeros(fan_out, dtype=dtype)
            affine = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            self.affines.append(affine)
            self.layers.append(affine)
            if i < len(sizes) - 1:
                self.layers.append(ACTIVATIONS[activation]())
        self.loss_layer = SoftmaxCrossEntropy()

    @staticmethod
    def _initializer(weight_init) -> Callable:
        if callable(weight_init):
            return weight_init
        if isinstance(weight_init, str):
            validation.choice("weight_init", weight_init, tuple(sorted(initializers.INITIALIZERS)))
            return initializers.INITIALIZERS[weight_init]
        if isinstance(weight_init, Real) and not isinstance(weight_init, bool):
            std = validation.number("weight_init", weight_init)
            return lambda shape, rng=None: initializers.normal(shape, std=std, rng=rng)
        raise TypeError(
            "weight_init は初期化の名前、関数 f(shape, rng=...)、標準偏差（数）のどれかです"
            f"（{type(weight_init).__name__} が渡されました）"
        )

    def forward(self, x: np.ndarray, keep: list | None = None) -> np.ndarray:
        """Scores (logits) for ``x``; ``keep`` (a list) collects every activation's output."""
        for layer in self.layers:
            x = layer.forward(x)
            if keep is not None and not isinstance(layer, Affine):
                keep.append(x)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        return self.loss_layer.forward(self.forward(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        scores = self.forward(x)
        t = check_labels(t, scores.shape[1], n=len(scores))
        return float((scores.argmax(axis=1) == t).mean())

    def loss_and_gradient(self, x: np.ndarray, t: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """The loss L and, by backpropagation, ∂L/∂θ for every parameter (a dict like ``params``)."""
        loss = self.loss(x, t)
        dy = self.loss_layer.backward()
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        grads = {}
        for i, affine in enumerate(self.affines, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = affine.dW, affine.db
        return loss, grads

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Backpropagation: ∂L/∂θ for every parameter (as ゼロから作る's ``TwoLayerNet.gradient``)."""
        return self.loss_and_gradient(x, t)[1]
