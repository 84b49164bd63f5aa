"""Every optimizer, driven by one registry (tests/optimizer_registry.py): the numbers equal
torch.optim's step by step, and the rest of DESIGN.md §3.1's contract holds: torch's keyword names
and defaults, hyperparameters checked at construction and on assignment, all-or-nothing updates and
loads with errors naming the key, in-place updates, dtypes, 0-d arrays and Python floats, ``opt.lr``,
``state_dict`` copies, and bit-for-bit resume.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import numpy as np
import pytest
from optimizer_registry import (
    CLASSES,
    INFO,
    OPTIMIZERS,
    SHAPES,
    VARIANT_IDS,
    VARIANTS,
    assert_same_state,
    gradients,
    run,
    start_params,
)

import dlopt


def test_the_registry_covers_every_optimizer_class():
    names = [*dlopt.optimizers.__all__, *dlopt.modern.__all__, *dlopt.large_batch.__all__]
    exported = {getattr(dlopt.modern, name, None) or getattr(dlopt, name) for name in names}
    classes = {c for c in exported if isinstance(c, type) and issubclass(c, dlopt.Optimizer)}
    assert set(CLASSES) == classes - {dlopt.Optimizer}
    assert all(getattr(dlopt, c.__name__) is c for c in CLASSES), "dlopt exports every optimizer"


# ---------------------------------------------------------------------------------------------
# the oracle: torch.optim, step by step, with the learning rate changed mid-run

STEPS, LR_CHANGE_AT = 60, 30
FREE_RUNS = [(cls, kw) for cls, kw in VARIANTS if INFO[cls].free_run_oracle]
FREE_RUN_IDS = [i for (cls, _), i in zip(VARIANTS, VARIANT_IDS, strict=True) if INFO[cls].free_run_oracle]


def reference(info):
    """The reference class, or a skip when torch (or the reference's package) is not installed."""
    torch = pytest.importorskip("torch")
    module = info.reference.rpartition(".")[0]
    if module:
        pytest.importorskip(module)
    return torch, info.reference_class()


def _torch_pair(cls, kwargs, dtype):
    """dlopt's and the reference's runs from the same start; yields both parameter dicts after each step."""
    info = INFO[cls]
    torch, reference_class = reference(info)
    start = start_params(dtype, shapes=info.shapes)
    ours = {k: v.copy() for k, v in start.items()}
    theirs = {k: torch.tensor(v.copy()) for k, v in start.items()}
    opt = cls(**kwargs)
    topt = reference_class(list(theirs.values()), **(info.reference_kwargs | {"lr": opt.lr} | kwargs))
    if hasattr(topt, "train"):
        topt.train()  # Schedule-Free: steps are taken in train mode (the parameters hold y)
    for step in range(STEPS):
        if step == LR_CHANGE_AT:
            opt.lr = opt.lr * 0.3
            for group in topt.param_groups:
                group["lr"] = group["lr"] * 0.3
        grads = gradients(ours, step)
        for t, g in zip(theirs.values(), gradients({k: t.numpy() for k, t in theirs.items()}, step).values(),
                        strict=True):
            t.grad = torch.tensor(g)
        opt.update(ours, grads)
        topt.step()
        yield step, ours, {k: t.detach().numpy() for k, t in theirs.items()}


@pytest.fixture
def float64_scalars():
    """torch keeps scalar state (NAdam's mu_product, Adafactor's step) in the default dtype: make it
    float64 too."""
    torch = pytest.importorskip("torch")
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


@pytest.mark.parametrize("cls, kwargs", FREE_RUNS, ids=FREE_RUN_IDS)
def test_matches_torch_in_float64(cls, kwargs, float64_scalars):
    for step, ours, theirs in _torch_pair(cls, kwargs, np.float64):
        for k in ours:
            assert ours[k].dtype == np.float64
            err = np.max(np.abs(ours[k] - theirs[k]) / np.maximum(np.abs(theirs[k]), 1e-3))
            assert err <= 1e-10, f"{k} differs at step {step + 1}: relative error {err:.3e}"


@pytest.mark.parametrize("cls, kwargs", FREE_RUNS, ids=FREE_RUN_IDS)
def test_matches_torch_in_float32(cls, kwargs):
    for step, ours, theirs in _torch_pair(cls, kwargs, np.float32):
        for k in ours:
            assert ours[k].dtype == np.float32
            np.testing.assert_allclose(
                ours[k], theirs[k], rtol=2e-4, atol=2e-5, err_msg=f"{k} at step {step + 1}"
            )


# ---------------------------------------------------------------------------------------------
# torch's keyword names and defaults


def _defaults(cls) -> dict:
    parameters = inspect.signature(cls).parameters.values()
    return {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_keyword_names_and_defaults_are_torchs(cls):
    """Every keyword of dlopt's class is a keyword of the reference class with the same default
    (Momentum and Nesterov: torch SGD with momentum=0.9, the value DESIGN.md fixes)."""
    info = INFO[cls]
    _, reference_class = reference(info)
    ours = _defaults(cls)
    theirs = _defaults(reference_class) | info.reference_kwargs
    for name, default in ours.items():
        assert name in theirs, f"{cls.__name__}({name}=...) is not a keyword of {info.reference}"
        assert default == theirs[name], f"{cls.__name__}: {name}={default!r}, torch {theirs[name]!r}"
    assert inspect.signature(cls).parameters.keys() == ours.keys(), "every argument has a default"
    assert list(cls.hyperparameters) == list(ours), "state_dict saves exactly the keyword arguments"


def test_design_md_defaults():
    """The defaults written in DESIGN.md §3.1, checked literally."""
    assert _defaults(dlopt.SGD) == {"lr": 1e-3, "weight_decay": 0}
    assert _defaults(dlopt.Momentum) == {"lr": 1e-3, "momentum": 0.9, "dampening": 0, "weight_decay": 0}
    assert _defaults(dlopt.Nesterov) == {"lr": 1e-3, "momentum": 0.9, "weight_decay": 0}
    assert _defaults(dlopt.AdamW)["weight_decay"] == 1e-2
    assert _defaults(dlopt.NAdam)["lr"] == 2e-3
    assert _defaults(dlopt.AdaDelta)["lr"] == 1.0


# ---------------------------------------------------------------------------------------------
# hyperparameters: checked at construction and on every assignment

ERRORS = [(info.cls, kwargs, name) for info in OPTIMIZERS for kwargs, name in info.all_error_inputs()]
ERROR_IDS = [f"{cls.__name__}-{kwargs}" for cls, kwargs, _ in ERRORS]


@pytest.mark.parametrize("cls, kwargs, name", ERRORS, ids=ERROR_IDS)
def test_invalid_hyperparameter_is_refused_at_construction(cls, kwargs, name):
    with pytest.raises((ValueError, TypeError), match=re.escape(name)) as info:
        cls(**kwargs)
    assert re.search("[ぁ-んァ-ン]", str(info.value)), "the message is Japanese first"


@pytest.mark.parametrize("cls, kwargs, name", ERRORS, ids=ERROR_IDS)
def test_invalid_hyperparameter_is_refused_on_assignment_and_the_old_value_stays(cls, kwargs, name):
    """``opt.eps = -1`` after construction was accepted (and sent the parameters to −inf)."""
    opt = cls()
    before = {n: getattr(opt, n) for n in cls.hyperparameters}
    attribute, value = next(iter(kwargs.items()))
    with pytest.raises((ValueError, TypeError), match=re.escape(name)):
        setattr(opt, attribute, value)
    assert {n: getattr(opt, n) for n in cls.hyperparameters} == before


def test_a_negative_eps_assigned_later_cannot_send_the_parameters_to_infinity():
    opt = dlopt.Adam(lr=0.1)
    params = {"w": np.array([1.0, 2.0])}
    opt.update(params, {"w": np.array([0.0, 0.0])})
    with pytest.raises(ValueError, match="eps"):
        opt.eps = -1.0
    opt.update(params, {"w": np.array([0.0, 0.0])})
    assert np.all(np.isfinite(params["w"]))


# ---------------------------------------------------------------------------------------------
# update: every key is checked before anything changes


def _bad_inputs(shapes=SHAPES):
    """(name, params, grads, error type, words the message must contain); 'W' is fine, 'b' is bad."""
    p, g = start_params(shapes=shapes), gradients(start_params(shapes=shapes), 0)
    w, b = shapes["W"], shapes["b"]
    frozen = p["b"].copy()
    frozen.flags.writeable = False
    shared = np.zeros(w)
    base = np.zeros(40)
    n = int(np.prod(w))
    overlapping = {"W": base[:n].reshape(w), "b": base[n - 2 : n - 2 + int(np.prod(b))].reshape(b)}
    return [
        ("missing gradient", p, {k: v for k, v in g.items() if k != "b"}, KeyError, ["'b'"]),
        ("gradient shape", p, g | {"b": np.ones(b + (1,))}, ValueError, ["'b'", str(b + (1,)), str(b)]),
        ("gradient None", p, g | {"b": None}, TypeError, ["'b'", "NoneType"]),
        ("gradient str", p, g | {"b": "0.1"}, TypeError, ["'b'", "str"]),
        ("gradient object array", p, g | {"b": np.array([None] * 3)}, TypeError, ["'b'", "object"]),
        ("read-only parameter", p | {"b": frozen}, g, ValueError, ["'b'"]),
        ("integer parameter", p | {"b": np.zeros(b, dtype=int)}, g, TypeError, ["'b'", "int"]),
        ("string parameter", p | {"b": "x"}, g, TypeError, ["'b'", "str"]),
        ("same array twice", {"W": shared, "b": shared}, {"W": np.ones(w), "b": np.ones(w)},
         ValueError, ["'W'", "'b'"]),
        ("overlapping views", overlapping, {"W": np.ones(w), "b": np.ones(b)}, ValueError, ["'W'", "'b'"]),
        ("not a dict", list(p.values()), g, TypeError, ["params"]),
    ]


BAD_INPUTS = [(info, case) for info in OPTIMIZERS for case in _bad_inputs(info.shapes)]


@pytest.mark.parametrize("info, case", BAD_INPUTS, ids=[f"{i.cls.__name__}-{c[0]}" for i, c in BAD_INPUTS])
def test_bad_input_raises_naming_the_key_and_changes_nothing(info, case):
    """A bad second key used to leave the first key updated and the bad key's moments and step
    moved; now nothing changes: parameters, state arrays and step counts."""
    _, params, grads, error, words = case
    opt = info.cls(**info.variants[-1])
    if not isinstance(params, dict):
        shapes = info.shapes
    else:  # the state exists for the shapes given (a string parameter: the shape it should have)
        shapes = {k: np.shape(v) if isinstance(v, np.ndarray) else info.shapes[k] for k, v in params.items()}
    run(opt, {k: np.ones(shape) for k, shape in shapes.items()}, range(2))  # the state exists
    state_before = opt.state_dict()
    values_before = {k: np.copy(v) for k, v in params.items()} if isinstance(params, dict) else None
    with pytest.raises(error) as caught:
        opt.update(params, grads)
    message = str(caught.value)
    for word in words:
        assert word in message, message
    assert re.search("[ぁ-んァ-ン]", message), "the message is Japanese first"
    assert_same_state(opt.state_dict(), state_before)
    if values_before is not None:
        for k, v in params.items():
            assert np.array_equal(np.asarray(v), values_before[k]), f"{k} moved"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_parameter_whose_shape_changed_between_steps_is_refused(cls):
    shapes = INFO[cls].shapes
    params = start_params(shapes=shapes)
    opt = cls()
    run(opt, params, range(2))
    state_before = opt.state_dict()
    before = {k: v.copy() for k, v in params.items()}
    params["b"] = np.zeros((5,) + shapes["b"][1:])
    kept = params["W"].copy()
    if cls is dlopt.SGD:  # SGD keeps no arrays: a new shape is fine
        opt.update(params, gradients(params, 2))
        return
    with pytest.raises(ValueError, match="'b'"):
        opt.update(params, gradients(params, 2))
    assert_same_state(opt.state_dict(), state_before)
    assert np.array_equal(params["W"], kept) and np.array_equal(params["s"], before["s"])


def test_interleaved_views_that_do_not_overlap_are_accepted():
    base = np.zeros(10)
    params = {"even": base[::2], "odd": base[1::2]}
    dlopt.SGD(lr=1.0).update(params, {"even": np.ones(5), "odd": 2 * np.ones(5)})
    assert np.array_equal(base, np.tile([-1.0, -2.0], 5))


# ---------------------------------------------------------------------------------------------
# in place, dtypes, 0-d arrays, Python floats


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_params_and_state_are_updated_in_place(cls, kwargs):
    """The arrays a model holds are the arrays that change; the state arrays keep their identity."""
    opt = cls(**kwargs)
    params = start_params(shapes=INFO[cls].shapes)
    model = dict(params)  # a model holding references to the same arrays
    ids = {k: id(v) for k, v in params.items()}
    start = {k: v.copy() for k, v in params.items()}
    run(opt, params, range(1))

    def state_ids():
        return {(k, n): id(v) for k, s in opt.state.items() for n, v in s.items()
                if isinstance(v, np.ndarray)}

    first = state_ids()
    run(opt, params, range(1, 12))
    assert {k: id(v) for k, v in params.items()} == ids
    assert all(model[k] is params[k] for k in params)
    assert any(not np.array_equal(model[k], start[k]) for k in params), "the model sees the update"
    assert bool(first) == (cls is not dlopt.SGD), "every optimizer but SGD keeps arrays"
    assert state_ids() == first


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_state_has_the_parameters_dtype(cls, kwargs, dtype):
    """State arrays have the parameter's dtype and the shapes the class creates: the parameter's
    shape, except Adafactor's row and column statistics of a matrix."""
    opt = cls(**kwargs)
    params = start_params(dtype, shapes=INFO[cls].shapes)
    run(opt, params, range(8))
    for key, p in params.items():
        assert p.dtype == dtype
        arrays = {n: v for n, v in opt.state[key].items() if isinstance(v, np.ndarray)}
        assert bool(arrays) == (cls is not dlopt.SGD)
        assert all(a.dtype == dtype for a in arrays.values())
        shapes = {n: v.shape for n, v in opt._init_state(p).items() if isinstance(v, np.ndarray)}
        assert {n: a.shape for n, a in arrays.items()} == shapes
        if cls is not dlopt.Adafactor or p.ndim < 2:
            assert all(shape == p.shape for shape in shapes.values())
        assert np.all(np.isfinite(p))


ANY_SHAPE = [(cls, kw) for cls, kw in VARIANTS if INFO[cls].takes_any_shape]
ANY_SHAPE_IDS = [i for (cls, _), i in zip(VARIANTS, VARIANT_IDS, strict=True) if INFO[cls].takes_any_shape]


@pytest.mark.parametrize("cls, kwargs", ANY_SHAPE, ids=ANY_SHAPE_IDS)
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
            grads = {k: 2.0 * float(np.asarray(v).reshape(-1)[0]) + np.cos(step) for k, v in params.items()}
            if params is as_1d:
                grads = {k: np.array([g]) for k, g in grads.items()}
            opt.update(params, grads)
    for k in values:
        assert type(as_floats[k]) is float
        assert id(as_0d[k]) == zero_d_ids[k] and as_0d[k].shape == ()
        assert as_floats[k] == float(as_0d[k]) == float(as_1d[k][0])
        assert as_floats[k] != values[k]


class RebindingMomentum(dlopt.Optimizer):
    """A reader's subclass whose _step rebinds its state array instead of updating it in place."""

    hyperparameters = {"lr": dlopt.optimizers._non_negative}

    def __init__(self, lr=0.1):
        super().__init__(lr=lr)

    def _init_state(self, param):
        return {"v": np.zeros_like(param)}

    def _step(self, param, grad, state, t):
        state["v"] = 0.9 * state["v"] + grad
        param -= self.lr * state["v"]


def test_a_subclass_that_rebinds_its_state_works_for_big_arrays_too():
    """The former cache-sized pieces handed _step views of the state: a rebinding subclass silently
    lost its state above 2^18 elements: plain gradient descent, w = 0.9³ = 0.729 after 3 steps,
    where the momentum gives w = 0.486 (v = 1, 1.8, 2.34)."""
    n = (1 << 18) + 7
    big, small = {"w": np.ones(n)}, {"w": np.ones(3)}
    opt_big, opt_small = RebindingMomentum(), RebindingMomentum()
    for _ in range(3):
        opt_big.update(big, {"w": big["w"].copy()})
        opt_small.update(small, {"w": small["w"].copy()})
    assert small["w"][0] == pytest.approx(0.486, abs=1e-12)
    assert np.all(big["w"] == small["w"][0])


def test_update_is_the_short_teaching_path():
    """What the AdaGrad chapter shows: check, create state, count the step, call _step."""
    source = inspect.getsource(dlopt.Optimizer.update)
    assert len(source.splitlines()) <= 12
    for word in ("chunk", "piece", "out="):
        assert word not in source


def test_import_dlopt_changes_no_process_wide_allocator_setting():
    """Importing dlopt used to allocate and free a 16 MB block to raise glibc's trim threshold."""
    code = (
        "import numpy as np\n"
        "sizes = []\n"
        "real = np.empty\n"
        "np.empty = lambda shape, *a, **k: sizes.append(np.prod(shape)) or real(shape, *a, **k)\n"
        "import dlopt\n"
        "print(max(sizes, default=0))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert int(float(out.stdout)) < 1 << 20


# ---------------------------------------------------------------------------------------------
# opt.lr, state_dict, resume


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_lr_assignment_takes_effect_at_the_next_update(cls, kwargs):
    """η multiplies every step: with ``opt.lr = 0`` the next update leaves the parameters where they
    are (Schedule-Free: y still moves toward z), and restoring η moves them again."""
    opt = cls(**kwargs)
    params = start_params(shapes=INFO[cls].shapes)
    run(opt, params, range(5))
    frozen = {k: v.copy() for k, v in params.items()}
    lr = opt.lr
    opt.lr = 0.0
    run(opt, params, range(5, 6))
    if INFO[cls].zero_lr_freezes:
        assert all(np.array_equal(params[k], frozen[k]) for k in params)
    frozen = {k: v.copy() for k, v in params.items()}
    assert all(s["step"] == 6 for s in opt.state.values()), "the state still advances"
    opt.lr = lr
    run(opt, params, range(6, 7))
    assert all(not np.array_equal(params[k], frozen[k]) for k in params)


@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_state_dict_returns_copies(cls, kwargs):
    """Mutating what state_dict() returned, or what was passed to load_state_dict(), does not
    change the optimizer."""
    opt, twin = cls(**kwargs), cls(**kwargs)
    a, b = start_params(shapes=INFO[cls].shapes), start_params(shapes=INFO[cls].shapes)
    run(opt, a, range(4))
    run(twin, b, range(4))
    sd = opt.state_dict()
    for s in sd["state"].values():
        for name, value in s.items():
            if isinstance(value, np.ndarray):
                value[...] = 123.0
            else:
                s[name] = 99
    sd["hyperparameters"]["lr"] = 42.0
    assert opt.lr == twin.lr
    assert_same_state(opt.state_dict(), twin.state_dict())

    fresh = cls()
    given = twin.state_dict()
    fresh.load_state_dict(given)
    for s in given["state"].values():
        for value in s.values():
            if isinstance(value, np.ndarray):
                value[...] = -7.0
    assert_same_state(fresh.state_dict(), twin.state_dict())
    run(opt, a, range(4, 8))
    run(fresh, b, range(4, 8))
    assert all(np.array_equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls, kwargs", VARIANTS, ids=VARIANT_IDS)
def test_resume_from_state_dict_is_bit_for_bit(cls, kwargs, dtype):
    """20 steps straight == 10 steps, state_dict → a NEW optimizer built with the class defaults →
    load_state_dict → 10 more steps (η is changed at step 5 so that a stale η would show)."""
    straight = cls(**kwargs)
    params = start_params(dtype, shapes=INFO[cls].shapes)
    run(straight, params, range(5))
    straight.lr = straight.lr * 0.5
    run(straight, params, range(5, 20))

    first = cls(**kwargs)
    resumed = start_params(dtype, shapes=INFO[cls].shapes)
    run(first, resumed, range(5))
    first.lr = first.lr * 0.5
    run(first, resumed, range(5, 10))
    second = cls()
    second.load_state_dict(first.state_dict())
    assert second.lr == first.lr
    run(second, resumed, range(10, 20))

    for k in params:
        assert np.array_equal(params[k], resumed[k]), k
    assert_same_state(straight.state_dict(), second.state_dict())


def _edit(sd: dict, path: tuple, value) -> dict:
    *where, last = path
    target = sd
    for name in where:
        target = target[name]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return sd


BAD_STATES = [
    # (name, source class, load into, path into the state dict, new value, words in the message)
    ("SGD <- Adam", dlopt.Adam, dlopt.SGD, (), None, ["Adam", "SGD"]),
    ("Adam <- SGD", dlopt.SGD, dlopt.Adam, (), None, ["SGD", "Adam"]),
    ("negative eps", dlopt.Adam, dlopt.Adam, ("hyperparameters", "eps"), -1.0, ["eps"]),
    ("beta of 1", dlopt.Adam, dlopt.Adam, ("hyperparameters", "betas"), (0.9, 1.0), ["betas"]),
    ("missing lr", dlopt.Adam, dlopt.Adam, ("hyperparameters", "lr"), KeyError, ["lr"]),
    ("unknown hyperparameter", dlopt.SGD, dlopt.SGD, ("hyperparameters", "nesterov"), True, ["nesterov"]),
    ("missing class", dlopt.Adam, dlopt.Adam, ("class",), KeyError, ["class"]),
    ("step zero", dlopt.Adam, dlopt.Adam, ("state", "W", "step"), 0, ["'W'", "step"]),
    ("step True", dlopt.Adam, dlopt.Adam, ("state", "W", "step"), True, ["'W'", "step"]),
    ("missing moment", dlopt.Adam, dlopt.Adam, ("state", "b", "exp_avg_sq"), KeyError,
     ["'b'", "exp_avg_sq"]),
    ("moment of another shape", dlopt.Adam, dlopt.Adam, ("state", "b", "exp_avg"), np.zeros(4),
     ["'b'", "exp_avg"]),
    ("moment of another dtype", dlopt.Adam, dlopt.Adam, ("state", "b", "exp_avg"), np.zeros(3, np.float32),
     ["'b'", "exp_avg"]),
    ("moment as a list", dlopt.Adam, dlopt.Adam, ("state", "b", "exp_avg"), [0.0, 0.0, 0.0],
     ["'b'", "exp_avg"]),
    ("integer arrays", dlopt.Momentum, dlopt.Momentum, ("state", "b", "momentum_buffer"), np.zeros(3, int),
     ["'b'"]),
    ("amsgrad without its maximum", dlopt.Adam, dlopt.Adam, ("hyperparameters", "amsgrad"), True,
     ["max_exp_avg_sq"]),
    ("NAdam product not a number", dlopt.NAdam, dlopt.NAdam, ("state", "s", "mu_product"), "1",
     ["mu_product"]),
]


@pytest.mark.parametrize("case", BAD_STATES, ids=[c[0] for c in BAD_STATES])
def test_load_state_dict_checks_everything_before_applying_anything(case):
    """SGD ← Adam's state used to set lr before raising; Adam ← SGD's state loaded and failed at
    the next update; invalid hyperparameters inside a state were accepted."""
    _, source, target, path, value, words = case
    saved = source(lr=0.05)
    run(saved, start_params(), range(3))
    sd = saved.state_dict()
    if path:
        sd = _edit(sd, path, value)
    opt = target(lr=0.5)
    run(opt, start_params(seed=1), range(2))
    before = opt.state_dict()
    with pytest.raises((ValueError, TypeError)) as info:
        opt.load_state_dict(sd)
    for word in words:
        assert word in str(info.value), str(info.value)
    assert_same_state(opt.state_dict(), before)


def test_check_state_dict_changes_nothing_and_returns_a_copy():
    opt = dlopt.Adam(lr=0.1)
    run(opt, start_params(), range(3))
    sd = opt.state_dict()
    checked = dlopt.Adam().check_state_dict(sd)
    checked["state"]["W"]["exp_avg"][...] = 0.0
    assert not np.all(sd["state"]["W"]["exp_avg"] == 0.0)
