"""穴埋め of chapters/nesterov: one step of Nesterov's momentum in the form of Bengio et al."""

from __future__ import annotations

from .grader import register
from .inputs import normal, small_shape, step_arrays, uniform


def _nesterov_inputs(rng):
    return {
        **step_arrays(rng, small_shape(rng), v=normal),
        "lr": uniform(rng, 0.01, 1.0),
        "momentum": uniform(rng, 0.5, 0.99),
    }


@register("nesterov_step", "ネステロフのモメンタムの 1 ステップ（Bengio らの形式）", _nesterov_inputs)
def nesterov_step(theta, v, grad, lr, momentum):
    """Θ ← Θ + α² v − (1 + α) η g (with the old v);  v ← α v − η g.  Returns (Θ, v)."""
    theta = theta + momentum**2 * v - (1.0 + momentum) * lr * grad
    v = momentum * v - lr * grad
    return theta, v
