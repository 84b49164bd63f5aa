r"""Learning-rate schedules: the learning rate η_t as a plain function of the step t = 0, 1, 2, ...

t counts the updates done so far (0-based, like ``last_epoch`` of ``torch.optim.lr_scheduler``), so
η_0 is the rate of the first update. A schedule is called before every update::

    schedule = cosine_annealing(lr=0.1, T_max=1000)
    for t in range(1000):
        optimizer.lr = schedule(t)      # dlopt.fit(..., schedule=schedule) does exactly this
        optimizer.update(params, grads)

Every schedule equals a ``torch.optim.lr_scheduler`` class (named in its docstring). torch updates
the rate recursively (η_t from η_{t-1}); here each η_t comes from its closed form. The two agree to
float64 round-off: below 1e-14 relative over a few hundred steps; torch's recursive cosine drifts
slowly, to about 2e-14 after 1,000 steps (tests/test_schedules.py measures it).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .validation import count, number

__all__ = ["Schedule", "step_decay", "exponential_decay", "cosine_annealing", "warmup_cosine"]


class Schedule:
    """A learning rate η_t = ``formula(t)`` for t = 0, 1, 2, ...; the repr shows the arguments."""

    def __init__(self, formula: Callable[[int], float], name: str, **arguments) -> None:
        self.formula, self.name, self.arguments = formula, name, arguments

    def __call__(self, t: int) -> float:
        return float(self.formula(count("t", t)))

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={value!r}" for name, value in self.arguments.items())
        return f"{self.name}({args})"


def step_decay(lr: float, step_size: int, gamma: float = 0.1) -> Schedule:
    r"""ステップ減衰（step decay） (= ``StepLR(step_size, gamma)``).

    η_t = η γ^{⌊t / s⌋}   (s = step_size): multiply by γ every s steps.
    """
    lr, gamma = number("lr", lr), number("gamma", gamma, strict=True)
    step_size = count("step_size", step_size, low=1)
    return Schedule(
        lambda t: lr * gamma ** (t // step_size),
        "step_decay", lr=lr, step_size=step_size, gamma=gamma,
    )


def exponential_decay(lr: float, gamma: float) -> Schedule:
    r"""指数減衰（exponential decay） (= ``ExponentialLR(gamma)``).

    η_t = η γ^t
    """
    lr, gamma = number("lr", lr), number("gamma", gamma, strict=True)
    return Schedule(lambda t: lr * gamma**t, "exponential_decay", lr=lr, gamma=gamma)


def cosine_annealing(lr: float, T_max: int, eta_min: float = 0.0) -> Schedule:
    r"""コサインアニーリング（cosine annealing） (= ``CosineAnnealingLR(T_max, eta_min)``).

    η_t = η_min + (η − η_min) (1 + cos(π t / T_max)) / 2   (0 ≤ t ≤ T_max)
    η_t = η_min                                            (t > T_max)

    After T_max steps the annealing is over and η_min is kept. torch's recursive form goes on
    along the cosine instead and climbs back to η at t = 2 T_max (a period of 2 T_max).
    """
    lr, eta_min = number("lr", lr), number("eta_min", eta_min)
    T_max = count("T_max", T_max, low=1)
    if eta_min > lr:
        raise ValueError(f"eta_min は lr 以下でなければなりません（eta_min={eta_min}、lr={lr}）")

    def formula(t: int) -> float:
        t = min(t, T_max)
        return eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * t / T_max)) / 2

    return Schedule(formula, "cosine_annealing", lr=lr, T_max=T_max, eta_min=eta_min)


def warmup_cosine(
    lr: float,
    warmup_steps: int,
    total_steps: int,
    start_factor: float = 1.0 / 3,
    eta_min: float = 0.0,
) -> Schedule:
    r"""線形ウォームアップ（linear warm-up）の後にコサインアニーリング.

    = ``SequentialLR([LinearLR(start_factor, 1.0, total_iters=W),
    CosineAnnealingLR(T − W, eta_min)], milestones=[W])`` with W = warmup_steps,
    T = total_steps and f = start_factor (default 1/3, the default of ``LinearLR``):

    η_t = η (f + (1 − f) t / W)                                    (0 ≤ t < W)
    η_t = η_min + (η − η_min) (1 + cos(π (t − W) / (T − W))) / 2   (W ≤ t ≤ T)
    η_t = η_min                                                    (t > T)
    """
    lr, eta_min = number("lr", lr), number("eta_min", eta_min)
    start_factor = number("start_factor", start_factor, strict=True)
    if start_factor > 1:
        raise ValueError(
            f"start_factor は 0 より大きく 1 以下です（start_factor={start_factor} が渡されました）"
        )
    warmup_steps = count("warmup_steps", warmup_steps, low=1)
    total_steps = count("total_steps", total_steps, low=1)
    if warmup_steps >= total_steps:
        raise ValueError(
            f"warmup_steps は total_steps より小さくなければなりません"
            f"（warmup_steps={warmup_steps}、total_steps={total_steps}）"
        )
    cosine = cosine_annealing(lr, total_steps - warmup_steps, eta_min)

    def formula(t: int) -> float:
        if t < warmup_steps:
            return lr * (start_factor + (1.0 - start_factor) * t / warmup_steps)
        return cosine(t - warmup_steps)

    return Schedule(
        formula, "warmup_cosine", lr=lr, warmup_steps=warmup_steps, total_steps=total_steps,
        start_factor=start_factor, eta_min=eta_min,
    )
