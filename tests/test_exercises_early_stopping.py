"""The 穴埋め grader of chapters/early_stopping.ipynb: the reference passes, typical mistakes are rejected."""

from __future__ import annotations

import numpy as np
import pytest

import dlopt
from dlopt.exercises import PROBLEMS, check

NAME = "early_stopping_stop_epoch"


def answer_with(improves, reset=True, stop_when=lambda wait, patience: wait >= patience, offset=0):
    """The chapter's function with one part swapped for a (possibly wrong) variant."""

    def answer(values, patience, min_delta):
        best, wait = None, 0
        for epoch, value in enumerate(values):
            if best is None or improves(value, best, min_delta):
                best = value
                if reset:
                    wait = 0
            else:
                wait += 1
                if stop_when(wait, patience):
                    return epoch + offset
        return None

    return answer


def correct(value, best, min_delta):
    return value < best - min_delta


def test_reference_and_the_chapter_solution_pass():
    assert check(NAME, PROBLEMS[NAME].reference)
    assert check(NAME, answer_with(correct))


def test_keras_form_of_the_comparison_also_passes():
    # value + min_delta < best is the same rule; the grid of 0.25 makes both forms exact
    assert check(NAME, answer_with(lambda value, best, min_delta: value + min_delta < best))


def test_reference_agrees_with_dlopt_early_stopping():
    rng = np.random.default_rng(3)
    for _ in range(200):
        inputs = PROBLEMS[NAME].make_inputs(rng)
        es = dlopt.EarlyStopping(patience=inputs["patience"], min_delta=inputs["min_delta"])
        for value in inputs["values"]:
            if es.step(value):
                break
        assert PROBLEMS[NAME].reference(**inputs) == es.stopped_epoch


def test_every_graded_sequence_stops():
    rng = np.random.default_rng(0)
    for _ in range(200):
        assert PROBLEMS[NAME].reference(**PROBLEMS[NAME].make_inputs(rng)) is not None


def test_the_reference_returns_none_when_it_never_stops():
    assert PROBLEMS[NAME].reference(values=[3.0, 2.0, 1.0], patience=1, min_delta=0.0) is None


def test_blank_is_reported_without_running():
    def answer(values, patience, min_delta):
        best, wait = None, 0
        for epoch, value in enumerate(values):
            if best is None or ___:
                best, wait = value, 0
            else:
                wait += 1
                if wait >= patience:
                    return epoch
        return None

    verdict = check(NAME, answer)
    assert not verdict
    assert "空欄" in verdict.message


@pytest.mark.parametrize(
    "mistake",
    [
        answer_with(lambda value, best, min_delta: value <= best - min_delta),  # a tie counted as improvement
        answer_with(lambda value, best, min_delta: value < best),  # min_delta ignored
        answer_with(lambda value, best, min_delta: value < best + min_delta),  # min_delta with the wrong sign
        answer_with(correct, reset=False),  # the counter is not reset on improvement
        answer_with(correct, stop_when=lambda wait, patience: wait > patience),  # off by one in patience
        answer_with(correct, offset=1),  # epochs counted from 1
    ],
    ids=["le-instead-of-lt", "ignores-min-delta", "wrong-sign", "no-reset", "wait-gt-patience", "one-based"],
)
def test_typical_mistakes_are_rejected(mistake):
    assert not check(NAME, mistake)


def test_comparing_with_the_previous_value_instead_of_the_best_is_rejected():
    def answer(values, patience, min_delta):
        previous, wait = None, 0
        for epoch, value in enumerate(values):
            if previous is None or value < previous - min_delta:
                wait = 0
            else:
                wait += 1
                if wait >= patience:
                    return epoch
            previous = value
        return None

    assert not check(NAME, answer)
