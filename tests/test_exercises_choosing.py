"""The 穴埋め graders of chapters/choosing.ipynb: the references pass, typical mistakes are rejected.

- "choosing_mean_std": per method, the mean over seeds and the sample standard deviation (ddof=1);
- "choosing_best_lr": the learning rate with the lowest validation loss, ties going to the smaller one.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlopt.exercises import PROBLEMS, check

MEAN_STD = "choosing_mean_std"
BEST_LR = "choosing_best_lr"


# --- choosing_mean_std ---------------------------------------------------------------------------


def mean_std_chapter(results):
    """The filled-in function of the chapter's solution."""
    mean = results.mean(axis=1)
    std = results.std(axis=1, ddof=1)
    return mean, std


def mean_std_by_hand(results):
    n = results.shape[1]
    mean = results.sum(axis=1) / n
    std = np.sqrt(((results - mean[:, None]) ** 2).sum(axis=1) / (n - 1))
    return mean, std


def mean_std_population(results):
    """The typical mistake: np.std's default ddof=0 divides by n, not n − 1."""
    return results.mean(axis=1), results.std(axis=1)


def mean_std_wrong_axis(results):
    return results.mean(axis=0), results.std(axis=0, ddof=1)


def mean_std_variance(results):
    return results.mean(axis=1), results.var(axis=1, ddof=1)


def mean_std_standard_error(results):
    """The standard error s/√n is a different quantity from the standard deviation s."""
    n = results.shape[1]
    return results.mean(axis=1), results.std(axis=1, ddof=1) / np.sqrt(n)


def mean_std_swapped(results):
    return results.std(axis=1, ddof=1), results.mean(axis=1)


def mean_std_blank(results):
    return results.mean(axis=___), results.std(axis=1, ddof=1)  # noqa: F821  (the reader's blank)


@pytest.mark.parametrize("answer", [PROBLEMS[MEAN_STD].reference, mean_std_chapter, mean_std_by_hand])
def test_mean_std_correct_answers_pass(answer):
    verdict = check(MEAN_STD, answer)
    assert verdict, verdict.message
    assert "正解です" in verdict.message


@pytest.mark.parametrize(
    "answer",
    [mean_std_population, mean_std_wrong_axis, mean_std_variance, mean_std_standard_error, mean_std_swapped],
)
def test_mean_std_typical_mistakes_are_rejected(answer):
    verdict = check(MEAN_STD, answer)
    assert not verdict
    assert "不正解" in verdict.message


def test_mean_std_ddof_mismatch_is_rejected_on_every_input():
    """ddof=0 vs ddof=1 differs by a factor √((n − 1)/n) ≤ 0.91: far beyond the tolerance, always."""
    problem = PROBLEMS[MEAN_STD]
    rng = np.random.default_rng(0)
    for _ in range(problem.trials):
        inputs = problem.make_inputs(rng)
        _, expected = problem.reference(**inputs)
        _, got = mean_std_population(**inputs)
        assert not np.allclose(got, expected, rtol=problem.rtol, atol=problem.atol)
        n_methods, n_seeds = inputs["results"].shape
        assert 2 <= n_seeds <= 6 and n_methods != n_seeds


def test_mean_std_reference_matches_the_chapter_table():
    """The chapter prints mean ± std with np.std(ddof=1): the reference computes the same numbers."""
    results = np.array([[0.13, 0.14, 0.12], [0.16, 0.15, 0.17]])
    mean, std = PROBLEMS[MEAN_STD].reference(results)
    np.testing.assert_allclose(mean, [0.13, 0.16])
    np.testing.assert_allclose(std, [0.01, 0.01])


def test_mean_std_blank_is_reported_without_running():
    verdict = check(MEAN_STD, mean_std_blank)
    assert not verdict
    assert "空欄" in verdict.message


# --- choosing_best_lr ----------------------------------------------------------------------------


def best_lr_chapter(lrs, val_losses):
    """The filled-in function of the chapter's solution."""
    lrs = np.asarray(lrs, dtype=float)
    val_losses = np.asarray(val_losses, dtype=float)
    tied = lrs[val_losses == val_losses.min()]
    return float(np.min(tied))


def best_lr_sorted_key(lrs, val_losses):
    """The chapter's own code: min over (loss, lr) pairs."""
    return min(zip(val_losses, lrs, strict=True))[1]


def best_lr_first_argmin(lrs, val_losses):
    """The typical mistake: np.argmin returns the FIRST minimum, which need not be the smaller η."""
    return float(np.asarray(lrs)[np.argmin(val_losses)])


def best_lr_largest_on_ties(lrs, val_losses):
    lrs = np.asarray(lrs, dtype=float)
    val_losses = np.asarray(val_losses, dtype=float)
    return float(lrs[val_losses == val_losses.min()].max())


def best_lr_argmax(lrs, val_losses):
    return float(np.asarray(lrs)[np.argmax(val_losses)])


def best_lr_returns_index(lrs, val_losses):
    return int(np.argmin(val_losses))


def best_lr_returns_loss(lrs, val_losses):
    return float(np.min(val_losses))


def best_lr_sorts_only_lrs(lrs, val_losses):
    """Sorting the learning rates without their losses breaks the pairing."""
    return float(np.sort(lrs)[np.argmin(val_losses)])


def best_lr_blank(lrs, val_losses):
    return float(___)  # noqa: F821  (the reader's blank)


@pytest.mark.parametrize("answer", [PROBLEMS[BEST_LR].reference, best_lr_chapter, best_lr_sorted_key])
def test_best_lr_correct_answers_pass(answer):
    verdict = check(BEST_LR, answer)
    assert verdict, verdict.message
    assert "正解です" in verdict.message


@pytest.mark.parametrize(
    "answer",
    [
        best_lr_first_argmin,
        best_lr_largest_on_ties,
        best_lr_argmax,
        best_lr_returns_index,
        best_lr_returns_loss,
        best_lr_sorts_only_lrs,
    ],
)
def test_best_lr_typical_mistakes_are_rejected(answer):
    verdict = check(BEST_LR, answer)
    assert not verdict
    assert "不正解" in verdict.message


def test_best_lr_inputs_contain_ties_that_argmin_gets_wrong():
    """Not by luck: several of the grader's inputs tie at the minimum with the larger η listed first."""
    problem = PROBLEMS[BEST_LR]
    rng = np.random.default_rng(0)
    traps = 0
    for _ in range(problem.trials):
        inputs = problem.make_inputs(rng)
        losses = np.asarray(inputs["val_losses"])
        assert np.isfinite(losses).any()
        if best_lr_first_argmin(**inputs) != problem.reference(**inputs):
            traps += 1
    assert traps >= 3


def test_best_lr_examples():
    reference = PROBLEMS[BEST_LR].reference
    assert reference([0.1, 0.01, 0.03], [0.2, 0.15, 0.15]) == 0.01
    assert reference([1.0, 0.3], [np.inf, 0.5]) == 0.3
    assert reference([0.003], [0.16]) == 0.003


def test_best_lr_blank_is_reported_without_running():
    verdict = check(BEST_LR, best_lr_blank)
    assert not verdict
    assert "空欄" in verdict.message
