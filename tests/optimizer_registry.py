"""One registry of the optimizers, in the style of PyTorch's ``OptimizerInfo``
(torch/testing/_internal/common_optimizers.py): every optimizer test is driven by this table.

Each ``OptimizerInfo`` names the dlopt class, its reference (a torch.optim class name, or
"package.Class" for a reference of another package such as lion_pytorch or schedulefree) with the
reference-only keyword arguments that select the same algorithm, the variants to run (keyword
arguments shared by both; together they reach every code path), the error inputs (keyword
arguments that must be refused, with the argument name the message must contain), and, where an
optimizer departs from the common case, the parameter shapes the tests build and what the shared
tests may expect of it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np

import dlopt

_BAD_BETAS = [(1.0, 0.999), (-0.1, 0.999), (0.9, 1.0), (0.9, -1e-3), (0.9, float("nan")), (0.9,), 0.9]

# A matrix, a stack of matrices (Adafactor factors the last two axes), a vector and a 0-d array.
SHAPES = {"W": (4, 3), "b": (3,), "s": (), "T": (2, 3, 4)}
# For an optimizer of matrices only (Muon): a tall, a wide and a square one.
MATRICES = {"W": (4, 3), "b": (3, 5), "s": (2, 2)}


@dataclass(frozen=True)
class OptimizerInfo:
    cls: type
    reference: str
    reference_kwargs: dict = field(default_factory=dict)
    variants: list[dict] = field(default_factory=list)
    error_inputs: list[tuple[dict, str]] = field(default_factory=list)
    shapes: dict = field(default_factory=lambda: SHAPES)
    free_run_oracle: bool = True  # False: compared with the reference step by step instead (Muon)
    zero_lr_freezes: bool = True  # False: the parameters still move when η = 0 (Schedule-Free)

    def reference_class(self) -> type:
        """torch.optim.<reference>, or the class "package.Class" names."""
        module, _, name = self.reference.rpartition(".")
        return getattr(importlib.import_module(module or "torch.optim"), name)

    @property
    def takes_any_shape(self) -> bool:
        """Vectors, 0-d arrays and Python floats too, not only matrices."""
        return self.shapes == SHAPES

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
    OptimizerInfo(
        dlopt.Adafactor, "Adafactor",
        variants=[{"lr": 0.05},  # ρ_t = η: relative steps of 5 %, clipped at d = 1
                  {"lr": 0.5, "beta2_decay": -0.5, "eps": (1e-30, 2.0), "d": 2.0, "weight_decay": 0.1},
                  {"lr": 0.2, "eps": (None, 1e-3), "d": 1.5}],  # ρ_t = 1/√t from step 26 on
        error_inputs=[({"beta2_decay": 0.5}, "beta2_decay"), ({"eps": (None, -1e-3)}, "eps"),
                      ({"eps": (-1e-30, 1e-3)}, "eps"), ({"eps": 1e-3}, "eps"), ({"eps": (None,)}, "eps"),
                      ({"d": 0.5}, "d=0.5")],
    ),
    OptimizerInfo(
        dlopt.Lion, "lion_pytorch.Lion",
        variants=[{"lr": 1e-3}, {"lr": 3e-3, "betas": (0.95, 0.98), "weight_decay": 1.0},
                  {"lr": 1e-3, "betas": (0.0, 0.5)}],
    ),
    OptimizerInfo(
        dlopt.Muon, "Muon",
        variants=[{"lr": 0.02},
                  {"lr": 0.02, "nesterov": False, "weight_decay": 0.0, "adjust_lr_fn": "original"},
                  {"lr": 0.02, "momentum": 0.5, "adjust_lr_fn": "match_rms_adamw", "ns_steps": 3},
                  {"lr": 0.02, "momentum": 0.0, "ns_coefficients": (1.5, -0.5, 0.0), "ns_steps": 10,
                   "eps": 1e-3}],  # the cubic Newton–Schulz iteration
        error_inputs=[({"momentum": 1.0}, "momentum"), ({"nesterov": 1}, "nesterov"),
                      ({"ns_coefficients": (1.0, 2.0)}, "ns_coefficients"),
                      ({"ns_coefficients": (1.0, 2.0, float("inf"))}, "ns_coefficients"),
                      ({"ns_steps": -1}, "ns_steps"), ({"ns_steps": 100}, "ns_steps"),
                      ({"ns_steps": 2.0}, "ns_steps"), ({"adjust_lr_fn": "rms"}, "adjust_lr_fn")],
        shapes=MATRICES,
        free_run_oracle=False,  # one bfloat16 rounding flip sends the iterates on another path
    ),
    OptimizerInfo(
        dlopt.ScheduleFreeAdamW, "schedulefree.AdamWScheduleFree",
        variants=[{"lr": 0.01},
                  {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.05},
                  {"lr": 0.02, "warmup_steps": 10, "r": 1.0, "weight_lr_power": 0.5},
                  {"lr": 0.02, "warmup_steps": 100, "weight_lr_power": 0.0}],  # η changes mid-warm-up
        error_inputs=[({"betas": (0.0, 0.999)}, "betas"), ({"warmup_steps": -1}, "warmup_steps"),
                      ({"warmup_steps": 1.5}, "warmup_steps"), ({"r": -1.0}, "r=-1.0"),
                      ({"weight_lr_power": -2.0}, "weight_lr_power")],
        zero_lr_freezes=False,  # y keeps moving toward z: x averages in z with weight c_t > 0
    ),
    OptimizerInfo(
        dlopt.LARS, "pytorch_optimizer.LARS", {"dampening": 0.0, "nesterov": False},
        variants=[{"lr": 0.5},  # c = 1e-3: the matrices move by about η c ‖θ‖ per step
                  {"lr": 1.0, "weight_decay": 0.05, "trust_coefficient": 0.02},
                  {"lr": 0.02, "momentum": 0.0, "trust_coefficient": 1.0}],
        error_inputs=[({"momentum": 1.0}, "momentum"), ({"momentum": -0.1}, "momentum"),
                      ({"trust_coefficient": -1e-3}, "trust_coefficient"),
                      ({"trust_coefficient": float("inf")}, "trust_coefficient")],
    ),
    OptimizerInfo(
        dlopt.LAMB, "pytorch_optimizer.Lamb", {"adam_debias": False},
        variants=[{"lr": 0.01},
                  {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-4, "weight_decay": 0.1},  # decoupled decay
                  {"lr": 0.01, "weight_decay": 0.1, "weight_decouple": False},  # λθ inside the trust ratio
                  {"lr": 0.02, "adam_debias": True, "betas": (0.0, 0.99)}],
        error_inputs=[({"weight_decouple": 1}, "weight_decouple"), ({"adam_debias": "no"}, "adam_debias")],
    ),
]

CLASSES = [info.cls for info in OPTIMIZERS]
VARIANTS = [(info.cls, kwargs) for info in OPTIMIZERS for kwargs in info.variants]
VARIANT_IDS = [cls.__name__ + "".join(f"-{k}={v}" for k, v in kw.items()) for cls, kw in VARIANTS]
INFO = {info.cls: info for info in OPTIMIZERS}


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
