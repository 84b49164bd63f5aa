"""dlopt: the companion package of 深層学習の最適化 (optimization for deep learning).

Optimizers in numpy that compute exactly what torch.optim computes, initializers, early stopping,
learning-rate schedules, a small MLP, the digits data, the book's plots, kernel-free interactive
figures (``interactive``), and ``progress`` (a line that counts a long loop in a notebook).
``import dlopt`` needs numpy and matplotlib only; ``dlopt.torch_optim`` needs torch.
"""

from . import (
    checkpoint,
    data,
    exam,
    exercises,
    functions,
    initializers,
    interactive,
    nn,
    schedules,
    training,
    validation,
)
from .checkpoint import load_checkpoint, save_checkpoint
from .display import show_source
from .early_stopping import EarlyStopping
from .functions import beale, elliptic, rosenbrock, saddle, trajectory
from .large_batch import LAMB, LARS
from .modern import Adafactor, Lion, Muon, ScheduleFreeAdamW
from .optimizers import (
    SGD,
    AdaDelta,
    AdaGrad,
    Adam,
    AdamW,
    Momentum,
    NAdam,
    Nesterov,
    Optimizer,
    RAdam,
    RMSProp,
)
from .progress import progress
from .training import History, TrainingDiverged, fit

__version__ = "0.1.0"

__all__ = [
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam", "AdamW", "NAdam",
    "RAdam", "Adafactor", "Lion", "Muon", "ScheduleFreeAdamW", "LARS", "LAMB",
    "Optimizer", "EarlyStopping", "History", "TrainingDiverged", "fit", "trajectory", "show_source",
    "save_checkpoint", "load_checkpoint", "elliptic", "rosenbrock", "beale", "saddle",
    "checkpoint", "data", "exam", "exercises", "functions", "initializers", "nn", "schedules", "training",
    "validation", "progress", "interactive",
]
