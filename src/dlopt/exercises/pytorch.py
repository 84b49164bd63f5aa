"""穴埋め of chapters/pytorch: which parameters get weight decay in the optimizer's parameter groups, and
gradient clipping by the total norm of all gradients (clip_grad_norm_)."""

from __future__ import annotations

import numpy as np

from .grader import register


def _param_groups_inputs(rng):
    # A random subset, in random order, of the kinds of parameters a network has. The 1-D
    # "norm.weight" (a name with "weight"), the 0-d "temperature", the 4-D conv weight and the
    # (1, n) head weight catch rules by name, by size, and ndim == 1 / == 2 / > 2.
    n, m = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    pool = {
        "fc.weight": (m, n),
        "fc.bias": (m,),
        "conv.weight": (m, int(rng.integers(1, 3)), 3, 3),
        "conv.bias": (m,),
        "norm.weight": (n,),
        "norm.bias": (n,),
        "embedding.weight": (int(rng.integers(3, 6)), n),
        "head.weight": (1, n),
        "temperature": (),
    }
    names = list(pool)
    chosen = rng.choice(len(names), size=int(rng.integers(4, len(names) + 1)), replace=False)
    return {
        "params": {names[i]: np.zeros(pool[names[i]]) for i in chosen},
        "weight_decay": float(rng.choice([0.01, 0.05, 0.1])),
    }


@register("pytorch_param_groups", "パラメータグループ：重み減衰を掛けるパラメータ", _param_groups_inputs)
def pytorch_param_groups(params, weight_decay):
    """The weight decay of each parameter, in the dict's order: λ for ndim ≥ 2, 0 otherwise."""
    return np.array([weight_decay if p.ndim >= 2 else 0.0 for p in params.values()])


def _clip_inputs(rng):
    # 1 to 4 gradient tensors of the shapes a network has (a matrix, a bias, a conv kernel, a scalar),
    # scaled so that the total norm falls below max_norm in about a third of the trials (nothing to
    # clip: catches a missing min(1, ·)) and above it otherwise (catches per-tensor clipping, a
    # missing square root, the wrong norm and the ε).
    shapes = [(int(rng.integers(2, 5)), int(rng.integers(2, 5))), (int(rng.integers(2, 5)),),
              (2, 1, 3, 3), ()]
    chosen = rng.choice(len(shapes), size=int(rng.integers(1, 5)), replace=False)
    max_norm = float(rng.choice([0.5, 1.0, 2.0, 5.0]))
    grads = [rng.normal(size=shapes[i]) for i in sorted(chosen)]
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    target = max_norm * (rng.uniform(0.2, 0.9) if rng.random() < 1 / 3 else rng.uniform(1.5, 20.0))
    return {"grads": [np.asarray(g * (target / total)) for g in grads], "max_norm": max_norm}


@register("pytorch_clip_grad_norm", "勾配クリッピング：全パラメータのノルムと縮める係数", _clip_inputs)
def pytorch_clip_grad_norm(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_: (the total norm it returns, the coefficient it multiplies by).

    ‖g‖ = √(Σ_k ‖g^(k)‖²) over all tensors jointly; every tensor is multiplied by the same
    min(1, c / (‖g‖ + 1e-6)), the ε of torch 2.13's torch/nn/utils/clip_grad.py.
    """
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    coef = min(1.0, max_norm / (total + 1e-6))
    return total, coef
