"""Auto-graded 穴埋め (fill-in-the-blank) problems.

Chapters call ``dlopt.exercises.check("adagrad_step", answer)``; ``check`` and ``Verdict`` are the
grading engine (``grader``), ``inputs`` holds the random-input generators the problems share, and one
module per chapter, in the book's toc order, registers that chapter's problems in ``PROBLEMS`` when
it is imported. The reference solutions are attributes of this package too
(``dlopt.exercises.initialization_he_std``).
"""

# ruff: noqa: I001  (the chapter modules are imported in the book's toc order, which orders PROBLEMS)

from .grader import PROBLEMS, Problem, Verdict, check, register

from .initialization import initialization_he_std, initialization_xavier_std
from .gradient_descent import gradient_descent_learning_rates
from .sgd import sgd_class, sgd_minibatch_step
from .momentum import momentum_class, momentum_step
from .nesterov import nesterov_class, nesterov_step
from .adagrad import adagrad_class, adagrad_step
from .rmsprop import rmsprop_class, rmsprop_step
from .adam import adam_class, adam_step
from .adamw import adamw_class, adamw_step
from .early_stopping import early_stopping_stop_epoch
from .lr_schedules import lr_schedules_warmup_cosine
from .choosing import choosing_best_lr, choosing_mean_std
from .pytorch import pytorch_clip_grad_norm, pytorch_param_groups
from .distributed import distributed_warmup_lr
from .adafactor_lion import adafactor_step, lion_step
from .muon import muon_adjusted_lr, muon_step
from .schedule_free import schedule_free_sgd_step, schedule_free_weights
from .exam_practice import (
    exam_adam_bias_correction,
    exam_adamw_decay,
    exam_cosine_lr,
    exam_early_stopping_counter,
    exam_he_normal,
    exam_momentum_velocity,
    exam_rmsprop_step,
)

__all__ = [
    "Problem", "PROBLEMS", "Verdict", "check", "register",
    "initialization_he_std", "initialization_xavier_std", "gradient_descent_learning_rates",
    "sgd_minibatch_step", "momentum_step", "nesterov_step", "adagrad_step", "rmsprop_step", "adam_step",
    "adamw_step", "early_stopping_stop_epoch", "lr_schedules_warmup_cosine", "choosing_mean_std",
    "choosing_best_lr", "pytorch_param_groups", "pytorch_clip_grad_norm",
    "distributed_warmup_lr", "adafactor_step", "lion_step",
    "muon_adjusted_lr", "muon_step", "schedule_free_sgd_step", "schedule_free_weights",
    "exam_momentum_velocity", "exam_adam_bias_correction",
    "exam_adamw_decay", "exam_early_stopping_counter", "exam_rmsprop_step", "exam_he_normal",
    "exam_cosine_lr", "sgd_class", "momentum_class", "nesterov_class", "adagrad_class", "rmsprop_class",
    "adam_class", "adamw_class",
]
