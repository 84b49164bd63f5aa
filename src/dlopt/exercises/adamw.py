"""穴埋め of chapters/adamw: one step of AdamW (decoupled weight decay) in PyTorch's form."""

from __future__ import annotations

from .adam import adam_step
from .grader import register
from .inputs import ADAM_STATE, betas, small_shape, step_arrays, step_count, uniform


def _adamw_inputs(rng):
    return {
        **step_arrays(rng, small_shape(rng), **ADAM_STATE),
        "t": step_count(rng),
        # η ≥ 0.01 and λ ≥ 0.05: decaying after the Adam step differs by η²λ·u ≥ 5e-6·u (detectable)
        "lr": uniform(rng, 0.01, 0.1),
        "betas": betas(rng),
        "eps": 1e-8,
        "weight_decay": uniform(rng, 0.05, 0.5),
    }


@register("adamw_step", "AdamW の 1 ステップ（PyTorch 形式）", _adamw_inputs)
def adamw_step(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """θ ← θ − ηλθ (decoupled, before the Adam step); then one Adam step with the loss gradient only.

    Returns (θ, m, v) with the uncorrected moments (they are the optimizer's state).
    """
    theta = theta - lr * weight_decay * theta
    return adam_step(theta, m, v, grad, t, lr, betas, eps)
