"""The keys of src/dlopt/exam/bank/pytorch.py, recomputed (tests/test_exam.py drives these).

The calculations use dlopt (the accumulation of .grad written out); the code checks run the filled
listing with real torch and compare it with dlopt or with a straight torch run."""

import numpy as np

import dlopt
from dlopt import schedules

# --- calculation keys ----------------------------------------------------------------------------


def _distance_without_zero_grad():
    """SGD(lr=0.05) for 4 steps with dL/dθ = 3 and no zero_grad: .grad accumulates, so step j
    uses 3j (what torch does: backward adds to .grad)."""
    opt, params = dlopt.SGD(lr=0.05), {"θ": np.array(0.0)}
    accumulated = np.array(0.0)
    for _ in range(4):
        accumulated = accumulated + 3.0  # loss.backward() adds the gradient to .grad
        opt.update(params, {"θ": accumulated.copy()})
    return abs(float(params["θ"]))


def _adam_state_numel():
    """The numbers in Adam's per-parameter state (step aside) for Linear(100, 10): weight (10, 100)
    and bias (10,), as dlopt.Adam stores them (exp_avg, exp_avg_sq, as torch does)."""
    opt = dlopt.Adam()
    params = {"weight": np.zeros((10, 100)), "bias": np.zeros(10)}
    opt.update(params, {key: np.ones_like(val) for key, val in params.items()})
    return sum(
        np.size(value) for state in opt.state.values() for name, value in state.items() if name != "step"
    )


CALCULATIONS = {
    "pytorch-calc-zero-grad": _distance_without_zero_grad,
    # 75 scheduler steps of StepLR(step_size=30, gamma=0.1) from lr 0.1
    "pytorch-calc-scheduler": lambda: schedules.step_decay(0.1, step_size=30, gamma=0.1)(75),
    "pytorch-calc-state": _adam_state_numel,
}


# --- code keys -----------------------------------------------------------------------------------


def check_loop(namespace):
    """20 steps of the filled torch loop equal 20 steps of ゼロから作る's RMSprop(lr=0.01,
    decay_rate=0.99) (= dlopt.RMSProp(lr=0.01, alpha=0.99, eps=1e-7), ε outside the root) on the
    same mean squared error from the same start."""
    x = namespace["x"].detach().numpy()
    y = namespace["y"].detach().numpy()
    opt, params = dlopt.RMSProp(lr=0.01, alpha=0.99, eps=1e-7), {"w": np.zeros(3)}
    for _ in range(20):
        residual = x @ params["w"] - y
        opt.update(params, {"w": 2.0 * x.T @ residual / len(y)})
    assert not np.allclose(params["w"], 0.0)  # the reference did move
    np.testing.assert_allclose(namespace["w"].detach().numpy(), params["w"], rtol=1e-10, atol=1e-13)


def check_param_groups(namespace):
    """One AdamW step with a zero loss gradient leaves only the decoupled decay θ ← (1 − ηλ)θ:
    every weight (ndim ≥ 2) shrinks by 1 − 0.01 · 0.1, every bias (ndim 1) stays; lr is 0.01."""
    import torch

    model, optimizer = namespace["model"], namespace["optimizer"]
    grouped = [p for group in optimizer.param_groups for p in group["params"]]
    assert len(grouped) == len(list(model.parameters())) == 4
    assert all(group["lr"] == 0.01 for group in optimizer.param_groups)
    before = [p.detach().clone() for p in model.parameters()]
    optimizer.zero_grad()
    (0.0 * model(torch.ones(5, 4)).sum()).backward()  # every .grad is a zero tensor
    optimizer.step()
    for p, old in zip(model.parameters(), before, strict=True):
        factor = 1.0 - 0.01 * 0.1 if p.ndim >= 2 else 1.0
        torch.testing.assert_close(p.detach(), old * factor, rtol=1e-6, atol=1e-9)


def check_resume(namespace):
    """The resumed model equals a fresh make(seed=0) trained 10 steps straight, parameters and
    Adam's state (exp_avg, exp_avg_sq, step) alike."""
    import torch

    model, optimizer = namespace["make"](seed=0)
    namespace["train"](model, optimizer, 10)
    resumed, resumed_optimizer = namespace["model2"], namespace["optimizer2"]
    for a, b in zip(model.parameters(), resumed.parameters(), strict=True):
        torch.testing.assert_close(b, a, rtol=1e-12, atol=0.0)
    for a, b in zip(model.parameters(), resumed.parameters(), strict=True):
        ours, theirs = optimizer.state[a], resumed_optimizer.state[b]
        assert int(ours["step"]) == int(theirs["step"]) == 10
        torch.testing.assert_close(theirs["exp_avg_sq"], ours["exp_avg_sq"], rtol=1e-12, atol=0.0)


CODE_CHECKS = {
    "pytorch-loop": check_loop,
    "pytorch-groups": check_param_groups,
    "pytorch-resume": check_resume,
}
