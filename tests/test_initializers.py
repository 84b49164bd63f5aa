"""Tests of dlopt.initializers, with torch.nn.init as the oracle for fans, gains, stds and bounds.

Shapes: dlopt stores a dense weight as (fan_in, fan_out) (ゼロから作る); torch stores nn.Linear's
weight as (out, in). So a dlopt shape (fan_in, fan_out) is compared with a torch tensor of shape
(fan_out, fan_in). Convolution weights are (FN, C, FH, FW) = (out, in, kh, kw) in both.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlopt
from dlopt import initializers as init
from dlopt.nn import MLP

torch = pytest.importorskip("torch")

DENSE = [(784, 100), (64, 64), (100, 10), (3, 500)]
CONV = [(16, 3, 3, 3), (32, 16, 5, 5), (8, 1, 1, 7)]
LARGE = (400, 600)  # 240,000 draws: the sample std is within ~0.3 % of the true std


def torch_dense(shape):
    """An empty torch tensor laid out as torch's nn.Linear weight for dlopt's dense shape."""
    fan_in, fan_out = shape
    return torch.empty(fan_out, fan_in, dtype=torch.float64)


def expected_std(name, shape):
    fan_in, fan_out = init.fans(shape)
    return {
        "xavier_normal": math.sqrt(2 / (fan_in + fan_out)),
        "he_normal": math.sqrt(2 / fan_in),
        "lecun_normal": math.sqrt(1 / fan_in),
    }[name]


# ---------------------------------------------------------------------------------------------
# fans


@pytest.mark.parametrize("shape", DENSE)
def test_dense_fans_agree_with_torch_linear_layout(shape):
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch_dense(shape))
    assert init.fans(shape) == (fan_in, fan_out) == shape


@pytest.mark.parametrize("shape", CONV)
def test_conv_fans_agree_with_torch(shape):
    fn, c, fh, fw = shape
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init.fans(shape) == expected == (c * fh * fw, fn * fh * fw)


def test_fans_of_a_conv1d_weight_agree_with_torch():
    shape = (6, 4, 5)
    assert init.fans(shape) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize("shape", [(), (5,), [7]])
def test_fewer_than_two_dimensions_is_a_value_error(shape):
    with pytest.raises(ValueError, match="2 次元以上"):
        init.fans(shape)


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (-3, 4), (4, 3, 0, 3), (0, 3, 3, 3)])
def test_non_positive_fan_is_a_value_error(shape):
    with pytest.raises(ValueError, match="fan_in と fan_out は正の数"):
        init.fans(shape)


@pytest.mark.parametrize(
    "name", ["xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "lecun_normal"]
)
@pytest.mark.parametrize("shape", [(10,), (0, 10)])
def test_fan_based_initializers_reject_bad_shapes(name, shape):
    with pytest.raises(ValueError):
        init.INITIALIZERS[name](shape, rng=0)


# ---------------------------------------------------------------------------------------------
# formulas against torch.nn.init (std and bounds for the same fans)


@pytest.mark.parametrize("shape", DENSE + CONV)
def test_formulas_agree_with_torch_init(shape):
    w = torch.empty(shape[::-1] if len(shape) == 2 else shape)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(w)
    relu_gain = torch.nn.init.calculate_gain("relu")
    assert relu_gain == pytest.approx(math.sqrt(2))
    # torch.nn.init.xavier_normal_: std = gain * sqrt(2 / (fan_in + fan_out))
    assert expected_std("xavier_normal", shape) == pytest.approx(math.sqrt(2 / (fan_in + fan_out)))
    # torch.nn.init.kaiming_normal_(mode="fan_in", nonlinearity="relu"): std = gain / sqrt(fan_in)
    assert expected_std("he_normal", shape) == pytest.approx(relu_gain / math.sqrt(fan_in))
    # kaiming_normal_(nonlinearity="linear") = LeCun normal
    linear_gain = torch.nn.init.calculate_gain("linear")
    assert expected_std("lecun_normal", shape) == pytest.approx(linear_gain / math.sqrt(fan_in))
    # kaiming_uniform_ defaults (a=0, nonlinearity="leaky_relu") give gain sqrt(2)
    leaky_gain = torch.nn.init.calculate_gain("leaky_relu", 0)
    assert leaky_gain == pytest.approx(math.sqrt(2))
    assert leaky_gain * math.sqrt(3 / fan_in) == pytest.approx(math.sqrt(6 / fan_in))


def _sample_std_pairs():
    """(dlopt draw, torch draw, true std) on a large shape for each normal initializer."""
    torch.manual_seed(0)
    shape = LARGE
    xavier_t = torch.nn.init.xavier_normal_(torch_dense(shape))
    he_t = torch.nn.init.kaiming_normal_(torch_dense(shape), mode="fan_in", nonlinearity="relu")
    lecun_t = torch.nn.init.kaiming_normal_(torch_dense(shape), nonlinearity="linear")
    return {
        "xavier_normal": (init.xavier_normal(shape, rng=0), xavier_t.numpy()),
        "he_normal": (init.he_normal(shape, rng=0), he_t.numpy()),
        "lecun_normal": (init.lecun_normal(shape, rng=0), lecun_t.numpy()),
    }


@pytest.mark.parametrize("name", ["xavier_normal", "he_normal", "lecun_normal"])
def test_normal_sample_statistics_match_torch(name):
    ours, theirs = _sample_std_pairs()[name]
    std = expected_std(name, LARGE)
    assert ours.shape == LARGE and theirs.shape == LARGE[::-1]
    assert ours.std() == pytest.approx(std, rel=0.02)
    assert theirs.std() == pytest.approx(std, rel=0.02)
    assert ours.std() == pytest.approx(theirs.std(), rel=0.02)
    assert abs(ours.mean()) < 0.01 * std
    # normal, not uniform: about 4.6 % of the draws lie beyond 2 std
    assert np.mean(np.abs(ours) > 2 * std) == pytest.approx(0.0455, abs=0.003)


@pytest.mark.parametrize(
    ("ours", "torch_init", "bound"),
    [
        (init.xavier_uniform, torch.nn.init.xavier_uniform_, lambda i, o: math.sqrt(6 / (i + o))),
        (init.he_uniform, torch.nn.init.kaiming_uniform_, lambda i, o: math.sqrt(6 / i)),
    ],
    ids=["xavier_uniform", "he_uniform"],
)
def test_uniform_bounds_match_torch(ours, torch_init, bound):
    torch.manual_seed(0)
    a = bound(*LARGE)
    w = ours(LARGE, rng=0)
    t = torch_init(torch_dense(LARGE)).numpy()  # kaiming_uniform_ with its defaults a=0, leaky_relu
    for sample in (w, t):
        assert np.abs(sample).max() <= a  # respected
        assert np.abs(sample).max() > 0.999 * a  # and nearly reached
        assert sample.std() == pytest.approx(a / math.sqrt(3), rel=0.01)  # Var U(-a, a) = a²/3
    assert w.std() == pytest.approx(t.std(), rel=0.01)


def test_torch_linear_default_is_uniform_with_bound_one_over_sqrt_fan_in():
    torch.manual_seed(0)
    layer = torch.nn.Linear(400, 600)  # fan_in 400, weight (600, 400)
    w = layer.weight.detach().numpy()
    a = 1 / math.sqrt(400)
    assert np.abs(w).max() <= a + 1e-7 and np.abs(w).max() > 0.999 * a


@pytest.mark.parametrize("shape", CONV)
def test_conv_stds_use_conv_fans(shape):
    big = (shape[0] * 8, shape[1] * 8, *shape[2:])  # enough draws for a 3 % test
    fan_in, fan_out = init.fans(big)
    assert init.he_normal(big, rng=1).std() == pytest.approx(math.sqrt(2 / fan_in), rel=0.03)
    assert init.xavier_normal(big, rng=1).std() == pytest.approx(
        math.sqrt(2 / (fan_in + fan_out)), rel=0.03
    )
    a = math.sqrt(6 / fan_in)
    w = init.he_uniform(big, rng=1)
    assert np.abs(w).max() <= a


def test_gain_scales_xavier():
    g = torch.nn.init.calculate_gain("tanh")  # 5/3
    shape = LARGE
    std = g * math.sqrt(2 / sum(shape))
    assert init.xavier_normal(shape, gain=g, rng=0).std() == pytest.approx(std, rel=0.02)
    a = g * math.sqrt(6 / sum(shape))
    w = init.xavier_uniform(shape, gain=g, rng=0)
    assert np.abs(w).max() <= a and np.abs(w).max() > 0.999 * a
    np.testing.assert_allclose(
        init.xavier_normal(shape, gain=g, rng=3), g * init.xavier_normal(shape, rng=3), rtol=1e-14
    )


@pytest.mark.parametrize("gain", [-1.0, float("nan"), float("inf")])
def test_bad_gain_is_a_value_error(gain):
    with pytest.raises(ValueError, match="gain"):
        init.xavier_normal((3, 4), gain=gain)
    with pytest.raises(ValueError, match="gain"):
        init.xavier_uniform((3, 4), gain=gain)


def test_normal_and_zeros():
    w = init.normal(LARGE, std=0.01, rng=0)
    assert w.std() == pytest.approx(0.01, rel=0.02)
    assert init.normal((5,), rng=0).shape == (5,)  # biases are 1-D: no fans needed
    z = init.zeros((3, 4))
    assert z.shape == (3, 4) and not z.any()
    assert init.zeros(7).shape == (7,)
    with pytest.raises(ValueError, match="std"):
        init.normal((2, 2), std=-0.1)
    with pytest.raises(ValueError, match="std"):
        init.normal((2, 2), std=float("nan"))


# ---------------------------------------------------------------------------------------------
# rng: a Generator, an int seed or None


ALL = sorted(init.INITIALIZERS)


@pytest.mark.parametrize("name", ALL)
def test_same_seed_gives_identical_weights(name):
    f = init.INITIALIZERS[name]
    a, b = f((30, 20), rng=42), f((30, 20), rng=42)
    assert a.shape == (30, 20) and a.dtype == np.float64
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", [n for n in ALL if n != "zeros"])
def test_int_seed_equals_generator_with_that_seed(name):
    f = init.INITIALIZERS[name]
    np.testing.assert_array_equal(f((30, 20), rng=7), f((30, 20), rng=np.random.default_rng(7)))
    np.testing.assert_array_equal(f((30, 20), rng=np.int64(7)), f((30, 20), rng=7))
    assert not np.array_equal(f((30, 20), rng=7), f((30, 20), rng=8))


@pytest.mark.parametrize("name", [n for n in ALL if n != "zeros"])
def test_a_generator_advances_between_calls(name):
    f = init.INITIALIZERS[name]
    gen = np.random.default_rng(0)
    first, second = f((10, 10), rng=gen), f((10, 10), rng=gen)
    assert not np.array_equal(first, second)
    gen = np.random.default_rng(0)
    np.testing.assert_array_equal(f((10, 10), rng=gen), first)


def test_none_seed_draws_fresh_weights():
    a, b = init.he_normal((50, 50)), init.he_normal((50, 50), rng=None)
    assert a.shape == b.shape == (50, 50)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("rng", [1.5, "0", True, np.random.RandomState(0)])
def test_bad_rng_is_a_type_error(rng):
    with pytest.raises(TypeError, match="rng"):
        init.he_normal((3, 3), rng=rng)


# ---------------------------------------------------------------------------------------------
# dlopt.nn.MLP(weight_init=...)


def _weights(model):
    return [model.params[f"W{i}"] for i in range(1, len(model.affines) + 1)]


@pytest.mark.parametrize("name", [n for n in ALL if n != "zeros"])
def test_mlp_takes_an_initializer_by_name(name):
    model = MLP(64, [50, 30], 10, weight_init=name, rng=0)
    gen = np.random.default_rng(0)
    for W, shape in zip(_weights(model), [(64, 50), (50, 30), (30, 10)], strict=True):
        np.testing.assert_array_equal(W, init.INITIALIZERS[name](shape, rng=gen))
    for i in (1, 2, 3):
        assert not model.params[f"b{i}"].any()


def test_mlp_takes_zeros_by_name():
    model = MLP(8, [4], 3, weight_init="zeros")
    assert all(not W.any() for W in _weights(model))


def test_mlp_takes_an_initializer_function():
    calls = []

    def constant(shape, rng=None):
        calls.append(shape)
        return np.full(shape, 0.25)

    model = MLP(6, [5, 4], 3, weight_init=constant)
    assert calls == [(6, 5), (5, 4), (4, 3)]
    assert all((W == 0.25).all() for W in _weights(model))
    model = MLP(64, [40], 10, weight_init=init.lecun_normal, rng=3)
    np.testing.assert_array_equal(model.params["W1"], init.lecun_normal((64, 40), rng=3))


@pytest.mark.parametrize("std", [0.01, 1.0, 2])
def test_mlp_takes_a_float_std(std):
    model = MLP(300, [400], 10, weight_init=std, rng=0)
    assert model.params["W1"].std() == pytest.approx(std, rel=0.02)
    gen = np.random.default_rng(0)
    np.testing.assert_array_equal(model.params["W1"], init.normal((300, 400), std=std, rng=gen))


def test_mlp_takes_a_float_std_of_zero():  # 0.0 is a std, not "use the default"
    model = MLP(8, [4], 3, weight_init=0.0)
    assert all(not W.any() for W in _weights(model))


@pytest.mark.parametrize("name", ["he", "xavier", "Xavier_normal", "glorot_uniform", "kaiming"])
def test_mlp_rejects_unknown_initializer_names(name):
    with pytest.raises(ValueError, match="weight_init"):
        MLP(8, [4], 3, weight_init=name)


def test_mlp_default_is_he_for_relu_and_xavier_for_sigmoid_and_tanh():
    defaults = {"relu": "he_normal", "sigmoid": "xavier_normal", "tanh": "xavier_normal"}
    for activation, name in defaults.items():
        model = MLP(20, [30], 5, activation=activation, rng=0)
        np.testing.assert_array_equal(model.params["W1"], init.INITIALIZERS[name]((20, 30), rng=0))


def test_mlp_with_same_seed_is_reproducible():
    a = MLP(64, [32], 10, weight_init="xavier_uniform", rng=5)
    b = MLP(64, [32], 10, weight_init="xavier_uniform", rng=np.random.default_rng(5))
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])


def test_initializers_listed_in_design_are_exported():
    for name in ["zeros", "normal", "xavier_normal", "xavier_uniform", "he_normal", "he_uniform",
                 "lecun_normal", "fans"]:
        assert callable(getattr(dlopt.initializers, name))
        assert name in init.__all__
