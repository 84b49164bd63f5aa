"""Oracle tests: every dlopt optimizer against torch.optim, step by step, in float64 and float32.

In the style of PyTorch's own OptimizerInfo table: each case is (dlopt class, torch factory, kwargs).
Every run uses three parameters of different shapes, gradients that depend on the parameters
(a quadratic plus a sine term), 60 steps, and a learning rate changed at step 30.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlopt

torch = pytest.importorskip("torch")

STEPS = 60
LR_CHANGE_AT = 30

# (dlopt class, torch class, kwargs shared by both; torch-only kwargs are added in torch_kwargs)
CASES = [
    (dlopt.SGD, "SGD", {"lr": 0.05}),
    (dlopt.SGD, "SGD", {"lr": 0.05, "weight_decay": 0.1}),
    (dlopt.Momentum, "SGD", {"lr": 0.02, "momentum": 0.9}),
    (dlopt.Momentum, "SGD", {"lr": 0.02, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05}),
    (dlopt.Nesterov, "SGD", {"lr": 0.02, "momentum": 0.9}),
    (dlopt.Nesterov, "SGD", {"lr": 0.02, "momentum": 0.99, "weight_decay": 0.01}),
    (dlopt.AdaGrad, "Adagrad", {"lr": 0.1}),
    (dlopt.AdaGrad, "Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.05}),
    (dlopt.AdaGrad, "Adagrad", {"lr": 0.3, "initial_accumulator_value": 0.1, "eps": 1e-6}),
    (dlopt.RMSProp, "RMSprop", {"lr": 0.01}),
    (dlopt.RMSProp, "RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.01}),
    (dlopt.RMSProp, "RMSprop", {"lr": 0.01, "centered": True}),
    (dlopt.RMSProp, "RMSprop", {"lr": 0.005, "momentum": 0.9}),
    (dlopt.RMSProp, "RMSprop", {"lr": 0.005, "momentum": 0.5, "centered": True, "alpha": 0.3}),
    (dlopt.AdaDelta, "Adadelta", {}),
    (dlopt.AdaDelta, "Adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.1}),
    (dlopt.Adam, "Adam", {"lr": 0.01}),
    (dlopt.Adam, "Adam", {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.05}),
    (dlopt.Adam, "Adam", {"lr": 0.01, "amsgrad": True}),
    (dlopt.Adam, "Adam", {"lr": 0.01, "betas": (0.0, 0.99), "amsgrad": True, "weight_decay": 0.1}),
    (dlopt.AdamW, "AdamW", {"lr": 0.01}),
    (dlopt.AdamW, "AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    (dlopt.AdamW, "AdamW", {"lr": 0.01, "weight_decay": 0.0}),
    (dlopt.NAdam, "NAdam", {"lr": 0.01}),
    (dlopt.NAdam, "NAdam", {"lr": 0.01, "momentum_decay": 0.1, "weight_decay": 0.05}),
    (dlopt.NAdam, "NAdam", {"lr": 0.01, "betas": (0.5, 0.9), "momentum_decay": 0.0}),
    (dlopt.RAdam, "RAdam", {"lr": 0.01}),  # rho_t > 5 from step 6 on: both branches are run
    (dlopt.RAdam, "RAdam", {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 0.05}),
    (dlopt.RAdam, "RAdam", {"lr": 0.01, "betas": (0.9, 0.9)}),  # rho_inf = 19: first steps skip
]

SHAPES = {"W": (4, 3), "b": (3,), "s": ()}


def _ids(case):
    cls, _, kwargs = case
    return cls.__name__ + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


def _torch_optimizer(torch_name, dlopt_cls, params, kwargs):
    kwargs = dict(kwargs)
    if dlopt_cls is dlopt.Momentum:
        kwargs.setdefault("momentum", 0.9)
    if dlopt_cls is dlopt.Nesterov:
        kwargs.setdefault("momentum", 0.9)
        kwargs["nesterov"] = True
    # defaults that differ between the classes are passed explicitly: dlopt's are torch's
    kwargs.setdefault("lr", dlopt_cls().lr if dlopt_cls is not dlopt.Nesterov else 1e-3)
    return getattr(torch.optim, torch_name)(params, **kwargs)


def _gradient(p: np.ndarray, step: int, phase: float) -> np.ndarray:
    """A gradient that depends on the parameter: ∇(½θ² + 0.3·cos θ) plus a step-dependent term."""
    return p - 0.3 * np.sin(p) + 0.5 * np.cos(step + phase + np.arange(p.size).reshape(p.shape))


def _run_both(case, dtype, steps=STEPS):
    cls, torch_name, kwargs = case
    rng = np.random.default_rng(0)
    start = {k: rng.normal(size=shape).astype(dtype) for k, shape in SHAPES.items()}
    ours = {k: v.copy() for k, v in start.items()}
    theirs = {k: torch.tensor(v.copy()) for k, v in start.items()}
    opt = cls(**kwargs)
    topt = _torch_optimizer(torch_name, cls, list(theirs.values()), kwargs)
    for step in range(steps):
        if step == LR_CHANGE_AT:
            opt.lr = opt.lr * 0.3
            for group in topt.param_groups:
                group["lr"] = group["lr"] * 0.3
        grads = {k: _gradient(ours[k], step, i).astype(dtype) for i, k in enumerate(SHAPES)}
        for i, t in enumerate(theirs.values()):
            t.grad = torch.tensor(_gradient(t.numpy(), step, i).astype(dtype))
        opt.update(ours, grads)
        topt.step()
        yield step, ours, {k: t.detach().numpy() for k, t in theirs.items()}


@pytest.fixture
def float64_scalars():
    """torch keeps scalar state (NAdam's mu_product) in the default dtype: make it float64 too."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_matches_torch_in_float64(case, float64_scalars):
    worst = 0.0
    for step, ours, theirs in _run_both(case, np.float64):
        for k in SHAPES:
            assert ours[k].dtype == np.float64
            err = np.max(np.abs(ours[k] - theirs[k]) / np.maximum(np.abs(theirs[k]), 1e-3))
            worst = max(worst, float(err))
            assert err <= 1e-10, f"{k} differs at step {step + 1}: relative error {err:.3e}"
    assert worst < 1e-10


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_matches_torch_in_float32(case):
    for step, ours, theirs in _run_both(case, np.float32):
        for k in SHAPES:
            assert ours[k].dtype == np.float32
            np.testing.assert_allclose(
                ours[k], theirs[k], rtol=2e-4, atol=2e-5, err_msg=f"{k} at step {step + 1}"
            )


def test_every_optimizer_class_is_covered():
    covered = {case[0] for case in CASES}
    for name in dlopt.optimizers.__all__:
        cls = getattr(dlopt, name)
        if cls is not dlopt.Optimizer:
            assert cls in covered, f"{name} has no oracle case"
