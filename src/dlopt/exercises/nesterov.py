"""穴埋め of chapters/nesterov: one step of Nesterov's momentum in the form of Bengio et al., and the
exam's class form (ゼロから作る's Nesterov as it is now, graded against dlopt.Nesterov)."""

from __future__ import annotations

from ..optimizers import Nesterov
from .class_form import class_inputs, dlopt_run, run_class
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


# --- the exam's class form: ゼロから作る's Nesterov as it is now (since commit 89eadd0, 2021-01-18) ---


def _class_inputs(rng):
    return class_inputs(rng, {"lr": uniform(rng, 0.01, 0.5), "momentum": uniform(rng, 0.5, 0.95)})


@register(
    "nesterov_class", "Nesterov クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class
)
def nesterov_class(settings, params, grads):
    """The exam's class as ゼロから作る writes it now (θ ← θ + α²v − (1 + α)ηg with the old v, then
    v ← αv − ηg; v starting at 0) with these settings equals dlopt.Nesterov(lr, momentum), i.e.
    torch's SGD(nesterov=True), step by step: at a constant η, v_t = −η b_t. The code before commit
    89eadd0 (v updated first) is another algorithm, and the grader rejects it."""
    return dlopt_run(Nesterov(lr=settings["lr"], momentum=settings["momentum"]), params, grads)
