"""穴埋め of chapters/adamw: one step of AdamW (decoupled weight decay) in PyTorch's form, and the
exam's class form (ゼロから作る's Adam plus PyTorch's decay θ ← θ − ηλθ, graded against dlopt.AdamW)."""

from __future__ import annotations

from ..optimizers import AdamW
from .adam import ZERO_EPS, adam_step, zero_form
from .class_form import class_inputs, dlopt_run, run_class
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


# --- the exam's class form: ゼロから作る's Adam with weight_decay applied as torch.optim.AdamW does ---


def _class_inputs(rng):
    # η ≥ 0.01 and λ ≥ 0.05 (as above): decaying after the Adam step, or with lr_t, shows clearly
    settings = {
        "lr": uniform(rng, 0.01, 0.1),
        "beta1": uniform(rng, 0.5, 0.95),
        "beta2": uniform(rng, 0.9, 0.99),
        "weight_decay": uniform(rng, 0.05, 0.5),
    }
    return class_inputs(rng, settings)


@register("adamw_class", "AdamW クラス（E資格・『ゼロから作る』の形）", _class_inputs, adapter=run_class)
def adamw_class(settings, params, grads):
    """The exam's class (θ −= lr·weight_decay·θ first, with lr, not lr_t; then ゼロから作る's Adam step
    with the loss gradient only) equals dlopt.AdamW(lr, (β1, β2), weight_decay) step by step when ε at
    step t is 1e-7 / √(1 − β2^t) (see adam.zero_eps)."""
    beta2 = settings["beta2"]
    optimizer = AdamW(lr=settings["lr"], betas=(settings["beta1"], beta2), eps=ZERO_EPS,
                      weight_decay=settings["weight_decay"])
    return dlopt_run(optimizer, params, grads, before_step=zero_form(beta2))
