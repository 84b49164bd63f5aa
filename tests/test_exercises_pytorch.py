"""The 穴埋め grader of chapters/pytorch.ipynb: the reference passes, typical mistakes fail."""

from __future__ import annotations

import numpy as np
import pytest

from dlopt.exercises import PROBLEMS, check

NAME = "pytorch_param_groups"


def by_rule(decays):
    """An answer that gives λ to the parameters for which ``decays(name, array)`` is true."""

    def answer(params, weight_decay):
        return np.array([weight_decay if decays(name, p) else 0.0 for name, p in params.items()])

    return answer


def chapter_solution(params, weight_decay):
    decays = []
    for p in params.values():
        decays.append(weight_decay if p.ndim >= 2 else 0.0)
    return np.array(decays)


def blank(params, weight_decay):
    decays = []
    for p in params.values():
        decays.append(weight_decay if p.___ >= ___ else 0.0)  # the chapter's two blanks
    return np.array(decays)


def test_reference_and_the_chapter_solution_pass():
    assert check(NAME, PROBLEMS[NAME].reference)
    verdict = check(NAME, chapter_solution)
    assert verdict, verdict.message
    assert "正解です" in verdict.message


def test_a_list_of_floats_is_accepted_too():
    assert check(NAME, lambda params, weight_decay: [weight_decay if p.ndim > 1 else 0.0
                                                     for p in params.values()])


@pytest.mark.parametrize(
    "rule",
    [
        lambda name, p: p.ndim == 2,  # conv weights left out
        lambda name, p: p.ndim >= 1,  # biases and norm layers decay
        lambda name, p: p.ndim >= 3,  # dense weights and embeddings left out
        lambda name, p: p.size >= 2,  # biases decay (by size, not ndim)
        lambda name, p: p.ndim > 2,  # only conv weights
        lambda name, p: p.ndim != 1,  # the 0-d scalar decays
        lambda name, p: "weight" in name,  # the 1-D norm.weight decays
        lambda name, p: p.size > 1,  # biases decay
        lambda name, p: p.ndim < 2,  # inverted
        lambda name, p: True,  # everything decays
    ],
    ids=["ndim==2", "ndim>=1", "ndim>=3", "size>=2", "ndim>2", "ndim!=1", "by-name", "by-size",
         "inverted", "all"],
)
def test_typical_mistakes_are_rejected(rule):
    verdict = check(NAME, by_rule(rule))
    assert not verdict
    assert "不正解" in verdict.message


def test_wrong_order_is_rejected():
    """The answer must follow the dict's order (the order of the optimizer's parameter list)."""
    verdict = check(NAME, lambda params, weight_decay: np.sort(
        np.array([weight_decay if p.ndim >= 2 else 0.0 for p in params.values()])))
    assert not verdict


def test_inputs_contain_the_parameters_that_catch_the_mistakes():
    """Over the 20 graded trials (seed 0), each tricky kind of parameter occurs."""
    problem = PROBLEMS[NAME]
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(problem.trials):
        seen |= set(problem.make_inputs(rng)["params"])
    assert {"norm.weight", "temperature", "conv.weight", "head.weight", "fc.bias"} <= seen


def test_blank_is_reported_without_running():
    verdict = check(NAME, blank)
    assert not verdict
    assert "空欄" in verdict.message
