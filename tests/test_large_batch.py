"""dlopt.LARS and dlopt.LAMB beyond the registry (tests/optimizer_registry.py runs the shared contract):
long runs against pytorch_optimizer 4.1.0 (both its foreach and its per-parameter path) on shapes that
reach every branch of the trust ratio (a zero-initialized matrix: ‖θ‖ = 0; a matrix whose gradient is
always 0: ‖g‖ = 0, ‖u‖ = 0; a bias; a scalar; a 4-D kernel; a norm above LAMB's clamp at 10), the
paper's algorithms written out directly, resume bit for bit, and the error messages."""

from __future__ import annotations

import numpy as np
import pytest
from optimizer_registry import assert_same_state

import dlopt

STEPS, LR_CHANGE_AT = 60, 25

# "Z0" starts at zero (the ‖θ‖ = 0 branch at step 1); "G0" always gets a zero gradient (‖g‖ = 0);
# "big" has ‖θ‖ ≈ 30 > 10 (LAMB's clamp); "b" is a bias and "s" a scalar (LARS skips the ratio there).
SHAPES = {"W": (5, 4), "Z0": (3, 3), "b": (4,), "conv": (2, 3, 3, 3), "s": (), "G0": (3, 2), "big": (10, 10)}

LARS_RUNS = [
    {"lr": 0.5},
    {"lr": 1.0, "weight_decay": 0.05, "trust_coefficient": 0.02},
    {"lr": 0.1, "weight_decay": 0.01, "momentum": 0.5, "trust_coefficient": 0.5},
    {"lr": 0.05, "momentum": 0.0, "trust_coefficient": 1.0},
]
LAMB_RUNS = [
    {"lr": 0.01},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.01, "weight_decay": 0.1, "weight_decouple": False, "eps": 1e-4},
    {"lr": 0.02, "betas": (0.5, 0.9), "adam_debias": True},
    {"lr": 0.005, "betas": (0.0, 0.99), "weight_decay": 0.3, "weight_decouple": False, "adam_debias": True},
]
RUNS = [(dlopt.LARS, kw) for kw in LARS_RUNS] + [(dlopt.LAMB, kw) for kw in LAMB_RUNS]
RUN_IDS = [cls.__name__ + "".join(f"-{k}={v}" for k, v in kw.items()) for cls, kw in RUNS]


