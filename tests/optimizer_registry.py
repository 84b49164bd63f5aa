"""One registry of the optimizers, in the style of PyTorch's ``OptimizerInfo``
(torch/testing/_internal/common_optimizers.py): every optimizer test is driven by this table.

Each ``OptimizerInfo`` names the dlopt class, its torch.optim counterpart (class name and the
torch-only keyword arguments that select the same algorithm), the variants to run (keyword
arguments shared by both; together they reach every code path), and the error inputs (keyword
arguments that must be refused, with the argument name the message must contain).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import dlopt

_BAD_BETAS = [(1.0, 0.999), (-0.1, 0.999), (0.9, 1.0), (0.9, -1e-3), (0.9, float("nan")), (0.9,), 0.9]


@dataclass(frozen=True)
class OptimizerInfo:
    cls: type
    torch_name: str
    torch_kwargs: dict = field(default_factory=dict)
    variants: list[dict] = field(default_factory=list)
    error_inputs: list[tuple[dict, str]] = field(default_factory=list)

    def all_error_inputs(self) -> list[tuple[dict, str]]:
        """The class's own error inputs plus those every optimizer shares."""
        names = self.cls.hyperparameters
        shared = [({"lr": -1e-3}, "lr"), ({"lr": float("nan")}, "lr"), ({"lr": "0.1"}, "lr"),
                  ({"weight_decay": -0.1}, "weight_decay")]
        if "eps" in names:
            shared += [({"eps": -1e-8}, "eps")]
        if "momentum" in names:
            shared += [({"momentum": -0.5}, "momentum")]
        if "betas" in names:
            shared += [({"betas": betas}, "betas") for betas in _BAD_BETAS]
        return shared + self.error_inputs


OPTIMIZERS = [
    OptimizerInfo(
        dlopt.SGD, "SGD",
        variants=[{"lr": 0.05}, {"lr": 0.05, "weight_decay": 0.1}],
    ),
    OptimizerInfo(
        dlopt.Momentum, "SGD", {"momentum": 0.9},
        variants=[{"lr": 0.02, "momentum": 0.9},
                  {"lr": 0.02, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05},
                  {"lr": 0.02, "momentum": 0.0, "dampening": 0.5}],  # torch keeps no buffer at α = 0
        error_inputs=[({"dampening": -0.1}, "dampening")],
    ),
    OptimizerInfo(
        dlopt.Nesterov, "SGD", {"momentum": 0.9, "nesterov": True},
        variants=[{"lr": 0.02, "momentum": 0.9}, {"lr": 0.02, "momentum": 0.99, "weight_decay": 0.01}],
        error_inputs=[({"momentum": 0.0}, "momentum")],
    ),
    OptimizerInfo(
        dlopt.AdaGrad, "Adagrad",
        variants=[{"lr": 0.1}, {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.05},
                  {"lr": 0.3, "initial_accumulator_value": 0.1, "eps": 1e-6}],
        error_inputs=[({"lr_decay": -0.1}, "lr_decay"),
                      ({"initial_accumulator_value": -1.0}, "initial_accumulator_value")],
    ),
    OptimizerInfo(
        dlopt.RMSProp, "RMSprop",
        variants=[{"lr": 0.01}, {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.01},
                  {"lr": 0.01, "centered": True}, {"lr": 0.005, "momentum": 0.9},
                  {"lr": 0.005, "momentum": 0.5, "centered": True, "alpha": 0.3}],
        error_inputs=[({"alpha": 1.0}, "alpha"), ({"alpha": -0.1}, "alpha"),
                      ({"centered": "yes"}, "centered")],
    ),
    OptimizerInfo(
        dlopt.AdaDelta, "Adadelta",
        variants=[{}, {"lr": 0.5, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.1}],
        error_inputs=[({"rho": 1.5}, "rho")],
    ),
    OptimizerInfo(
        dlopt.Adam, "Adam",
        variants=[{"lr": 0.01}, {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.05},
                  {"lr": 0.01, "amsgrad": True},
                  {"lr": 0.01, "betas": (0.0, 0.99), "amsgrad": True, "weight_decay": 0.1}],
        error_inputs=[({"amsgrad": None}, "amsgrad")],
    ),
    OptimizerInfo(
        dlopt.AdamW, "AdamW",
        variants=[{"lr": 0.01}, {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True},
                  {"lr": 0.01, "weight_decay": 0.0}],
    ),
    OptimizerInfo(
        dlopt.NAdam, "NAdam",
        variants=[{"lr": 0.01}, {"lr": 0.01, "momentum_decay": 0.1, "weight_decay": 0.05},
                  {"lr": 0.01, "betas": (0.5, 0.9), "momentum_decay": 0.0}],
        error_inputs=[({"momentum_decay": -4e-3}, "momentum_decay")],
    ),
    OptimizerInfo(
        dlopt.RAdam, "RAdam",
        variants=[{"lr": 0.01},  # ρ_t > 5 from step 6 on: both branches run
                  {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 0.05},
                  {"lr": 0.01, "betas": (0.9, 0.9)}],  # ρ_∞ = 19: the first steps skip the adaptive step
    ),
]

CLASSES = [info.cls for info in OPTIMIZERS]
VARIANTS = [(info.cls, kwargs) for info in OPTIMIZERS for kwargs in info.variants]
VARIANT_IDS = [cls.__name__ + "".join(f"-{k}={v}" for k, v in kw.items()) for cls, kw in VARIANTS]
INFO = {info.cls: info for info in OPTIMIZERS}

SHAPES = {"W": (4, 3), "b": (3,), "s": ()}


def start_params(dtype=np.float64, seed: int = 0, shapes=SHAPES) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: np.asarray(rng.normal(size=shape), dtype=dtype) for k, shape in shapes.items()}


def gradients(params: dict, step: int) -> dict:
    """∇(½θ² + 0.3 cos θ) plus a step-dependent term: the gradient depends on the parameter."""
    out = {}
    for i, (k, p) in enumerate(params.items()):
        p = np.asarray(p)
        wave = np.cos(step + i + np.arange(p.size).reshape(p.shape))
        out[k] = (p - 0.3 * np.sin(p) + 0.5 * wave).astype(p.dtype)
    return out


def run(opt, params: dict, steps: range) -> None:
    for step in steps:
        opt.update(params, gradients(params, step))


def assert_same_state(a: dict, b: dict) -> None:
    """Two state_dicts are equal: class, hyperparameters, step counts and every array bit for bit."""
    assert a["class"] == b["class"]
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
