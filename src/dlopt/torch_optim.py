r"""dlopt meets PyTorch: AdamW written as a ``torch.optim.Optimizer``, and numpy ↔ torch helpers.

The only module of dlopt that imports torch (``import dlopt`` does not import it).

- ``AdamW``: the same algorithm as ``dlopt.AdamW``, as a torch optimizer (param groups, ``state``,
  ``state_dict``); it computes what ``torch.optim.AdamW`` computes, to the last bit.
- ``to_torch`` / ``to_numpy``: copy a dict of arrays to tensors and back.
- ``mlp_to_torch``: the torch twin of a ``dlopt.nn.MLP`` (same weights, same activations);
  ``mlp_params_from_torch`` reads the twin's parameters back under dlopt's names (W1, b1, ...).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch

from . import nn

__all__ = ["AdamW", "to_torch", "to_numpy", "mlp_to_torch", "mlp_params_from_torch"]


class AdamW(torch.optim.Optimizer):
    r"""AdamW (= ``torch.optim.AdamW``) written from scratch as a torch optimizer.

    θ ← θ − ηλθ                                   (decoupled weight decay, before the Adam step)
    m_t = β1 m_{t-1} + (1 − β1) g_t,   v_t = β2 v_{t-1} + (1 − β2) g_t ⊙ g_t
    (AMSGrad: v_t ← max(v_{t-1}^max, v_t))
    θ ← θ − η / (1 − β1^t) · m_t / (√v_t / √(1 − β2^t) + ε)     (= θ − η m̂_t / (√v̂_t + ε))

    Each line of ``step`` is the operation ``torch.optim.AdamW`` performs, in the same order, so the
    two agree to the last bit (m_t is computed as a lerp: m + (1 − β1)(g − m)).
    """

    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False
    ) -> None:
        # Japanese first, then torch.optim.AdamW's own message, word for word
        if not 0.0 <= lr:
            raise ValueError(f"lr は 0 以上です / Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"eps は 0 以上です / Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(
                    f"betas[{i}] は 0 以上 1 未満です / Invalid beta parameter at index {i}: {beta}"
                )
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay は 0 以上です / Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad
        )
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; ``closure`` re-evaluates the loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g, state = p.grad, self.state[p]
                if not state:  # first step: zero moments
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = float(state["step"])  # a number here; torch.optim.AdamW keeps a 0-d tensor
                m, v = state["exp_avg"], state["exp_avg_sq"]

                p.mul_(1.0 - lr * group["weight_decay"])  # θ ← θ − ηλθ
                m.lerp_(g, 1.0 - beta1)  # m ← m + (1 − β1)(g − m) = β1 m + (1 − β1) g
                v.mul_(beta2).addcmul_(g, g, value=1.0 - beta2)  # v ← β2 v + (1 − β2) g ⊙ g
                if group["amsgrad"]:
                    v = torch.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                bias_correction1 = 1.0 - beta1**t
                bias_correction2 = 1.0 - beta2**t
                denom = (v.sqrt() / bias_correction2**0.5).add_(eps)  # √v̂ + ε
                p.addcdiv_(m, denom, value=-lr / bias_correction1)  # θ ← θ − η m̂ / (√v̂ + ε)
        return loss


def to_torch(
    params: Mapping[str, np.ndarray], requires_grad: bool = False
) -> dict[str, torch.Tensor]:
    """Copy every array to a tensor of the same dtype and shape (no memory is shared)."""
    return {
        key: torch.tensor(np.asarray(value)).requires_grad_(requires_grad)
        for key, value in params.items()
    }


def to_numpy(tensors: Mapping[str, torch.Tensor]) -> dict[str, np.ndarray]:
    """Copy every tensor to a numpy array (detached from autograd, on the CPU)."""
    return {key: tensor.detach().cpu().numpy().copy() for key, tensor in tensors.items()}


_ACTIVATIONS = {nn.ReLU: torch.nn.ReLU, nn.Sigmoid: torch.nn.Sigmoid, nn.Tanh: torch.nn.Tanh}


def mlp_to_torch(model: nn.MLP) -> torch.nn.Sequential:
    """The torch twin of ``model``: Linear layers with the same weights, the same activations.

    dlopt computes y = x W + b with W of shape (fan_in, fan_out); ``torch.nn.Linear`` computes
    y = x Aᵀ + b with A of shape (fan_out, fan_in), so A = Wᵀ. The twin outputs the scores (logits):
    ``torch.nn.functional.cross_entropy`` on them is ``model.loss``.
    """
    layers = []
    for layer in model.layers:
        if isinstance(layer, nn.Affine):
            fan_in, fan_out = layer.W.shape
            linear = torch.nn.Linear(fan_in, fan_out, dtype=torch.from_numpy(layer.W).dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.W.T))
                linear.bias.copy_(torch.from_numpy(layer.b))
            layers.append(linear)
        else:
            layers.append(_ACTIVATIONS[type(layer)]())
    return torch.nn.Sequential(*layers)


def mlp_params_from_torch(net: torch.nn.Sequential) -> dict[str, np.ndarray]:
    """The twin's parameters as numpy arrays under dlopt's names: W_i = weight_iᵀ, b_i = bias_i."""
    linears = [layer for layer in net if isinstance(layer, torch.nn.Linear)]
    params = {}
    for i, linear in enumerate(linears, start=1):
        params[f"W{i}"] = linear.weight.detach().cpu().numpy().T.copy()
        params[f"b{i}"] = linear.bias.detach().cpu().numpy().copy()
    return params
