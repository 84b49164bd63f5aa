"""穴埋め of chapters/choosing: summarizing runs over seeds, and choosing the learning rate."""

from __future__ import annotations

import numpy as np

from .grader import register


def _mean_std_inputs(rng):
    # results[i, s]: the validation loss of method i trained with seed s. The numbers of methods and
    # of seeds differ, so averaging over the wrong axis gives the wrong shape; 2..6 seeds make
    # ddof=0 differ from ddof=1 by a factor √((n − 1)/n) between 0.71 and 0.91.
    n_methods = int(rng.integers(2, 6))
    n_seeds = int(rng.choice([s for s in range(2, 7) if s != n_methods]))
    return {"results": rng.normal(0.15, 0.01, size=(n_methods, n_seeds))}


@register("choosing_mean_std", "シードをまとめる：平均と標本標準偏差（ddof=1）", _mean_std_inputs)
def choosing_mean_std(results):
    """Per method (row): the mean over seeds (columns) and the sample standard deviation (ddof=1)."""
    results = np.asarray(results, dtype=float)
    return results.mean(axis=1), results.std(axis=1, ddof=1)


def _best_lr_inputs(rng):
    # Learning rates from the ×3 ladder in random order, and validation losses drawn from a few
    # values so that the minimum is often shared (np.inf marks a diverged run; at least one is finite).
    ladder = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0]
    n = int(rng.integers(3, 8))
    lrs = [float(x) for x in rng.choice(ladder, size=n, replace=False)]
    losses = [float(x) for x in rng.choice([0.15, 0.15, 0.16, 0.2, np.inf], size=n)]
    if all(np.isinf(losses)):
        losses[int(rng.integers(n))] = 0.2
    return {"lrs": lrs, "val_losses": losses}


@register("choosing_best_lr", "学習率の選択：検証損失が最小の η（同点なら小さい η）", _best_lr_inputs)
def choosing_best_lr(lrs, val_losses):
    """The learning rate with the lowest validation loss; among ties, the smallest learning rate."""
    lrs = np.asarray(lrs, dtype=float)
    val_losses = np.asarray(val_losses, dtype=float)
    return float(lrs[val_losses == val_losses.min()].min())
