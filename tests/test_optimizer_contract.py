"""The optimizer contract of DESIGN.md §3.1, for every optimizer class.

tests/test_optimizers.py proves the numbers equal torch.optim's; this file proves the rest of the
contract: torch's keyword names and defaults, clear errors naming the culprit, in-place updates,
dtypes, 0-d arrays and Python floats, ``opt.lr``, ``state_dict`` copies, and bit-for-bit resume.
"""

from __future__ import annotations

import inspect
import platform
import re
import subprocess
import sys

import numpy as np
import pytest

import dlopt

CLASSES = [getattr(dlopt, name) for name in dlopt.optimizers.__all__ if name != "Optimizer"]

# Every class with the options that change its state or its code path.
VARIANTS = [
    (dlopt.SGD, {"lr": 0.05}),
    (dlopt.SGD, {"lr": 0.05, "weight_decay": 0.1}),
    (dlopt.Momentum, {"lr": 0.02}),
    (dlopt.Momentum, {"lr": 0.02, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05}),
    (dlopt.Nesterov, {"lr": 0.02}),
    (dlopt.Nesterov, {"lr": 0.02, "momentum": 0.99, "weight_decay": 0.01}),
    (dlopt.AdaGrad, {"lr": 0.1, "lr_decay": 0.01}),
    (dlopt.AdaGrad, {"lr": 0.1, "initial_accumulator_value": 0.1, "weight_decay": 0.05}),
    (dlopt.RMSProp, {"lr": 0.01}),
    (dlopt.RMSProp, {"lr": 0.01, "centered": True}),
    (dlopt.RMSProp, {"lr": 0.005, "momentum": 0.9}),
    (dlopt.RMSProp, {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.01}),
    (dlopt.AdaDelta, {}),
    (dlopt.AdaDelta, {"lr": 0.5, "rho": 0.5, "weight_decay": 0.1}),
    (dlopt.Adam, {"lr": 0.01}),
    (dlopt.Adam, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05}),
    (dlopt.AdamW, {"lr": 0.01}),
    (dlopt.AdamW, {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    (dlopt.NAdam, {"lr": 0.01}),
    (dlopt.NAdam, {"lr": 0.01, "momentum_decay": 0.1, "weight_decay": 0.05}),
    (dlopt.RAdam, {"lr": 0.01}),  # ρ_t > 5 from step 6 on: both branches run within 20 steps
    (dlopt.RAdam, {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 0.05}),
]
VARIANT_IDS = [cls.__name__ + "".join(f"-{k}={v}" for k, v in kw.items()) for cls, kw in VARIANTS]

SHAPES = {"W": (4, 3), "b": (3,), "s": ()}


def _start(dtype=np.float64, seed: int = 0, shapes=SHAPES) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: np.asarray(rng.normal(size=shape), dtype=dtype) for k, shape in shapes.items()}


def _grads(params: dict, step: int) -> dict:
    """∇(½θ² + 0.3 cos θ) plus a step-dependent term: the gradient depends on the parameter."""
    out = {}
    for i, (k, p) in enumerate(params.items()):
        p = np.asarray(p)
        wave = np.cos(step + i + np.arange(p.size).reshape(p.shape))
        out[k] = (p - 0.3 * np.sin(p) + 0.5 * wave).astype(p.dtype)
    return out


def _run(opt, params: dict, steps: range) -> None:
    for step in steps:
        opt.update(params, _grads(params, step))


def _assert_same_state(a: dict, b: dict) -> None:
    """Two state_dicts are equal: hyperparameters, step counts and every array bit for bit."""
    assert a["hyperparameters"] == b["hyperparameters"]
    assert a["state"].keys() == b["state"].keys()
    for key in a["state"]:
        assert a["state"][key].keys() == b["state"][key].keys()
        for name, value in a["state"][key].items():
            other = b["state"][key][name]
            if isinstance(value, np.ndarray):
                assert value.dtype == other.dtype and np.array_equal(value, other), (key, name)
            else:
                assert value == other, (key, name)


def test_every_optimizer_class_is_covered():
    assert {cls for cls, _ in VARIANTS} == set(CLASSES)


