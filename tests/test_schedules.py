"""dlopt.schedules against torch.optim.lr_scheduler, value by value, and schedules inside ``fit``.

torch's schedulers update the learning rate recursively (η_t from η_{t-1}); ours use the closed
form, so the two differ by the round-off that the recursion accumulates. Measured on the cases
below (up to 300 steps), as relative differences: StepLR ≤ 8e-16, ExponentialLR ≤ 1.9e-15,
CosineAnnealingLR ≤ 1.4e-15, and 7.5e-15 inside SequentialLR (T_max = 284, eta_min = lr / 10).
RTOL = 3e-14 leaves a 4x margin. The recursive cosine drifts more in longer runs (measured:
2e-14 at T_max = 1000, 6.3e-14 at T_max = 3000): test_cosine_long_run has its own tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlopt
from dlopt import schedules

torch = pytest.importorskip("torch")
lr_scheduler = torch.optim.lr_scheduler

STEPS = 300
RTOL = 3e-14


def torch_lrs(lr, make_scheduler, steps=STEPS):
    """η_0, ..., η_{steps-1} from a torch scheduler: η_0 is the rate before any scheduler.step()."""
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=lr)
    scheduler = make_scheduler(optimizer)
    lrs = [scheduler.get_last_lr()[0]]
    for _ in range(steps - 1):
        optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    return lrs


def assert_close(ours, theirs, rtol=RTOL):
    ours, theirs = np.array(ours), np.array(theirs)
    assert ours.shape == theirs.shape
    worst = np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), np.finfo(float).tiny))
    assert worst <= rtol, f"largest relative difference {worst:.3g} > {rtol:g}"


@pytest.mark.parametrize(
    ("lr", "step_size", "gamma"), [(0.1, 30, 0.1), (0.1, 7, 0.5), (0.3, 1, 0.9), (1.0, 10, 2.0)]
)
def test_step_decay_equals_step_lr(lr, step_size, gamma):
    schedule = schedules.step_decay(lr, step_size, gamma)
    expected = torch_lrs(lr, lambda opt: lr_scheduler.StepLR(opt, step_size, gamma))
    assert_close([schedule(t) for t in range(STEPS)], expected)


@pytest.mark.parametrize(("lr", "gamma"), [(0.1, 0.97), (0.1, 0.999), (0.05, 1.01), (1.0, 0.5)])
def test_exponential_decay_equals_exponential_lr(lr, gamma):
    schedule = schedules.exponential_decay(lr, gamma)
    expected = torch_lrs(lr, lambda opt: lr_scheduler.ExponentialLR(opt, gamma))
    assert_close([schedule(t) for t in range(STEPS)], expected)


COSINE_CASES = [(0.1, 100, 0.0), (0.1, 100, 1e-3), (0.3, 7, 0.01), (0.05, 37, 1e-3), (0.1, 1, 0.0)]


@pytest.mark.parametrize(("lr", "T_max", "eta_min"), COSINE_CASES)
def test_cosine_annealing_equals_cosine_annealing_lr_up_to_t_max(lr, T_max, eta_min):
    schedule = schedules.cosine_annealing(lr, T_max, eta_min)
    steps = max(T_max + 1, 101)
    expected = torch_lrs(lr, lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min), steps)
    n = T_max + 1  # t = 0, ..., T_max
    assert_close([schedule(t) for t in range(n)], expected[:n])
    assert schedule(T_max) == expected[T_max] == eta_min  # cos(π) = −1 exactly on both sides


@pytest.mark.parametrize(("lr", "T_max", "eta_min"), COSINE_CASES)
def test_cosine_annealing_after_t_max_stays_at_eta_min_while_torch_climbs_back(lr, T_max, eta_min):
    """What the docstring says: ours keeps η_min; torch follows the cosine on, period 2 T_max."""
    schedule = schedules.cosine_annealing(lr, T_max, eta_min)
    steps = 3 * T_max + 1
    expected = torch_lrs(lr, lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min), steps)
    closed = [
        eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2 for t in range(steps)
    ]
    # near η_min = 0 a relative error is not meaningful: compare to lr (measured: at most
    # 6.3e-15 · lr over three periods).
    np.testing.assert_allclose(expected, closed, rtol=0, atol=3e-14 * lr)
    assert expected[2 * T_max] == pytest.approx(lr, rel=1e-13)
    assert all(schedule(t) == eta_min for t in range(T_max, steps))


def test_cosine_long_run():
    """torch's recursion drifts by up to 6.3e-14 over 3000 steps (measured); allow 2e-13."""
    lr, T_max, eta_min = 0.02, 3000, 2e-3
    schedule = schedules.cosine_annealing(lr, T_max, eta_min)
    make = lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min)  # noqa: E731
    expected = torch_lrs(lr, make, T_max + 1)
    assert_close([schedule(t) for t in range(T_max + 1)], expected, rtol=2e-13)


WARMUP_CASES = [
    (0.1, 10, 100, 1 / 3, 0.0),
    (0.1, 5, 200, 0.01, 1e-4),
    (0.1, 1, 50, 0.5, 0.0),
    (0.1, 30, 31, 1.0, 0.0),
    (0.02, 13, 297, 0.1, 2e-3),
]


