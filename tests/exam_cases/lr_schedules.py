"""The keys of src/dlopt/exam/bank/lr_schedules.py, recomputed (tests/test_exam.py drives these)."""

import numpy as np

import dlopt
from dlopt import schedules


def adam_first_step():
    params = {"θ": np.zeros(1)}
    dlopt.Adam(lr=0.001, betas=(0.9, 0.999)).update(params, {"θ": np.array([0.02])})
    return abs(float(params["θ"][0]))


CALCULATIONS = {
    "lr_schedules-calc-1": lambda: schedules.cosine_annealing(0.1, T_max=100, eta_min=0.001)(25),
    "lr_schedules-calc-2": lambda: schedules.warmup_cosine(0.1, warmup_steps=10, total_steps=110)(5),
    # the 60th update uses η_59 (t counts the updates done before it)
    "lr_schedules-calc-3": lambda: schedules.step_decay(0.1, step_size=30, gamma=0.1)(59),
    "lr_schedules-calc-4": adam_first_step,
}


def check_schedule_functions(namespace):
    """The listing's functions equal dlopt.schedules (= torch's StepLR and, up to T_max,
    CosineAnnealingLR), well past T_max and over several decays."""
    cosine, step = namespace["cosine_annealing"], namespace["step_decay"]
    for lr, T_max, eta_min in ((0.1, 10, 0.001), (0.5, 7, 0.05), (1.0, 100, 0.0)):
        reference = schedules.cosine_annealing(lr, T_max=T_max, eta_min=eta_min)
        for t in range(3 * T_max + 1):
            got = cosine(t, lr, T_max, eta_min)
            assert abs(got - reference(t)) <= 1e-12 * lr, (lr, T_max, eta_min, t, got, reference(t))
    for lr, step_size, gamma in ((0.1, 30, 0.1), (0.5, 7, 0.5), (2.0, 1, 0.9)):
        reference = schedules.step_decay(lr, step_size=step_size, gamma=gamma)
        for t in range(5 * step_size + 3):
            got = step(t, lr, step_size, gamma)
            assert abs(got - reference(t)) <= 1e-12 * lr, (lr, step_size, gamma, t, got, reference(t))


def check_torch_scheduler(namespace):
    """Every update used the rate of dlopt.schedules.step_decay(0.1, 2, 0.5): since the gradient is
    always 1, w ends at −Σ η_t; the optimizer's rate is then η_6 (six scheduler steps done)."""
    reference = schedules.step_decay(0.1, step_size=2, gamma=0.5)
    w = float(namespace["w"].detach()[0])
    expected = -sum(reference(t) for t in range(6))
    assert abs(w - expected) < 1e-6, (w, expected)
    lr = namespace["optimizer"].param_groups[0]["lr"]
    assert abs(lr - reference(6)) < 1e-12, (lr, reference(6))


CODE_CHECKS = {
    "lr_schedules-functions": check_schedule_functions,
    "lr_schedules-torch": check_torch_scheduler,
}