def start(dtype=np.float64, seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    params = {k: rng.normal(size=shape) for k, shape in SHAPES.items()}
    params["Z0"][...] = 0.0
    params["big"] *= 3.0
    return {k: np.asarray(v, dtype=dtype) for k, v in params.items()}


def grads_at(params: dict, step: int) -> dict:
    """∇(½θ² + 0.3 cos θ) plus a step-dependent wave; "G0" always gets 0."""
    out = {}
    for i, (k, p) in enumerate(params.items()):
        p = np.asarray(p)
        wave = np.cos(step + i + np.arange(p.size).reshape(p.shape))
        out[k] = (p - 0.3 * np.sin(p) + 0.5 * wave).astype(p.dtype)
    if "G0" in out:
        out["G0"] = np.zeros_like(out["G0"])
    return out


def reference_class(cls):
    pytest.importorskip("pytorch_optimizer")
    import pytorch_optimizer

    return {dlopt.LARS: pytorch_optimizer.LARS, dlopt.LAMB: pytorch_optimizer.Lamb}[cls]


def worst_relative_error(cls, kwargs, dtype, foreach=None, steps=STEPS) -> float:
    """Run dlopt and pytorch_optimizer side by side (η × 0.3 at step LR_CHANGE_AT); the worst
    |ours − theirs| / max(|theirs|, 1e-3) over every element of every step."""
    import torch

    ours = start(dtype)
    theirs = {k: torch.tensor(v.copy()) for k, v in ours.items()}
    opt = cls(**kwargs)
    topt = reference_class(cls)(list(theirs.values()), **kwargs, foreach=foreach)
    worst = 0.0
    for step in range(steps):
        if step == LR_CHANGE_AT:
            opt.lr *= 0.3
            for group in topt.param_groups:
                group["lr"] *= 0.3
        opt.update(ours, grads_at(ours, step))
        for t, g in zip(theirs.values(), grads_at({k: t.numpy() for k, t in theirs.items()}, step).values(),
                        strict=True):
            t.grad = torch.tensor(g)
        topt.step()
        for k, t in theirs.items():
            assert ours[k].dtype == dtype
            err = np.max(np.abs(ours[k] - t.numpy()) / np.maximum(np.abs(t.numpy()), 1e-3))
            worst = max(worst, float(err))
    return worst


@pytest.mark.parametrize("foreach", [None, False], ids=["foreach", "per-parameter"])
@pytest.mark.parametrize("cls, kwargs", RUNS, ids=RUN_IDS)
def test_matches_pytorch_optimizer_in_float64(cls, kwargs, foreach, float64_default):
    assert worst_relative_error(cls, kwargs, np.float64, foreach) <= 1e-10  # measured: at most 2.3e-13


@pytest.mark.parametrize("cls, kwargs", RUNS, ids=RUN_IDS)
def test_matches_pytorch_optimizer_in_float32(cls, kwargs, torch):
    # measured: at most 1.2e-4 (LARS, η = 1: 2^-23 / 1e-3, one float32 ulp of a number in [1, 2) seen
    # against the floor 1e-3 of the relative error); LAMB at most 7.7e-6
    assert worst_relative_error(cls, kwargs, np.float32) <= 5e-4


def test_the_runs_reach_every_branch_of_the_trust_ratio():
    """At step 1: ‖θ‖ = 0 gives r = 1 ("Z0" takes the plain step), ‖g‖ = 0 gives r = 1 for LARS
    without decay and ‖u‖ = 0 gives r = 1 for LAMB; "big" is above LAMB's clamp."""
    params, grads = start(), grads_at(start(), 0)
    lars, lamb = dlopt.LARS(), dlopt.LAMB()
    assert lars.trust_ratio(params["Z0"], grads["Z0"]) == 1.0
    assert lars.trust_ratio(params["G0"], grads["G0"]) == 1.0
    assert dlopt.LARS(weight_decay=0.1).trust_ratio(params["G0"], grads["G0"]) == pytest.approx(1e-3 / 0.1)
    assert lars.trust_ratio(params["W"], grads["W"]) < 1e-2
    assert lamb.trust_ratio(params["Z0"], grads["Z0"]) == 1.0
    assert lamb.trust_ratio(params["G0"], grads["G0"]) == 1.0
    assert np.linalg.norm(params["big"]) > 10
    u = np.ones((10, 10))
    assert lamb.trust_ratio(params["big"], u) == 10.0 / (10.0 + 1e-6)


def test_a_zero_initialized_matrix_takes_an_unscaled_first_step():
    """r = 1 at ‖θ‖ = 0: the first LARS step of a zero matrix is −η g, not −η c ‖θ‖ ĝ (which would be 0)."""
    params = {"W": np.zeros((3, 3))}
    g = np.arange(9.0).reshape(3, 3) - 4
    dlopt.LARS(lr=0.1).update(params, {"W": g})
    np.testing.assert_array_equal(params["W"], -0.1 * g)
    params = {"W": np.zeros((3, 3))}
    dlopt.LAMB(lr=0.1).update(params, {"W": g})  # u_1 = 0.1 g/(√0.001 |g| + ε), η_1 = η/(1 − β1)
    u = 0.1 * g / (np.sqrt(0.001 * g * g) + 1e-6)
    np.testing.assert_allclose(params["W"], -(0.1 / 0.1) * u, rtol=1e-12)


def test_lars_treats_biases_and_scalars_as_plain_momentum_sgd():
    """ndim ≤ 1: no trust ratio and no weight decay, exactly dlopt.Momentum without weight decay."""
    a = {"b": np.array([0.5, -1.0, 2.0]), "s": np.array(0.7)}
    b = {k: v.copy() for k, v in a.items()}
    lars, momentum = dlopt.LARS(lr=0.1, weight_decay=0.5, momentum=0.8), dlopt.Momentum(lr=0.1, momentum=0.8)
    for step in range(20):
        lars.update(a, grads_at(a, step))
        momentum.update(b, grads_at(b, step))
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_lars_equals_the_papers_algorithm_1_at_a_constant_learning_rate():
    """You et al. (2017), Algorithm 1: λ^l = ‖w‖/(‖g‖ + β‖w‖) (times the trust coefficient, eq. (6));
    v ← m v + γ λ^l (g + β w); w ← w − v. The buffer holds the learning rate there; here b = v / γ."""
    lr, mu, wd, c = 0.5, 0.9, 0.01, 0.02
    ours = {"W": start()["W"]}
    w, v = ours["W"].copy(), np.zeros_like(ours["W"])
    opt = dlopt.LARS(lr=lr, weight_decay=wd, momentum=mu, trust_coefficient=c)
    for step in range(50):
        g = grads_at({"W": w}, step)["W"]
        local_lr = c * np.linalg.norm(w) / (np.linalg.norm(g) + wd * np.linalg.norm(w))
        v = mu * v + lr * local_lr * (g + wd * w)
        w = w - v
        opt.update(ours, grads_at(ours, step))
    np.testing.assert_allclose(ours["W"], w, rtol=1e-12, atol=1e-14)


def test_lamb_equals_the_papers_algorithm_2_where_the_bias_correction_cancels():
    """You et al. (2020), Algorithm 2 with bias-corrected m̂, v̂ and ε = 0, λ = 0, φ(z) = z (‖θ‖ < 10):
    the scalar factors of the bias correction cancel in the trust ratio, so the paper's step equals
    dlopt.LAMB(eps=0, adam_debias=True) (no correction at all)."""
    lr, (b1, b2) = 0.01, (0.9, 0.999)
    ours = {"W": start()["W"]}
    x, m, v = ours["W"].copy(), np.zeros_like(ours["W"]), np.zeros_like(ours["W"])
    opt = dlopt.LAMB(lr=lr, eps=0.0, adam_debias=True)
    for t in range(1, 51):
        g = grads_at({"W": x}, t)["W"]
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        r = (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t))
        x = x - lr * np.linalg.norm(x) / np.linalg.norm(r) * r
        opt.update(ours, grads_at(ours, t))
    assert np.linalg.norm(x) < 10
    np.testing.assert_allclose(ours["W"], x, rtol=1e-10)


