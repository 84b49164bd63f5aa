"""穴埋め of chapters/momentum: one step of momentum in PyTorch's form (the buffer b holds no η)."""

from __future__ import annotations

from .grader import register
from .inputs import small_shape, step_arrays, uniform, zeros_at_first_step


def _momentum_inputs(rng):
    shape = small_shape(rng)
    t = int(rng.integers(1, 4))  # about one case in three is the first step
    return {
        **step_arrays(rng, shape, b=zeros_at_first_step(t == 1)),
        "lr": uniform(rng, 0.01, 1.0),
        "momentum": uniform(rng, 0.5, 0.99),
        "dampening": uniform(rng, 0.1, 0.5),
        "t": t,
    }


@register("momentum_step", "モメンタムの 1 ステップ（PyTorch 形式）", _momentum_inputs)
def momentum_step(theta, b, grad, lr, momentum, dampening, t):
    """b_1 = g_1;  b_t = α b_{t-1} + (1 − d) g_t (t ≥ 2);  θ ← θ − η b_t.  Returns (θ, b)."""
    b = grad.copy() if t == 1 else momentum * b + (1.0 - dampening) * grad
    theta = theta - lr * b
    return theta, b
