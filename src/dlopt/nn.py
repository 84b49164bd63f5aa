r"""A minimal multilayer perceptron in numpy with hand-written backpropagation.

Layers follow ゼロから作るDeep Learning: ``Affine`` (y = xW + b, W of shape (fan_in, fan_out)),
activations ``ReLU``, ``Sigmoid``, ``Tanh``, and ``SoftmaxCrossEntropy`` as the loss.
``MLP.params`` is a dict of the arrays that the optimizers update in place; ``MLP.gradient`` returns
a dict of the same keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import initializers

__all__ = ["Affine", "ReLU", "Sigmoid", "Tanh", "SoftmaxCrossEntropy", "MLP", "ACTIVATIONS"]


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
    """L = −(1/N) Σ_n log softmax(s_n)[t_n]; integer labels t."""

    def forward(self, scores: np.ndarray, t: np.ndarray) -> float:
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
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        init = self._initializer(_DEFAULT_INIT[activation] if weight_init is None else weight_init)
        gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        sizes = [input_size, *hidden_sizes, output_size]
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
            if weight_init not in initializers.INITIALIZERS:
                names = sorted(initializers.INITIALIZERS)
                raise ValueError(f"weight_init must be one of {names}, got {weight_init!r}")
            return initializers.INITIALIZERS[weight_init]
        if isinstance(weight_init, (int, float)):
            return lambda shape, rng=None: initializers.normal(shape, std=float(weight_init), rng=rng)
        raise TypeError(f"weight_init must be a name, a function or a std, got {weight_init!r}")

    def forward(self, x: np.ndarray, keep: list | None = None) -> np.ndarray:
        """Scores (logits) for ``x``; ``keep`` (a list) collects every activation's output."""
        for layer in self.layers:
            x = layer.forward(x)
            if keep is not None and not isinstance(layer, Affine):
                keep.append(x)
        return x

    predict = forward

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        return self.loss_layer.forward(self.forward(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        return float((self.forward(x).argmax(axis=1) == t).mean())

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Backpropagation: ∂L/∂θ for every parameter (the loss is kept in ``self.last_loss``)."""
        self.last_loss = self.loss(x, t)
        dy = self.loss_layer.backward()
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        grads = {}
        for i, affine in enumerate(self.affines, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = affine.dW, affine.db
        return grads
