"""dlopt.torch_optim: the from-scratch AdamW against torch.optim.AdamW, and the MLP's torch twin.

Our AdamW performs torch's operations in torch's order (m.lerp_, v.mul_().addcmul_(),
(1 − β2^t)**0.5), so it is compared bit for bit, in float64 and float32. Written as
m.mul_(β1).add_(g, alpha=1 − β1) it differed by 1 ulp (≤ 2.2e-16 relative), and math.sqrt(1 − β2^t)
differs from (1 − β2^t)**0.5 in the last bit for about 1 t in 1000: exactness needs the same
operations, not only the same formula.
The twin (numpy MLP vs torch) is compared with a tolerance: see TWIN_RTOL.
"""

from __future__ import annotations

import copy
import io
import subprocess
import sys

import numpy as np
import pytest

import dlopt

torch = pytest.importorskip("torch")
torch_optim = pytest.importorskip("dlopt.torch_optim")
F = torch.nn.functional

STEPS = 60
LR_CHANGE_AT = 30


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny tensors: with 2 threads on a busy 2-core machine the twin training took 0.5-6 s
    instead of 0.04 s (thread hand-off), so this module runs torch on one thread, then restores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# ----------------------------------------------------------------------------------------------
# AdamW, step by step


def make_params(seed=0, dtype=torch.float64):
    gen = torch.Generator().manual_seed(seed)
    shapes = [(5, 4), (4,), (3, 2, 2)]
    return [torch.randn(shape, generator=gen, dtype=dtype).requires_grad_() for shape in shapes]


def loss_fn(params):
    """A smooth non-quadratic loss, so every step sees a new, parameter-dependent gradient."""
    return sum(
        (0.5 * (k + 1) * p**2 + torch.sin(3.0 * p) + 0.1 * p**3).sum() for k, p in enumerate(params)
    )


def run(optimizer_class, params, groups=None, steps=STEPS, lr_change_at=LR_CHANGE_AT, **kwargs):
    """Train ``params`` for ``steps`` steps (lr × 0.3 in every group at ``lr_change_at``)."""
    optimizer = optimizer_class(groups(params) if groups else params, **kwargs)
    history = []
    for step in range(steps):
        if step == lr_change_at:
            for group in optimizer.param_groups:
                group["lr"] *= 0.3

        def closure():
            optimizer.zero_grad()
            loss = loss_fn(params)
            loss.backward()
            return loss

        optimizer.step(closure)
        history.append([p.detach().clone() for p in params])
    return optimizer, history


def continue_run(optimizer, params, steps):
    """``run`` with an optimizer that already exists (and no lr change)."""
    return run(lambda *_, **__: optimizer, params, steps=steps, lr_change_at=None)[1]


def assert_identical(history_a, history_b):
    for step, (params_a, params_b) in enumerate(zip(history_a, history_b, strict=True)):
        for a, b in zip(params_a, params_b, strict=True):
            assert a.dtype == b.dtype
            assert torch.equal(a, b), f"step {step + 1}: max |difference| {(a - b).abs().max():.3g}"


def two_groups(params):
    """Two param groups: no weight decay for the first two tensors, its own lr for the third."""
    return [{"params": params[:2], "weight_decay": 0.0}, {"params": params[2:], "lr": 0.02}]


