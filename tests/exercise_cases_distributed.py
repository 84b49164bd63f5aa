"""The 穴埋め cases of chapters/distributed (see tests/exercise_cases.py for what a Case holds)."""

from __future__ import annotations

import torch
from exercise_cases import Case, generated  # noqa: F401

import dlopt


def goyal_by_fraction(t, base_lr, k, warmup_steps):
    """Written as the start factor f = 1/k of dlopt.schedules.warmup_cosine: kη (f + (1 − f) t/W)."""
    f = 1 / k
    return k * base_lr * (f + (1 - f) * min(t, warmup_steps) / warmup_steps)


def goyal_by_increment(t, base_lr, k, warmup_steps):
    """Goyal et al.'s wording: start from η and add a constant amount every iteration."""
    increment = (k * base_lr - base_lr) / warmup_steps
    return base_lr + increment * min(t, warmup_steps)


def warmup_with(slope=lambda k: k - 1, after=lambda k, lr: k * lr):
    """The chapter's answer with the slope factor or the value after the warm-up swapped."""

    def answer(t, base_lr, k, warmup_steps):
        if t < warmup_steps:
            return base_lr + base_lr * slope(k) * t / warmup_steps
        return after(k, base_lr)

    return answer


WARMUP_MISTAKES = {
    "slope k (overshoots to (k + 1)η)": warmup_with(slope=lambda k: k),
    "starts at 0": lambda t, base_lr, k, warmup_steps: (
        k * base_lr * t / warmup_steps if t < warmup_steps else k * base_lr),
    "after the warm-up η, not kη": warmup_with(after=lambda k, lr: lr),
    "(t + 1) / W (one step ahead)": lambda t, base_lr, k, warmup_steps: (
        base_lr * (1 + (k - 1) * (t + 1) / warmup_steps) if t < warmup_steps else k * base_lr),
    "t / (W − 1) (reaches kη one step early)": lambda t, base_lr, k, warmup_steps: (
        base_lr * (1 + (k - 1) * t / (warmup_steps - 1)) if t < warmup_steps else k * base_lr),
    "never stops": lambda t, base_lr, k, warmup_steps: base_lr * (1 + (k - 1) * t / warmup_steps),
    "no k at all (constant η)": lambda t, base_lr, k, warmup_steps: base_lr,
}


def torch_linear_lr(inputs):
    """torch.optim.lr_scheduler.LinearLR(start_factor=1/k, total_iters=W) at kη, after t steps."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=inputs["k"] * inputs["base_lr"])
    scheduler = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / inputs["k"],
                                                  total_iters=inputs["warmup_steps"])
    for _ in range(inputs["t"]):
        opt.step()
        scheduler.step()
    return opt.param_groups[0]["lr"]


def dlopt_warmup(inputs):
    """dlopt.schedules.warmup_cosine with f = 1/k and η_min = kη (a constant 'cosine' after W)."""
    k, lr, W = inputs["k"], inputs["base_lr"], inputs["warmup_steps"]
    schedule = dlopt.schedules.warmup_cosine(k * lr, W, W + 10**6, start_factor=1 / k, eta_min=k * lr)
    return schedule(inputs["t"])


def warmup_phases(trials):
    """check() uses seed 0 and 20 trials: t < W, t = W and t > W all occur."""
    phases = {(x["t"] > x["warmup_steps"]) - (x["t"] < x["warmup_steps"]) for x in trials}
    return phases == {-1, 0, 1}


CASES: dict[str, Case] = {
    "distributed_warmup_lr": Case(
        correct={"fraction 1/k": goyal_by_fraction, "constant increment": goyal_by_increment,
                 "dlopt.schedules": lambda t, base_lr, k, warmup_steps: dlopt_warmup(
                     {"t": t, "base_lr": base_lr, "k": k, "warmup_steps": warmup_steps})},
        mistakes=WARMUP_MISTAKES,
        examples=[({"t": 0, "base_lr": 0.1, "k": 32, "warmup_steps": 785}, 0.1),
                  ({"t": 785, "base_lr": 0.1, "k": 32, "warmup_steps": 785}, 3.2),
                  ({"t": 5, "base_lr": 0.05, "k": 32, "warmup_steps": 10}, 0.05 * 16.5)],
        twin=generated("distributed_warmup_lr", torch_linear_lr),
        twin_trials=100,
        graded_inputs=warmup_phases,
        every_input=lambda x: x["warmup_steps"] >= 2 and x["k"] >= 2 and 0 <= x["t"],
    ),
}