# ---------------------------------------------------------------------------------------------
# torch's keyword names and defaults

TORCH_NAMES = {
    dlopt.SGD: ("SGD", {}),
    dlopt.Momentum: ("SGD", {"momentum": 0.9}),  # = torch SGD(momentum=0.9)
    dlopt.Nesterov: ("SGD", {"momentum": 0.9}),  # = torch SGD(momentum=0.9, nesterov=True)
    dlopt.AdaGrad: ("Adagrad", {}),
    dlopt.RMSProp: ("RMSprop", {}),
    dlopt.AdaDelta: ("Adadelta", {}),
    dlopt.Adam: ("Adam", {}),
    dlopt.AdamW: ("AdamW", {}),
    dlopt.NAdam: ("NAdam", {}),
    dlopt.RAdam: ("RAdam", {}),
}


def _defaults(cls) -> dict:
    parameters = inspect.signature(cls).parameters.values()
    return {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_keyword_names_and_defaults_are_torchs(cls):
    """Every keyword of dlopt's class is a keyword of the torch.optim class with the same default
    (Momentum and Nesterov: torch SGD with momentum=0.9, the value DESIGN.md fixes)."""
    torch = pytest.importorskip("torch")
    torch_name, overrides = TORCH_NAMES[cls]
    ours = _defaults(cls)
    theirs = _defaults(getattr(torch.optim, torch_name)) | overrides
    for name, default in ours.items():
        assert name in theirs, f"{cls.__name__}({name}=...) is not a keyword of torch {torch_name}"
        assert default == theirs[name], f"{cls.__name__}: {name}={default!r}, torch {theirs[name]!r}"
    assert inspect.signature(cls).parameters.keys() == ours.keys(), "every argument has a default"
    assert set(cls.hyperparameters) == set(ours), "state_dict saves exactly the keyword arguments"
    assert ours["lr"] == cls().lr == theirs["lr"]


def test_design_md_defaults():
    """The defaults written in DESIGN.md §3.1, checked literally."""
    assert _defaults(dlopt.SGD) == {"lr": 1e-3, "weight_decay": 0}
    assert _defaults(dlopt.Momentum) == {
        "lr": 1e-3, "momentum": 0.9, "dampening": 0, "weight_decay": 0
    }
    assert _defaults(dlopt.Nesterov) == {"lr": 1e-3, "momentum": 0.9, "weight_decay": 0}
    assert _defaults(dlopt.AdamW)["weight_decay"] == 1e-2
    assert _defaults(dlopt.NAdam)["lr"] == 2e-3
    assert _defaults(dlopt.AdaDelta)["lr"] == 1.0


# ---------------------------------------------------------------------------------------------
# bad input: ValueError / KeyError naming the culprit

INVALID = []
for _cls in CLASSES:
    INVALID += [(_cls, {"lr": -1e-3}, "lr"), (_cls, {"lr": float("nan")}, "lr")]
    INVALID += [(_cls, {"weight_decay": -0.1}, "weight_decay")]
    if "eps" in _defaults(_cls):
        INVALID += [(_cls, {"eps": -1e-8}, "eps")]
    if "momentum" in _defaults(_cls):
        INVALID += [(_cls, {"momentum": -0.5}, "momentum")]
    if "betas" in _defaults(_cls):
        for betas in [(1.0, 0.999), (-0.1, 0.999), (0.9, 1.0), (0.9, -1e-3), (0.9, float("nan"))]:
            INVALID += [(_cls, {"betas": betas}, "betas")]
INVALID += [
    (dlopt.Nesterov, {"momentum": 0.0}, "momentum"),
    (dlopt.Momentum, {"dampening": -0.1}, "dampening"),
    (dlopt.AdaGrad, {"lr_decay": -0.1}, "lr_decay"),
    (dlopt.AdaGrad, {"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
    (dlopt.RMSProp, {"alpha": 1.0}, "alpha"),
    (dlopt.RMSProp, {"alpha": -0.1}, "alpha"),
    (dlopt.AdaDelta, {"rho": 1.5}, "rho"),
    (dlopt.NAdam, {"momentum_decay": -4e-3}, "momentum_decay"),
]


@pytest.mark.parametrize(
    "cls, kwargs, name",
    INVALID,
    ids=[f"{c.__name__}-{k}" for c, k, _ in INVALID],
)
def test_invalid_hyperparameter_raises_valueerror_naming_it(cls, kwargs, name):
    with pytest.raises(ValueError, match=re.escape(name)):
        cls(**kwargs)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_assigning_a_negative_lr_raises_and_keeps_the_old_one(cls):
    opt = cls(lr=0.5)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -0.1
    assert opt.lr == 0.5


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_missing_gradient_is_a_keyerror_naming_the_key_and_nothing_changes(cls):
    params = _start()
    before = {k: v.copy() for k, v in params.items()}
    grads = _grads(params, 0)
    del grads["b"]
    opt = cls()
    with pytest.raises(KeyError, match="'b'"):
        opt.update(params, grads)
    assert all(np.array_equal(params[k], before[k]) for k in params), "W must not move either"
    assert opt.state == {}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_wrong_gradient_shape_is_a_valueerror_naming_key_and_both_shapes(cls):
    params = _start()
    before = {k: v.copy() for k, v in params.items()}
    grads = _grads(params, 0)
    grads["W"] = np.ones((3, 4))
    opt = cls()
    with pytest.raises(ValueError) as info:
        opt.update(params, grads)
    message = str(info.value)
    assert "'W'" in message and "(3, 4)" in message and "(4, 3)" in message, message
    assert all(np.array_equal(params[k], before[k]) for k in params)
    assert opt.state == {}


# ---------------------------------------------------------------------------------------------
# in place, dtypes, 0-d arrays, Python floats


@pytest.mark.parametrize("chunk_size", [None, 5], ids=["whole", "pieces"])
@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_params_and_state_are_updated_in_place(cls, kwargs, chunk_size):
    """The arrays a model holds are the arrays that change; the state arrays keep their identity.
    ``pieces`` forces the piece-by-piece path that big arrays take."""
    opt = cls(**kwargs)
    if chunk_size:
        opt.chunk_size = chunk_size
    params = _start()
    model = dict(params)  # a model holding references to the same arrays
    ids = {k: id(v) for k, v in params.items()}
    start = {k: v.copy() for k, v in params.items()}
    _run(opt, params, range(1))
    state_ids = {(k, n): id(v) for k, s in opt.state.items() for n, v in s.items()
                 if isinstance(v, np.ndarray)}
    _run(opt, params, range(1, 12))
    assert {k: id(v) for k, v in params.items()} == ids
    assert all(model[k] is params[k] for k in params)
    assert any(not np.array_equal(model[k], start[k]) for k in params), "the model sees the update"
    assert bool(state_ids) == (cls is not dlopt.SGD), "every optimizer but SGD keeps arrays"
    assert {(k, n): id(v) for k, s in opt.state.items() for n, v in s.items()
            if isinstance(v, np.ndarray)} == state_ids


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_state_has_the_parameters_dtype(cls, kwargs, dtype):
    opt = cls(**kwargs)
    params = _start(dtype)
    _run(opt, params, range(8))
    for key, p in params.items():
        assert p.dtype == dtype
        arrays = [v for v in opt.state[key].values() if isinstance(v, np.ndarray)]
        assert bool(arrays) == (cls is not dlopt.SGD)
        assert all(a.dtype == dtype and a.shape == p.shape for a in arrays)
        assert np.all(np.isfinite(p))


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_zero_dim_arrays_and_python_floats(cls, kwargs):
    """A 0-d array is updated in place; a Python float is replaced by a float; both give exactly
    the numbers of the same values held in a 1-element array."""
    values = {"x": 1.5, "y": -0.7}
    as_floats = dict(values)
    as_0d = {k: np.array(v) for k, v in values.items()}
    as_1d = {k: np.array([v]) for k, v in values.items()}
    zero_d_ids = {k: id(v) for k, v in as_0d.items()}
    opts = [cls(**kwargs) for _ in range(3)]
    for step in range(10):
        for opt, params in zip(opts, (as_floats, as_0d, as_1d), strict=True):
            grads = {k: 2.0 * float(np.asarray(v).reshape(-1)[0]) + np.cos(step) for k, v in
                     params.items()}
            if params is as_1d:
                grads = {k: np.array([g]) for k, g in grads.items()}
            opt.update(params, grads)
    for k in values:
        assert type(as_floats[k]) is float
        assert id(as_0d[k]) == zero_d_ids[k] and as_0d[k].shape == ()
        assert as_floats[k] == float(as_0d[k]) == float(as_1d[k][0])
        assert as_floats[k] != values[k]


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_big_arrays_in_pieces_give_bit_identical_results(cls, kwargs):
    """Optimizer.chunk_size splits big arrays into pieces; every update is elementwise, so the
    numbers must not change at all, whether the array is contiguous or not (then it is not split)."""
    shapes = {"W": (7, 5), "b": (11,), "s": ()}
    whole, pieces = cls(**kwargs), cls(**kwargs)
    pieces.chunk_size = 4  # 35 = 4 + 4 + ... + 3 elements: the last piece is short
    calls = []
    step_of_class = pieces._step
    pieces._step = lambda param, *args: calls.append(param.size) or step_of_class(param, *args)
    for dtype in (np.float32, np.float64):
        a, b = _start(dtype, shapes=shapes), _start(dtype, shapes=shapes)
        a["F"], b["F"] = (np.asfortranarray(np.arange(12.0, dtype=dtype).reshape(3, 4)) for _ in "ab")
        for step in range(15):
            grads = _grads(a, step)
            whole.update(a, grads)
            pieces.update(b, grads)
            for k in a:
                assert np.array_equal(a[k], b[k]), f"{k} ({dtype.__name__}) differs at step {step}"
        _assert_same_state(whole.state_dict(), pieces.state_dict())
        split = cls is not dlopt.NAdam  # NAdam's state holds a float (μ product): never split
        first_step = [4] * 8 + [3, 4, 4, 3, 1, 12] if split else [35, 11, 1, 12]
        assert calls == first_step * 15
        calls.clear()
        whole.state.clear()
        pieces.state.clear()


# ---------------------------------------------------------------------------------------------
# opt.lr, state_dict, resume


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_lr_assignment_takes_effect_at_the_next_update(cls, kwargs):
    """η multiplies every step of every optimizer: with ``opt.lr = 0`` the very next update leaves
    the parameters exactly where they are, and restoring η moves them again."""
    opt = cls(**kwargs)
    params = _start()
    _run(opt, params, range(5))
    frozen = {k: v.copy() for k, v in params.items()}
    lr = opt.lr
    opt.lr = 0.0
    _run(opt, params, range(5, 6))
    assert all(np.array_equal(params[k], frozen[k]) for k in params)
    assert all(s["step"] == 6 for s in opt.state.values()), "the state still advances"
    opt.lr = lr
    _run(opt, params, range(6, 7))
    assert all(not np.array_equal(params[k], frozen[k]) for k in params)


def test_lr_assignment_exact_value_for_sgd():
    opt = dlopt.SGD(lr=0.1)
    params = {"w": np.array([1.0, -2.0])}
    opt.update(params, {"w": np.array([0.5, 0.25])})
    opt.lr = 0.01
    opt.update(params, {"w": np.array([0.5, 0.25])})
    assert np.array_equal(params["w"], np.array([1.0, -2.0]) - 0.1 * np.array([0.5, 0.25])
                          - 0.01 * np.array([0.5, 0.25]))


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_state_dict_returns_copies(cls, kwargs):
    """Mutating what state_dict() returned, or what was passed to load_state_dict(), does not
    change the optimizer."""
    opt, twin = cls(**kwargs), cls(**kwargs)
    a, b = _start(), _start()
    _run(opt, a, range(4))
    _run(twin, b, range(4))
    sd = opt.state_dict()
    for s in sd["state"].values():
        for name, value in s.items():
            if isinstance(value, np.ndarray):
                value[...] = 123.0
            else:
                s[name] = 99
    sd["hyperparameters"]["lr"] = 42.0
    assert opt.lr == twin.lr
    _assert_same_state(opt.state_dict(), twin.state_dict())

    fresh = cls()
    given = twin.state_dict()
    fresh.load_state_dict(given)
    for s in given["state"].values():
        for value in s.values():
            if isinstance(value, np.ndarray):
                value[...] = -7.0
    _assert_same_state(fresh.state_dict(), twin.state_dict())
    _run(opt, a, range(4, 8))
    _run(fresh, b, range(4, 8))
    assert all(np.array_equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_resume_from_state_dict_is_bit_for_bit(cls, kwargs, dtype):
    """20 steps straight == 10 steps, state_dict → a NEW optimizer built with the class defaults →
    load_state_dict → 10 more steps (hyperparameters come from the state dict; η is changed at
    step 5 so that a stale η would show)."""
    straight = cls(**kwargs)
    params = _start(dtype)
    _run(straight, params, range(5))
    straight.lr = straight.lr * 0.5
    _run(straight, params, range(5, 20))

    first = cls(**kwargs)
    resumed_params = _start(dtype)
    _run(first, resumed_params, range(5))
    first.lr = first.lr * 0.5
    _run(first, resumed_params, range(5, 10))
    second = cls()
    second.load_state_dict(first.state_dict())
    assert second.lr == first.lr
    _run(second, resumed_params, range(10, 20))

    for k in params:
        assert np.array_equal(params[k], resumed_params[k]), k
    _assert_same_state(straight.state_dict(), second.state_dict())


def test_load_state_dict_rejects_unknown_hyperparameters():
    sd = dlopt.Adam().state_dict()
    with pytest.raises(KeyError, match="betas"):
        dlopt.SGD().load_state_dict(sd)


def test_momentum_zero_with_dampening_matches_torch():
    """torch keeps no momentum buffer when momentum = 0, so dampening has no effect there."""
    torch = pytest.importorskip("torch")
    g = np.array([0.3, -0.2, 1.5])
    ours = {"w": np.array([1.0, 2.0, -1.0])}
    theirs = torch.tensor(ours["w"].copy())
    opt = dlopt.Momentum(lr=0.1, momentum=0.0, dampening=0.5)
    topt = torch.optim.SGD([theirs], lr=0.1, momentum=0.0, dampening=0.5)
    for step in range(4):
        opt.update(ours, {"w": g * (step + 1)})
        theirs.grad = torch.tensor(g * (step + 1))
        topt.step()
        np.testing.assert_allclose(ours["w"], theirs.numpy(), rtol=1e-15, atol=0)


# ---------------------------------------------------------------------------------------------
# speed: the temporaries of a big step reuse memory (glibc), see benchmarks/README.md

_FAULTS_PER_STEP = """
import resource, sys
import numpy as np
if sys.argv[1] == "without":  # import dlopt without its malloc hint (np.empty does nothing)
    real_empty, np.empty = np.empty, lambda *args, **kwargs: None
import dlopt
if sys.argv[1] == "without":
    np.empty = real_empty
params = {"w": np.ones(2_000_000, np.float32)}
grads = {"w": np.full(2_000_000, 0.5, np.float32)}
opt = dlopt.Adam()
for _ in range(2):
    opt.update(params, grads)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    opt.update(params, grads)
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 5)
"""


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc malloc only"
)
def test_big_steps_do_not_page_fault_in_a_fresh_process():
    """In a fresh interpreter, an Adam step on 2e6 parameters (8 pieces) allocates its temporaries
    without page faults: importing dlopt.optimizers raised glibc's trim threshold. Without that
    (measured too, for the message) every step page-faults on thousands of pages."""

    def faults(mode: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", _FAULTS_PER_STEP, mode],
            capture_output=True, text=True, check=True, timeout=120,
        )
        return float(out.stdout)

    with_hint, without_hint = faults("with"), faults("without")
    assert with_hint <= 50, f"{with_hint:.0f} page faults per step ({without_hint:.0f} without)"