ADAMW_CASES = [
    ({"lr": 0.01}, None),  # torch's defaults otherwise: weight_decay = 1e-2
    ({"lr": 0.01, "weight_decay": 0.0}, None),
    ({"lr": 0.01, "weight_decay": 0.1}, None),
    ({"lr": 0.01, "amsgrad": True}, None),
    ({"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}, None),
    ({"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.0, "amsgrad": True}, None),
    ({"lr": 0.01, "weight_decay": 0.1}, two_groups),
    ({"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}, two_groups),
]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize(("kwargs", "groups"), ADAMW_CASES)
def test_adamw_matches_torch_step_by_step(kwargs, groups, dtype):
    ours, ours_history = run(torch_optim.AdamW, make_params(dtype=dtype), groups, **kwargs)
    theirs, their_history = run(torch.optim.AdamW, make_params(dtype=dtype), groups, **kwargs)
    assert_identical(ours_history, their_history)
    # the same state, under the same names
    for group_ours, group_theirs in zip(ours.param_groups, theirs.param_groups, strict=True):
        for p_ours, p_theirs in zip(group_ours["params"], group_theirs["params"], strict=True):
            s_ours, s_theirs = ours.state[p_ours], theirs.state[p_theirs]
            assert set(s_ours) == set(s_theirs)
            assert float(s_ours["step"]) == float(s_theirs["step"]) == STEPS
            for name in set(s_ours) - {"step"}:
                assert torch.equal(s_ours[name], s_theirs[name]), name


def test_the_lr_change_mid_run_matters():
    """The runs above change lr at step 30: without that change they would end elsewhere."""
    _, changed = run(torch_optim.AdamW, make_params(), two_groups, lr=0.01)
    _, unchanged = run(torch_optim.AdamW, make_params(), two_groups, lr=0.01, lr_change_at=None)
    assert_identical(changed[:LR_CHANGE_AT], unchanged[:LR_CHANGE_AT])
    for a, b in zip(changed[-1], unchanged[-1], strict=True):
        assert not torch.allclose(a, b)


def test_adamw_skips_parameters_without_gradient():
    used, unused = make_params()[0], torch.ones(3, dtype=torch.float64, requires_grad=True)
    optimizer = torch_optim.AdamW([used, unused], lr=0.1)
    (used**2).sum().backward()
    optimizer.step()
    assert unused not in optimizer.state
    assert torch.equal(unused, torch.ones(3, dtype=torch.float64))
    assert optimizer.state[used]["step"] == 1


def test_step_returns_the_closure_loss():
    params = make_params()
    optimizer = torch_optim.AdamW(params)

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(params)
        loss.backward()
        return loss

    with torch.no_grad():
        expected = float(loss_fn(params))
    assert optimizer.step(closure).item() == expected
    assert optimizer.step() is None


def save_and_load(state_dict):
    """A real round trip through torch.save / torch.load."""
    buffer = io.BytesIO()
    torch.save(state_dict, buffer)
    buffer.seek(0)
    return torch.load(buffer)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_state_dict_resume_is_bit_for_bit(amsgrad):
    kwargs = {"lr": 0.01, "weight_decay": 0.1, "amsgrad": amsgrad}
    _, straight = run(torch_optim.AdamW, make_params(), two_groups, **kwargs)

    params = make_params()
    first, first_half = run(torch_optim.AdamW, params, two_groups, steps=LR_CHANGE_AT + 5, **kwargs)
    saved = save_and_load(first.state_dict())
    resumed_params = [p.detach().clone().requires_grad_() for p in params]
    resumed = torch_optim.AdamW(two_groups(resumed_params), lr=123.0)  # lr comes from the state
    resumed.load_state_dict(saved)
    assert resumed.param_groups[1]["lr"] == first.param_groups[1]["lr"]
    second_half = continue_run(resumed, resumed_params, STEPS - LR_CHANGE_AT - 5)
    assert_identical(first_half + second_half, straight)


@pytest.mark.parametrize(("saver", "loader"), [("ours", "torch"), ("torch", "ours")])
def test_state_dict_moves_between_our_adamw_and_torchs(saver, loader):
    classes = {"ours": torch_optim.AdamW, "torch": torch.optim.AdamW}
    kwargs = {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}
    _, reference = run(torch.optim.AdamW, make_params(), two_groups, **kwargs)

    params = make_params()
    first, _ = run(classes[saver], params, two_groups, steps=40, **kwargs)
    resumed = classes[loader](two_groups(params), **kwargs)
    resumed.load_state_dict(save_and_load(first.state_dict()))
    assert_identical(continue_run(resumed, params, 20), reference[40:])


def test_defaults_are_torchs():
    params = make_params()
    ours = torch_optim.AdamW(params).defaults
    theirs = torch.optim.AdamW(params).defaults
    names = ("lr", "betas", "eps", "weight_decay", "amsgrad")
    assert ours == {name: theirs[name] for name in names}
    assert ours == {
        "lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False
    }


@pytest.mark.parametrize(
    "kwargs",
    [{"lr": -1e-3}, {"eps": -1e-8}, {"betas": (1.0, 0.999)}, {"betas": (0.9, -0.1)},
     {"betas": (0.9, 1.0)}, {"weight_decay": -0.1}],
)
def test_bad_arguments_raise_torchs_error_after_a_japanese_one(kwargs):
    with pytest.raises(ValueError) as ours:
        torch_optim.AdamW(make_params(), **kwargs)
    with pytest.raises(ValueError) as theirs:
        torch.optim.AdamW(make_params(), **kwargs)
    japanese, english = str(ours.value).split(" / ")
    assert english == str(theirs.value)
    assert next(iter(kwargs)) in japanese


# ----------------------------------------------------------------------------------------------
# numpy ↔ torch, and the MLP's twin

# numpy and torch sum in different orders, so the twin agrees to round-off, not bit for bit.
# Measured (max |difference| / max |value|, 3 seeds × 3 activations): forward scores ≤ 5.6e-16,
# gradients ≤ 6.2e-16, parameters after 30 AdamW steps ≤ 5.9e-16 (≤ 7.8e-16 after 100).
# 1e-14 leaves a margin of more than 10x for other BLAS builds and summation orders.
TWIN_RTOL = 1e-14


@pytest.fixture(scope="module")
def digits():
    return dlopt.data.load_digits(n_train=256)


def assert_rel_close(actual, expected, rtol=TWIN_RTOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    worst = np.max(np.abs(actual - expected)) / np.max(np.abs(expected))
    assert worst <= rtol, f"relative difference {worst:.3g} > {rtol:g}"


def test_to_torch_and_to_numpy_copy_and_keep_dtype():
    params = {"W": np.arange(6.0).reshape(2, 3), "b": np.zeros(3, dtype=np.float32)}
    tensors = torch_optim.to_torch(params)
    assert tensors["W"].dtype == torch.float64 and tensors["b"].dtype == torch.float32
    assert not tensors["W"].requires_grad
    assert torch_optim.to_torch(params, requires_grad=True)["W"].requires_grad
    tensors["W"] += 1.0  # no shared memory
    assert params["W"][0, 0] == 0.0
    back = torch_optim.to_numpy(tensors)
    np.testing.assert_array_equal(back["W"], params["W"] + 1.0)
    assert back["b"].dtype == np.float32
    back["W"] += 1.0
    assert tensors["W"][0, 0] == 1.0


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_twin_has_the_same_weights_and_forward(digits, activation):
    model = dlopt.nn.MLP(64, [32, 16], 10, activation=activation, rng=1)
    net = torch_optim.mlp_to_torch(model)
    assert [type(layer).__name__ for layer in net] == [
        "Linear", type(model.layers[1]).__name__, "Linear", type(model.layers[1]).__name__, "Linear"
    ]
    assert net[0].weight.shape == (32, 64)
    twin_params = torch_optim.mlp_params_from_torch(net)
    assert twin_params.keys() == model.params.keys()
    for key in model.params:
        np.testing.assert_array_equal(twin_params[key], model.params[key])
    x = digits.x_train[:100]
    with torch.no_grad():
        scores = net(torch.from_numpy(x)).numpy()
    assert_rel_close(scores, model.forward(x))


def test_twin_is_independent_of_the_model():
    model = dlopt.nn.MLP(64, [8], 10)
    net = torch_optim.mlp_to_torch(model)
    with torch.no_grad():
        net[0].weight += 1.0
    assert not np.allclose(model.params["W1"].T, net[0].weight.detach().numpy())


def test_twin_keeps_float32(digits):
    model = dlopt.nn.MLP(64, [16], 10, dtype=np.float32)
    net = torch_optim.mlp_to_torch(model)
    assert all(p.dtype == torch.float32 for p in net.parameters())
    x = digits.x_train[:20].astype(np.float32)
    with torch.no_grad():
        assert_rel_close(net(torch.from_numpy(x)).numpy(), model.forward(x), rtol=1e-5)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_backprop_equals_autograd(digits, activation):
    model = dlopt.nn.MLP(64, [32, 16], 10, activation=activation, rng=2)
    net = torch_optim.mlp_to_torch(model)
    x, t = digits.x_train[:64], digits.t_train[:64]
    our_loss, grads = model.loss_and_gradient(x, t)
    loss = F.cross_entropy(net(torch.from_numpy(x)), torch.from_numpy(t))
    loss.backward()
    assert loss.item() == pytest.approx(our_loss, rel=1e-14)
    linears = [layer for layer in net if isinstance(layer, torch.nn.Linear)]
    for i, linear in enumerate(linears, start=1):
        assert_rel_close(linear.weight.grad.numpy().T, grads[f"W{i}"])
        assert_rel_close(linear.bias.grad.numpy(), grads[f"b{i}"])


def test_numpy_model_and_torch_twin_train_to_the_same_parameters(digits):
    """30 mini-batch steps: dlopt.AdamW on the numpy MLP; torch's and our AdamW on two twins."""
    model = dlopt.nn.MLP(64, [32, 16], 10, rng=3)
    net_torch, net_ours = torch_optim.mlp_to_torch(model), torch_optim.mlp_to_torch(model)
    kwargs = {"lr": 1e-2, "weight_decay": 0.1}
    numpy_opt = dlopt.AdamW(**kwargs)
    optimizers = [torch.optim.AdamW(net_torch.parameters(), **kwargs),
                  torch_optim.AdamW(net_ours.parameters(), **kwargs)]
    rng = np.random.default_rng(0)
    steps = 0
    while steps < 30:
        for x, t in dlopt.data.minibatches(digits.x_train, digits.t_train, 32, rng):
            if steps == 30:
                break
            numpy_opt.update(model.params, model.gradient(x, t))
            for net, optimizer in zip([net_torch, net_ours], optimizers, strict=True):
                optimizer.zero_grad()
                F.cross_entropy(net(torch.from_numpy(x)), torch.from_numpy(t)).backward()
                optimizer.step()
            steps += 1
    initial = dlopt.nn.MLP(64, [32, 16], 10, rng=3).params
    assert not np.allclose(model.params["W1"], initial["W1"])  # training moved the weights
    trained = torch_optim.mlp_params_from_torch(net_torch)
    for key, value in model.params.items():
        assert_rel_close(trained[key], value)
    for a, b in zip(net_ours.parameters(), net_torch.parameters(), strict=True):
        assert torch.equal(a, b)  # our torch AdamW and torch's: bit for bit, here too


def test_import_dlopt_does_not_import_torch():
    code = "import dlopt, sys; assert 'torch' not in sys.modules, 'dlopt imported torch'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_mlp_to_torch_leaves_the_model_unchanged():
    """mlp_to_torch reads the model without changing it."""
    model = dlopt.nn.MLP(64, [8], 10)
    before = copy.deepcopy(model.params)
    torch_optim.mlp_to_torch(model)
    for key in before:
        np.testing.assert_array_equal(model.params[key], before[key])
