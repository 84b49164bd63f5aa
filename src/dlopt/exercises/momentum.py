"""穴埋め of chapters/momentum: one step of momentum in PyTorch's form (the buffer b holds no η), and
the exam's class form (ゼロから作る's Momentum, graded against dlopt.Momentum)."""

from __future__ import annotations

from ..optimizers import Momentum
from .class_form import class_inputs, dlopt_run, run_class
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


# --- the exam's class form (E資格・『ゼロから作る』): class Momentum with lr, momentum and self.v ---


def _class_inputs(rng):
    return class_inputs(rng, {"lr": uniform(rng, 0.01, 0.5), "momentum": uniform(rng, 0.5, 0.95)})


@register(
    "momentum_class", "Momentum クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class
)
def momentum_class(settings, params, grads):
    """The exam's class (v ← αv − ηg; θ ← θ + v, v starting at 0) with these settings equals
    dlopt.Momentum(lr, momentum) step by step: at a constant η, v_t = −η b_t (torch's buffer)."""
    return dlopt_run(Momentum(lr=settings["lr"], momentum=settings["momentum"]), params, grads)