def test_lamb_decoupled_decay_shrinks_before_the_norm_is_taken():
    """weight_decouple=True: θ ← (1 − ηλ)θ first, then r = min(‖θ‖, 10)/(‖u‖ + ε) with the shrunk θ."""
    theta = np.arange(1.0, 7.0).reshape(2, 3)
    g = np.full((2, 3), 0.5)
    params = {"W": theta.copy()}
    dlopt.LAMB(lr=0.1, weight_decay=0.2).update(params, {"W": g})
    shrunk = theta * (1 - 0.2 * 0.1)
    u = 0.05 / (np.sqrt(0.001 * 0.25) + 1e-6) * np.ones((2, 3))
    r = min(np.linalg.norm(shrunk), 10.0) / (np.linalg.norm(u) + 1e-6)
    np.testing.assert_allclose(params["W"], shrunk - 0.1 / 0.1 * r * u, rtol=1e-13)


@pytest.mark.parametrize("cls, kwargs", RUNS, ids=RUN_IDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_resume_from_state_dict_is_bit_for_bit(cls, kwargs, dtype):
    straight = start(dtype)
    opt = cls(**kwargs)
    for step in range(40):
        opt.update(straight, grads_at(straight, step))
    resumed = start(dtype)
    first = cls(**kwargs)
    for step in range(17):
        first.update(resumed, grads_at(resumed, step))
    saved, saved_params = first.state_dict(), {k: v.copy() for k, v in resumed.items()}
    second = cls()
    second.load_state_dict(saved)
    for step in range(17, 40):
        second.update(saved_params, grads_at(saved_params, step))
    for k in straight:
        np.testing.assert_array_equal(straight[k], saved_params[k])
    assert_same_state(opt.state_dict(), second.state_dict())


@pytest.mark.parametrize("cls, kwargs, name", [
    (dlopt.LARS, {"lr": -0.1}, "lr"),
    (dlopt.LARS, {"trust_coefficient": -1e-3}, "trust_coefficient"),
    (dlopt.LARS, {"momentum": 1.0}, "momentum"),
    (dlopt.LARS, {"momentum": -0.1}, "momentum"),
    (dlopt.LARS, {"weight_decay": -1e-4}, "weight_decay"),
    (dlopt.LAMB, {"lr": -1e-3}, "lr"),
    (dlopt.LAMB, {"betas": (1.0, 0.999)}, "betas[0]"),
    (dlopt.LAMB, {"betas": (0.9, 1.5)}, "betas[1]"),
    (dlopt.LAMB, {"eps": -1e-6}, "eps"),
    (dlopt.LAMB, {"weight_decay": float("nan")}, "weight_decay"),
    (dlopt.LAMB, {"weight_decouple": "yes"}, "weight_decouple"),
    (dlopt.LAMB, {"adam_debias": 0}, "adam_debias"),
])
def test_bad_arguments_are_refused_in_japanese_naming_the_argument(cls, kwargs, name):
    with pytest.raises((ValueError, TypeError), match=r"[ぁ-んァ-ン]") as error:
        cls(**kwargs)
    assert name in str(error.value)
    opt = cls()
    (attribute, value), = kwargs.items()
    with pytest.raises((ValueError, TypeError)) as error:
        setattr(opt, attribute, value)  # refused on assignment too, and the old value is kept
    assert name.split("[")[0] in str(error.value)
    assert getattr(opt, attribute) == getattr(cls(), attribute)


def test_a_bad_gradient_changes_nothing():
    params = start()
    before = {k: v.copy() for k, v in params.items()}
    opt = dlopt.LAMB(weight_decay=0.1)
    opt.update(params, grads_at(params, 0))
    snapshot, after_one = opt.state_dict(), {k: v.copy() for k, v in params.items()}
    grads = grads_at(params, 1)
    grads["b"] = np.zeros(5)
    with pytest.raises(ValueError, match="'b'"):
        opt.update(params, grads)
    for k in params:
        np.testing.assert_array_equal(params[k], after_one[k])
        assert not np.array_equal(params[k], before[k]) or k == "G0"
    assert_same_state(snapshot, opt.state_dict())
