"""The 穴埋め grader of chapters/lr_schedules.ipynb: the reference passes, typical mistakes fail."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlopt import schedules
from dlopt.exercises import PROBLEMS, check

NAME = "lr_schedules_warmup_cosine"


def answer_with(warm=lambda t, W: t / W, progress=None, floor=True, clamp=True):
    """The chapter's function with one part swapped for a (possibly wrong) variant."""

    def answer(t, lr, warmup_steps, total_steps, start_factor, eta_min):
        if t < warmup_steps:
            return lr * (start_factor + (1 - start_factor) * warm(t, warmup_steps))
        if progress is not None:
            p = progress(t, warmup_steps, total_steps)
        else:
            elapsed = t - warmup_steps
            if clamp:
                elapsed = min(elapsed, total_steps - warmup_steps)
            p = elapsed / (total_steps - warmup_steps)
        cosine = (1 + math.cos(math.pi * p)) / 2
        return eta_min + (lr - eta_min) * cosine if floor else lr * cosine

    return answer


def blank(t, lr, warmup_steps, total_steps, start_factor, eta_min):
    """The chapter's exercise cell, blanks included."""
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * ___)
    progress = min(t - warmup_steps, total_steps - warmup_steps) / ___
    return ___ + (lr - eta_min) * (1 + math.cos(math.pi * progress)) / 2


def test_reference_and_the_chapter_solution_pass():
    assert check(NAME, PROBLEMS[NAME].reference)
    verdict = check(NAME, answer_with())
    assert verdict, verdict.message
    assert "正解です" in verdict.message


def test_reference_agrees_with_dlopt_warmup_cosine():
    problem = PROBLEMS[NAME]
    rng = np.random.default_rng(7)
    for _ in range(300):
        inputs = problem.make_inputs(rng)
        schedule = schedules.warmup_cosine(
            inputs["lr"], inputs["warmup_steps"], inputs["total_steps"],
            inputs["start_factor"], inputs["eta_min"],
        )
        assert problem.reference(**inputs) == pytest.approx(schedule(inputs["t"]), rel=1e-12)


def test_inputs_cover_the_three_phases_in_the_graded_trials():
    """check() uses seed 0 and 20 trials: warm-up, cosine and after-T cases all occur."""
    problem = PROBLEMS[NAME]
    rng = np.random.default_rng(0)
    phases = set()
    for _ in range(problem.trials):
        inputs = problem.make_inputs(rng)
        t, W, T = inputs["t"], inputs["warmup_steps"], inputs["total_steps"]
        phases.add(0 if t < W else 1 if t <= T else 2)
    assert phases == {0, 1, 2}


@pytest.mark.parametrize(
    "answer",
    [
        answer_with(warm=lambda t, W: (t + 1) / W),  # off by one in the warm-up
        answer_with(warm=lambda t, W: t / (W - 1) if W > 1 else 1.0),  # reaches η one step early
        answer_with(floor=False),  # eta_min forgotten: lr (1 + cos) / 2
        answer_with(progress=lambda t, W, T: min(t, T) / T),  # warm-up not subtracted
        answer_with(progress=lambda t, W, T: min(t - W, T - W) / T),  # denominator T, not T − W
        answer_with(progress=lambda t, W, T: (min(t, T) - W + 1) / (T - W)),  # off by one
        answer_with(clamp=False),  # torch-like: climbs again after total_steps
    ],
    ids=["warmup+1", "warmup-W-1", "no-eta-min", "progress-t-over-T", "denominator-T", "progress+1",
         "no-clamp"],
)
def test_typical_mistakes_are_rejected(answer):
    verdict = check(NAME, answer)
    assert not verdict
    assert "不正解" in verdict.message


def test_eta_min_added_to_lr_times_cosine_is_rejected():
    def answer(t, lr, warmup_steps, total_steps, start_factor, eta_min):
        if t < warmup_steps:
            return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
        p = min(t - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
        return eta_min + lr * (1 + math.cos(math.pi * p)) / 2

    assert not check(NAME, answer)


def test_blank_is_reported_without_running():
    verdict = check(NAME, blank)
    assert not verdict
    assert "空欄" in verdict.message
