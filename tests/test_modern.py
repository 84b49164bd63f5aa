"""dlopt.modern beyond the registry (tests/optimizer_registry.py runs the shared contract and the
free-run comparisons): Muon compared with torch.optim.Muon step by step (its Newton–Schulz iteration
rounds to bfloat16, so one flipped rounding sends a free run elsewhere), Muon's matrices-only rule,
Adafactor's factored state, Lion's sign step, Schedule-Free's two points (eval/train) against
schedulefree, and what ``import dlopt`` and the requirements must (not) contain."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from optimizer_registry import INFO, MATRICES, assert_same_state, gradients, run, start_params

import dlopt
from dlopt.checkpoint import load_checkpoint, save_checkpoint
from dlopt.modern import newton_schulz

ROOT = Path(__file__).resolve().parents[1]
BF16_EPS = 2.0**-7  # bfloat16 keeps 8 significant bits: the gap between 1 and the next number


def _relative(ours, theirs) -> float:
    return float(np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-3)))


# ---------------------------------------------------------------------------------------------
# Muon: step by step against torch.optim.Muon


def _muon_step_errors(torch, kwargs, dtype, shapes=MATRICES, steps=60):
    """Each step starts both from OUR parameters and momentum buffers; returns, per step and key,
    max|Δθ_ours − Δθ_torch| / max|Δθ_torch| in bfloat16 epsilons (2⁻⁷)."""
    params = start_params(dtype, shapes=shapes)
    opt = dlopt.Muon(**kwargs)
    theirs = {k: torch.tensor(v.copy()) for k, v in params.items()}
    topt = torch.optim.Muon(list(theirs.values()), **({"lr": opt.lr} | kwargs))
    errors = []
    for step in range(steps):
        if step == steps // 2:
            opt.lr = opt.lr * 0.3
            topt.param_groups[0]["lr"] *= 0.3
        grads = gradients(params, step)
        for k, t in theirs.items():
            t.data.copy_(torch.from_numpy(params[k].copy()))
            if k in opt.state:
                topt.state[t]["momentum_buffer"] = torch.from_numpy(opt.state[k]["momentum_buffer"].copy())
            t.grad = torch.from_numpy(grads[k].copy())
        before = {k: v.copy() for k, v in params.items()}
        opt.update(params, grads)
        topt.step()
        for k in params:
            assert params[k].dtype == dtype
            ours, reference = params[k] - before[k], theirs[k].numpy() - before[k]
            errors.append(np.max(np.abs(ours - reference)) / np.max(np.abs(reference)) / BF16_EPS)
    return np.array(errors)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kwargs", INFO[dlopt.Muon].variants, ids=str)
def test_muon_matches_torch_step_by_step(torch, float64_default, kwargs, dtype):
    """Every step within a few bfloat16 epsilons of torch's step, and most steps identical to the
    parameter dtype's round-off: the bfloat16 rounding is mirrored, not merely approximated (an
    iteration in float32 would be off by about one bfloat16 epsilon at every step)."""
    errors = _muon_step_errors(torch, kwargs, dtype)
    assert errors.max() <= 4.0, f"worst step {errors.max():.2f} bfloat16 epsilons"
    assert np.median(errors) < 1e-3, f"median step {np.median(errors):.3g} bfloat16 epsilons"


def test_muon_matches_torch_step_by_step_on_bigger_matrices(torch, float64_default):
    errors = _muon_step_errors(torch, {"lr": 0.02}, np.float64, {"W": (48, 24), "V": (16, 40)}, steps=20)
    assert errors.max() <= 4.0, f"worst step {errors.max():.2f} bfloat16 epsilons"


def test_newton_schulz_rounds_as_torch_does(torch):
    """dlopt's iteration against torch's own function on random matrices of every orientation and
    scale, float64 and float32 input: most bit for bit, all within a few bfloat16 epsilons."""
    from torch.optim._muon import _zeropower_via_newtonschulz

    rng = np.random.default_rng(0)
    exact, worst = 0, 0.0
    for trial in range(200):
        n, m = rng.integers(1, 25, size=2)
        M = rng.normal(size=(n, m)) * 10.0 ** rng.uniform(-4, 4)
        if trial % 2:
            M = M.astype(np.float32)
        ours = newton_schulz(M)
        theirs = _zeropower_via_newtonschulz(torch.tensor(M), (3.4445, -4.775, 2.0315), 5, 1e-7)
        theirs = theirs.float().numpy()
        exact += np.array_equal(ours, theirs)
        worst = max(worst, np.max(np.abs(ours - theirs)) / np.max(np.abs(theirs)) / BF16_EPS)
    assert exact >= 180, f"{exact} of 200 bit for bit"
    assert worst <= 4.0, f"worst {worst:.2f} bfloat16 epsilons"


def test_newton_schulz_works_in_bfloat16_whatever_the_dtype():
    import ml_dtypes

    M = np.random.default_rng(1).normal(size=(6, 4))
    for X in (newton_schulz(M), newton_schulz(M.astype(np.float32))):
        assert X.dtype == np.float32 and X.shape == (6, 4)
        assert np.array_equal(X.astype(ml_dtypes.bfloat16).astype(np.float32), X), "bfloat16 values"
    # float64 → float32 → bfloat16, as torch's .bfloat16(): 1 + 2⁻⁸ + 2⁻³⁰ ends on the tie 1 + 2⁻⁸
    # in float32, which rounds to even (1); rounded once from float64 it would be 1 + 2⁻⁷.
    assert dlopt.modern._bf16(np.array(1 + 2**-8 + 2**-30)) == 1.0


def test_newton_schulz_orthogonalizes():
    """The singular values of X end between 0.5 and 1.5, not at 1 (torch/optim/_muon.py: "S'_ii ~
    Uniform(0.5, 1.5)"), for singular values of M spread over two decades; the singular vectors are M's."""
    M = np.random.default_rng(2).normal(size=(32, 16)) @ np.diag(np.logspace(-1, 1, 16))
    X = newton_schulz(M).astype(np.float64)
    s = np.linalg.svd(X, compute_uv=False)
    assert np.all((s > 0.5) & (s < 1.5)), s
    U, _, Vt = np.linalg.svd(M, full_matrices=False)
    assert np.linalg.norm(X - U @ Vt) / np.linalg.norm(U @ Vt) < 0.4


def test_muon_momentum_is_torchs_lerp_not_its_docstring():
    """B ← μB + (1 − μ)g (torch/optim/_muon.py: buf.lerp_(grad, 1 − momentum)), where the docstring
    writes B ← μB + g: after one step the buffer is (1 − μ) g."""
    opt = dlopt.Muon(lr=0.0, momentum=0.9, nesterov=False)
    g = np.arange(6.0).reshape(2, 3)
    opt.update({"W": np.ones((2, 3))}, {"W": g})
    np.testing.assert_allclose(opt.state["W"]["momentum_buffer"], 0.1 * g, rtol=1e-15)


@pytest.mark.parametrize("bad", [np.zeros(3), np.array(0.5), 0.5, np.zeros((2, 3, 4))],
                         ids=["vector", "0-d", "float", "3-d"])
def test_muon_refuses_a_parameter_that_is_not_a_matrix_and_changes_nothing(bad):
    opt = dlopt.Muon(lr=0.1)
    params = {"W": np.ones((4, 3))}
    run(opt, params, range(2))
    before, state = params["W"].copy(), opt.state_dict()
    params["b"] = bad
    with pytest.raises(ValueError) as caught:
        opt.update(params, {"W": np.ones((4, 3)), "b": np.zeros(np.shape(bad))})
    message = str(caught.value)
    assert "'b'" in message and str(np.shape(bad)) in message and re.search("[ぁ-ん]", message)
    assert np.array_equal(params["W"], before)
    assert_same_state(opt.state_dict(), state)


def test_torch_muon_refuses_the_same_parameters(torch):
    with pytest.raises(ValueError, match="2D"):
        torch.optim.Muon([torch.zeros(3, requires_grad=True)])


@pytest.mark.parametrize("adjust, expected", [(None, np.sqrt(4 / 3)), ("original", np.sqrt(4 / 3)),
                                              ("match_rms_adamw", 0.2 * 2.0)])
def test_muon_adjusts_the_learning_rate_by_shape(adjust, expected):
    opt = dlopt.Muon(lr=0.5, adjust_lr_fn=adjust)
    assert opt._adjusted_lr((4, 3)) == pytest.approx(0.5 * expected, rel=1e-15)
    assert opt._adjusted_lr((3, 4)) == pytest.approx(0.5 * (1.0 if adjust != "match_rms_adamw" else 0.4))


# ---------------------------------------------------------------------------------------------
# Adafactor


def test_adafactor_factors_the_last_two_axes_and_keeps_vectors_and_scalars_whole():
    opt = dlopt.Adafactor()
    params = {"W": np.ones((4, 3)), "T": np.ones((2, 3, 5)), "b": np.ones(3), "s": np.array(1.0), "x": 1.0}
    run(opt, params, range(1))
    shapes = {k: {n: v.shape for n, v in s.items() if n != "step"} for k, s in opt.state.items()}
    assert shapes == {
        "W": {"row_var": (4, 1), "col_var": (1, 3)},
        "T": {"row_var": (2, 3, 1), "col_var": (2, 1, 5)},
        "b": {"variance": (3,)},
        "s": {"variance": ()},
        "x": {"variance": ()},
    }


def test_adafactor_state_of_a_big_matrix_is_a_row_and_a_column():
    opt, adam = dlopt.Adafactor(), dlopt.Adam()
    params = {"W": np.zeros((1000, 1000), np.float32)}
    grads = {"W": np.ones((1000, 1000), np.float32)}
    opt.update(params, grads)
    adam.update({"W": np.zeros((1000, 1000), np.float32)}, grads)

    def numbers(o):
        return sum(v.size for v in o.state["W"].values() if isinstance(v, np.ndarray))

    assert numbers(opt) == 2000 and numbers(adam) == 2_000_000


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adafactor_eps1_none_is_the_machine_epsilon_of_the_dtype(dtype):
    a, b = start_params(dtype), start_params(dtype)
    run(dlopt.Adafactor(lr=0.1), a, range(10))
    run(dlopt.Adafactor(lr=0.1, eps=(float(np.finfo(dtype).eps), 1e-3)), b, range(10))
    c = start_params(dtype)
    run(dlopt.Adafactor(lr=0.1, eps=(1.0, 1e-3)), c, range(10))  # ε1 = 1 clamps mean(R) and V̂
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert all(not np.array_equal(a[k], c[k]) for k in a), "ε1 is used"


def test_adafactor_matches_torch_on_larger_and_stacked_matrices(torch, float64_default):
    params = start_params(np.float64, shapes={"W": (20, 30), "T": (3, 5, 7), "v": (11,)})
    theirs = {k: torch.tensor(v.copy()) for k, v in params.items()}
    opt = dlopt.Adafactor(lr=0.05, weight_decay=0.01)
    topt = torch.optim.Adafactor(list(theirs.values()), lr=0.05, weight_decay=0.01)
    for step in range(40):
        for k, t in theirs.items():
            t.grad = torch.tensor(gradients({k2: t2.numpy() for k2, t2 in theirs.items()}, step)[k])
        opt.update(params, gradients(params, step))
        topt.step()
        for k in params:
            assert _relative(params[k], theirs[k].numpy()) <= 1e-10, (k, step)


def _edit_state(sd, key, **changes):
    sd["state"][key] = {n: v for n, v in sd["state"][key].items() if changes.get(n, 0) is not None}
    sd["state"][key].update({n: v for n, v in changes.items() if v is not None})
    return sd


@pytest.mark.parametrize("key, changes, words", [
    ("W", {"col_var": np.zeros((2, 3))}, ["'W'", "col_var"]),
    ("W", {"col_var": None}, ["'W'", "row_var", "variance"]),
    ("W", {"col_var": np.zeros((1, 3), np.float32)}, ["'W'", "dtype"]),
    ("W", {"col_var": [0.0, 0.0, 0.0]}, ["'W'", "col_var"]),
    ("W", {"variance": np.zeros((4, 3))}, ["'W'", "variance"]),
    ("W", {"row_var": np.zeros(4)}, ["'W'"]),
    ("b", {"variance": np.zeros((3,), int)}, ["'b'", "variance"]),
    ("b", {"step": 0}, ["'b'", "step"]),
])
def test_adafactor_load_state_dict_checks_the_factored_state_and_changes_nothing(key, changes, words):
    saved = dlopt.Adafactor(lr=0.05)
    run(saved, start_params(), range(3))
    sd = _edit_state(saved.state_dict(), key, **changes)
    opt = dlopt.Adafactor(lr=0.5)
    run(opt, start_params(seed=1), range(2))
    before = opt.state_dict()
    with pytest.raises(ValueError) as caught:
        opt.load_state_dict(sd)
    for word in words:
        assert word in str(caught.value), str(caught.value)
    assert_same_state(opt.state_dict(), before)


def test_adafactor_checkpoint_round_trip(tmp_path):
    opt, params = dlopt.Adafactor(lr=0.05), start_params(np.float32)
    run(opt, params, range(4))
    save_checkpoint(tmp_path / "a.npz", params, opt)
    twin, resumed = dlopt.Adafactor(), start_params(np.float32, seed=5)
    load_checkpoint(tmp_path / "a.npz", resumed, twin)
    run(opt, params, range(4, 8))
    run(twin, resumed, range(4, 8))
    assert all(np.array_equal(params[k], resumed[k]) for k in params)
    assert_same_state(opt.state_dict(), twin.state_dict())


# ---------------------------------------------------------------------------------------------
# Lion


def test_lion_moves_every_element_by_exactly_the_learning_rate():
    params = {"W": np.random.default_rng(0).normal(size=(5, 4))}
    opt = dlopt.Lion(lr=2.0**-10)
    for step in range(5):
        before = params["W"].copy()
        opt.update(params, gradients(params, step))
        np.testing.assert_allclose(np.abs(params["W"] - before), 2.0**-10, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# Schedule-Free AdamW: the two points


def _schedule_free_pair(torch, dtype, kwargs):
    import schedulefree

    params = start_params(dtype)
    theirs = {k: torch.tensor(v.copy()) for k, v in params.items()}
    topt = schedulefree.AdamWScheduleFree(list(theirs.values()), **kwargs)
    return dlopt.ScheduleFreeAdamW(**kwargs), params, topt, theirs


def _steps(opt, params, topt, theirs, steps):
    torch = pytest.importorskip("torch")
    for step in steps:
        for k, t in theirs.items():
            t.grad = torch.tensor(gradients({k2: t2.numpy() for k2, t2 in theirs.items()}, step)[k])
        opt.update(params, gradients(params, step))
        topt.step()


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("kwargs", INFO[dlopt.ScheduleFreeAdamW].variants, ids=str)
def test_schedule_free_eval_and_train_match_the_reference(torch, float64_default, kwargs, dtype, tolerance):
    pytest.importorskip("schedulefree")
    opt, params, topt, theirs = _schedule_free_pair(torch, dtype, kwargs)
    topt.train()
    for round_ in range(3):
        _steps(opt, params, topt, theirs, range(20 * round_, 20 * round_ + 20))
        for point in ("eval", "train"):
            getattr(opt, point)(params)
            getattr(topt, point)()
            for k in params:
                assert params[k].dtype == dtype
                err = _relative(params[k], theirs[k].numpy())
                assert err <= tolerance, f"{k} after {point}() in round {round_}: {err:.3e}"


def test_schedule_free_x_is_the_running_mean_of_the_z_iterates():
    """With no warm-up and r = 0 every weight is η², c_t = 1/t: x is the plain average of z_1 … z_t,
    Polyak–Ruppert averaging of the base sequence."""
    opt, params = dlopt.ScheduleFreeAdamW(lr=0.05), start_params()
    zs = []
    for step in range(12):
        opt.update(params, gradients(params, step))
        zs.append({k: s["z"].copy() for k, s in opt.state.items()})
    opt.eval(params)
    for k in params:
        np.testing.assert_allclose(params[k], np.mean([z[k] for z in zs], axis=0), rtol=1e-12, atol=1e-14)


def test_schedule_free_train_and_eval_before_the_first_update_do_nothing():
    opt, params = dlopt.ScheduleFreeAdamW(), start_params()
    start = {k: v.copy() for k, v in params.items()}
    opt.train(params)
    opt.eval(params)
    assert all(np.array_equal(params[k], start[k]) for k in params) and opt.state == {}
    opt.train(params)
    run(opt, params, range(1))  # and training can start
    assert all(s["train_mode"] for s in opt.state.values())


def test_schedule_free_eval_twice_is_eval_once_and_train_goes_back():
    opt, params = dlopt.ScheduleFreeAdamW(lr=0.01), start_params()
    run(opt, params, range(10))
    y = {k: v.copy() for k, v in params.items()}
    opt.eval(params)
    x = {k: v.copy() for k, v in params.items()}
    opt.eval(params)
    assert all(np.array_equal(params[k], x[k]) for k in params)
    assert all(not np.array_equal(x[k], y[k]) for k in params)
    assert all(s["train_mode"] is False for s in opt.state.values())
    opt.train(params)
    opt.train(params)
    for k in params:
        np.testing.assert_allclose(params[k], y[k], rtol=1e-12, atol=1e-14)


def test_schedule_free_update_at_x_is_refused_and_changes_nothing():
    opt, params = dlopt.ScheduleFreeAdamW(lr=0.01), start_params()
    run(opt, params, range(3))
    opt.eval(params)
    before, state = {k: v.copy() for k, v in params.items()}, opt.state_dict()
    with pytest.raises(ValueError, match=r"'W'.*train"):
        opt.update(params, gradients(params, 3))
    assert all(np.array_equal(params[k], before[k]) for k in params)
    assert_same_state(opt.state_dict(), state)


def test_schedule_free_eval_checks_every_key_before_moving_any():
    opt, params = dlopt.ScheduleFreeAdamW(lr=0.01), start_params()
    run(opt, params, range(3))
    before, state = {k: v.copy() for k, v in params.items()}, opt.state_dict()
    params["b"] = np.zeros(5)
    with pytest.raises(ValueError, match="'b'"):
        opt.eval(params)
    assert np.array_equal(params["W"], before["W"])
    assert_same_state(opt.state_dict(), state)
    with pytest.raises(TypeError, match="params"):
        opt.eval([params["W"]])


def test_schedule_free_python_floats_switch_points_too():
    opt, params = dlopt.ScheduleFreeAdamW(lr=0.1), {"x": 1.5, "a": np.array(1.5)}
    for step in range(5):
        opt.update(params, {"x": 2 * params["x"] + np.cos(step), "a": 2 * params["a"] + np.cos(step)})
    opt.eval(params)
    assert type(params["x"]) is float and params["x"] == float(params["a"])
    opt.train(params)
    assert type(params["x"]) is float and params["x"] == float(params["a"])


def test_schedule_free_with_zero_lr_keeps_z_and_moves_y_toward_it():
    opt, params = dlopt.ScheduleFreeAdamW(lr=0.05), start_params()
    run(opt, params, range(5))
    z = {k: s["z"].copy() for k, s in opt.state.items()}
    y = {k: v.copy() for k, v in params.items()}
    opt.lr = 0.0
    run(opt, params, range(5, 6))
    for k in params:
        assert np.array_equal(opt.state[k]["z"], z[k])
        assert np.all(np.abs(params[k] - z[k]) <= np.abs(y[k] - z[k]))
        assert not np.array_equal(params[k], y[k])


def test_schedule_free_resume_at_the_evaluation_point_is_bit_for_bit(tmp_path):
    """Save while the arrays hold x (as the reference's README asks), load into a new optimizer,
    train(), continue: the same bits as a run that never stopped; state_dict and checkpoint both."""
    straight, params = dlopt.ScheduleFreeAdamW(lr=0.02, warmup_steps=5), start_params()
    run(straight, params, range(10))
    straight.eval(params)
    straight.train(params)
    run(straight, params, range(10, 20))

    for via_file in (False, True):
        first, resumed = dlopt.ScheduleFreeAdamW(lr=0.02, warmup_steps=5), start_params()
        run(first, resumed, range(10))
        first.eval(resumed)
        second = dlopt.ScheduleFreeAdamW()
        if via_file:
            save_checkpoint(tmp_path / "sf.npz", resumed, first)
            resumed = start_params(seed=4)
            load_checkpoint(tmp_path / "sf.npz", resumed, second)
        else:
            second.load_state_dict(first.state_dict())
        assert all(s["train_mode"] is False for s in second.state.values())
        second.train(resumed)
        run(second, resumed, range(10, 20))
        assert all(np.array_equal(params[k], resumed[k]) for k in params), via_file
        assert_same_state(straight.state_dict(), second.state_dict())


@pytest.mark.parametrize("mode", ["yes", 1.0, None])
def test_schedule_free_state_train_mode_must_be_a_bool(mode):
    saved = dlopt.ScheduleFreeAdamW()
    run(saved, start_params(), range(2))
    sd = saved.state_dict()
    sd["state"]["b"]["train_mode"] = mode
    opt = dlopt.ScheduleFreeAdamW()
    with pytest.raises(ValueError, match=r"'b'.*train_mode"):
        opt.load_state_dict(sd)
    assert opt.state == {}
    del sd["state"]["b"]["train_mode"]
    with pytest.raises(ValueError, match="train_mode"):
        opt.load_state_dict(sd)


# ---------------------------------------------------------------------------------------------
# imports and requirements


def test_import_dlopt_imports_neither_ml_dtypes_nor_the_reference_packages():
    """ml_dtypes takes 0.4 s to import and only Muon needs it; lion_pytorch and schedulefree are
    test oracles."""
    code = (
        "import sys, dlopt\n"
        "names = ('ml_dtypes', 'lion_pytorch', 'schedulefree', 'torch')\n"
        "print(sorted(m for m in names if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_the_references_are_test_only_and_pinned():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = [re.split(r"[<>=!~ ]", d)[0].lower().replace("_", "-") for d in runtime]
    assert "ml-dtypes" in names
    assert "lion-pytorch" not in names and "schedulefree" not in names
    pins = (ROOT / "requirements.txt").read_text()
    assert "\nlion-pytorch==0.2.5\n" in pins and "\nschedulefree==1.4.1\n" in pins