@pytest.mark.parametrize(("lr", "warmup", "total", "start_factor", "eta_min"), WARMUP_CASES)
def test_warmup_cosine_equals_linear_lr_then_cosine_annealing_lr(
    lr, warmup, total, start_factor, eta_min
):
    schedule = schedules.warmup_cosine(lr, warmup, total, start_factor, eta_min)

    def make(opt):
        warm = lr_scheduler.LinearLR(opt, start_factor, 1.0, total_iters=warmup)
        cosine = lr_scheduler.CosineAnnealingLR(opt, total - warmup, eta_min)
        return lr_scheduler.SequentialLR(opt, [warm, cosine], milestones=[warmup])

    expected = torch_lrs(lr, make, max(total + 1, 101))
    n = total + 1  # t = 0, ..., total_steps; afterwards torch's cosine climbs again, ours stays
    assert_close([schedule(t) for t in range(n)], expected[:n])
    assert schedule(0) == pytest.approx(start_factor * lr, rel=1e-15)
    assert schedule(warmup) == pytest.approx(lr, rel=1e-15)  # η_min + (η − η_min) · 1
    assert schedule(total) == schedule(total + 1000) == eta_min


def test_default_start_factor_is_torch_linear_lr_default():
    assert schedules.warmup_cosine(0.3, 3, 10)(0) == pytest.approx(0.1, rel=1e-15)


def test_cosine_midpoint_and_monotone_decay():
    schedule = schedules.cosine_annealing(0.1, 50, 0.02)
    assert schedule(25) == pytest.approx(0.06, rel=1e-15)
    values = [schedule(t) for t in range(51)]
    assert all(a > b for a, b in zip(values[:-1], values[1:], strict=True))


def test_schedules_return_floats_and_have_a_readable_repr():
    schedule = schedules.step_decay(0.1, 30)
    assert type(schedule(0)) is float
    assert type(schedule(np.int64(40))) is float
    assert repr(schedule) == "step_decay(lr=0.1, step_size=30, gamma=0.1)"
    cosine = schedules.cosine_annealing(0.1, 100)
    assert repr(cosine) == "cosine_annealing(lr=0.1, T_max=100, eta_min=0.0)"


@pytest.mark.parametrize("t", [-1, 1.5, "3", None, True])
def test_schedule_rejects_a_bad_step(t):
    with pytest.raises(ValueError, match="^t は"):
        schedules.exponential_decay(0.1, 0.9)(t)


@pytest.mark.parametrize(
    ("factory", "kwargs", "culprit"),
    [
        (schedules.step_decay, {"lr": -0.1, "step_size": 10}, "lr"),
        (schedules.step_decay, {"lr": float("nan"), "step_size": 10}, "lr"),
        (schedules.step_decay, {"lr": 0.1, "step_size": 0}, "step_size"),
        (schedules.step_decay, {"lr": 0.1, "step_size": 2.5}, "step_size"),
        (schedules.step_decay, {"lr": 0.1, "step_size": 10, "gamma": 0.0}, "gamma"),
        (schedules.step_decay, {"lr": 0.1, "step_size": 10, "gamma": -0.5}, "gamma"),
        (schedules.exponential_decay, {"lr": -1.0, "gamma": 0.9}, "lr"),
        (schedules.exponential_decay, {"lr": 0.1, "gamma": 0.0}, "gamma"),
        (schedules.exponential_decay, {"lr": 0.1, "gamma": float("inf")}, "gamma"),
        (schedules.cosine_annealing, {"lr": -0.1, "T_max": 10}, "lr"),
        (schedules.cosine_annealing, {"lr": 0.1, "T_max": 0}, "T_max"),
        (schedules.cosine_annealing, {"lr": 0.1, "T_max": True}, "T_max"),
        (schedules.cosine_annealing, {"lr": 0.1, "T_max": 10, "eta_min": -1e-3}, "eta_min"),
        (schedules.cosine_annealing, {"lr": 0.1, "T_max": 10, "eta_min": 0.2}, "eta_min"),
        (schedules.warmup_cosine, {"lr": -0.1, "warmup_steps": 5, "total_steps": 10}, "lr"),
        (schedules.warmup_cosine, {"lr": 0.1, "warmup_steps": 0, "total_steps": 9}, "warmup_steps"),
        (schedules.warmup_cosine, {"lr": 0.1, "warmup_steps": 9, "total_steps": 9}, "warmup_steps"),
        (schedules.warmup_cosine, {"lr": 0.1, "warmup_steps": 9, "total_steps": 5}, "warmup_steps"),
        (schedules.warmup_cosine, {"lr": 0.1, "warmup_steps": 5, "total_steps": 0}, "total_steps"),
        (
            schedules.warmup_cosine,
            {"lr": 0.1, "warmup_steps": 5, "total_steps": 10, "start_factor": 0.0},
            "start_factor",
        ),
        (
            schedules.warmup_cosine,
            {"lr": 0.1, "warmup_steps": 5, "total_steps": 10, "start_factor": 1.5},
            "start_factor",
        ),
        (
            schedules.warmup_cosine,
            {"lr": 0.1, "warmup_steps": 5, "total_steps": 10, "eta_min": 0.5},
            "eta_min",
        ),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(factory, kwargs, culprit):
    with pytest.raises(ValueError, match=rf"^{culprit} "):
        factory(**kwargs)


def test_fit_records_the_schedule_in_history_lr():
    data = dlopt.data.load_digits(n_train=100)
    model = dlopt.nn.MLP(data.n_features, [16], data.n_classes, rng=0)
    optimizer = dlopt.Momentum(lr=0.5)
    schedule = schedules.warmup_cosine(0.05, warmup_steps=3, total_steps=10, eta_min=1e-3)
    history = dlopt.fit(model, optimizer, data, epochs=3, batch_size=32, schedule=schedule)
    iterations = 3 * math.ceil(100 / 32)
    assert history.lr == [schedule(t) for t in range(iterations)]  # 12 values, the last two η_min
    assert len(history.step_loss) == iterations
    assert optimizer.lr == schedule(iterations - 1)
