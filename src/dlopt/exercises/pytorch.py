"""穴埋め of chapters/pytorch: which parameters get weight decay in the optimizer's parameter groups."""

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
