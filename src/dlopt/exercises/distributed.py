"""穴埋め of chapters/distributed: the gradual warm-up of the linear scaling rule (Goyal et al., 2017)."""

from __future__ import annotations

from .grader import register
from .inputs import uniform


def _goyal_warmup_inputs(rng):
    # Half of the trials in the warm-up (t < W), half after it (t ≥ W, t = W included sometimes),
    # so that a warm-up that ends one step late or early, a missing k and a start at 0 all show.
    k = int(rng.choice([2, 4, 8, 16, 32]))
    warmup = int(rng.integers(2, 41))
    phase = int(rng.integers(0, 3))
    if phase == 0:
        t = int(rng.integers(0, warmup))
    elif phase == 1:
        t = warmup
    else:
        t = int(rng.integers(warmup + 1, 3 * warmup + 2))
    return {"t": t, "base_lr": uniform(rng, 0.01, 0.2), "k": k, "warmup_steps": warmup}


@register("distributed_warmup_lr", "線形スケーリング則の段階的ウォームアップ", _goyal_warmup_inputs)
def distributed_warmup_lr(t, base_lr, k, warmup_steps):
    """η_t (t counted from 0) of the gradual warm-up of Goyal et al. (2017) for a batch k times the
    base one: from the base lr η at t = 0 linearly up to kη at t = W, then kη."""
    if t < warmup_steps:
        return base_lr * (1 + (k - 1) * t / warmup_steps)
    return k * base_lr
