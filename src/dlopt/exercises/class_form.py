"""穴埋め in the exam's class form: the reader writes a class as in ゼロから作る and the E資格,

    class Momentum:
        def __init__(self, lr=0.01, momentum=0.9): ...
        def update(self, params, grads): ...   # params and grads are dicts; params change in place

and ``check("momentum_class", Momentum)`` runs it for several steps on several keys, side by side with
the matching dlopt optimizer. A class problem registers ``adapter=run_class``: the grader turns the
reader's class into a function of ``(settings, params, grads)`` that returns the parameters after
every step, the same thing ``dlopt_run`` returns for the reference.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["class_inputs", "dlopt_run", "run_class"]

_SHAPES = ((3, 2), (2,), (1, 4))  # a weight, a bias, a row: three keys, three shapes


def class_inputs(rng: np.random.Generator, settings: dict, steps: int = 6) -> dict:
    """``{"settings": settings, "params": {"W1", "b1", "W2"}, "grads": [one dict a step]}``, from N(0, 1)."""
    params = {key: rng.normal(size=shape) for key, shape in zip(("W1", "b1", "W2"), _SHAPES, strict=True)}
    grads = [{key: rng.normal(size=p.shape) for key, p in params.items()} for _ in range(steps)]
    return {"settings": settings, "params": params, "grads": grads}


def _snapshot(params: dict) -> tuple:
    return tuple(np.array(params[key], dtype=float) for key in sorted(params))


def dlopt_run(optimizer, params: dict, grads: list[dict], before_step: Callable | None = None) -> tuple:
    """The parameters (keys in sorted order) after each of ``len(grads)`` updates of ``optimizer``.
    ``before_step(optimizer, t)`` (t from 1) may set a hyperparameter before update t."""
    snapshots = []
    for t, step_grads in enumerate(grads, start=1):
        if before_step is not None:
            before_step(optimizer, t)
        optimizer.update(params, step_grads)
        snapshots.append(_snapshot(params))
    return tuple(snapshots)


def run_class(cls: type) -> Callable:
    """The reader's class as a function of the problem's inputs: ``cls(**settings)``, then one
    ``update(params, grads)`` a step; the parameters after each step, as ``dlopt_run`` gives them."""

    def run(settings: dict, params: dict, grads: list[dict]) -> tuple:
        optimizer = cls(**settings)
        snapshots = []
        for step_grads in grads:
            optimizer.update(params, step_grads)
            snapshots.append(_snapshot(params))
        return tuple(snapshots)

    run.__wrapped_class__ = cls
    return run
