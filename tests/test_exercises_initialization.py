"""The graders of chapters/initialization: the references pass, the typical mistakes are rejected."""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlopt
from dlopt import initializers
from dlopt.exercises import check


def test_he_reference_passes_and_agrees_with_the_initializer():
    assert check("initialization_he_std", dlopt.exercises.initialization_he_std)
    assert check("initialization_he_std", lambda fan_in, fan_out: math.sqrt(2 / fan_in))
    w = initializers.he_normal((784, 100), rng=0)
    assert w.std() == pytest.approx(dlopt.exercises.initialization_he_std(784, 100), rel=0.02)


def test_xavier_reference_passes_and_agrees_with_the_initializer():
    assert check("initialization_xavier_std", dlopt.exercises.initialization_xavier_std)
    assert check("initialization_xavier_std", lambda fan_in, fan_out: (2 / (fan_out + fan_in)) ** 0.5)
    w = initializers.xavier_normal((784, 100), rng=0)
    assert w.std() == pytest.approx(dlopt.exercises.initialization_xavier_std(784, 100), rel=0.02)


HE_MISTAKES = {
    "1/√n (LeCun, ゼロから作るの Xavier)": lambda fan_in, fan_out: 1 / np.sqrt(fan_in),
    "fan_out instead of fan_in": lambda fan_in, fan_out: np.sqrt(2 / fan_out),
    "forgot the square root": lambda fan_in, fan_out: 2 / fan_in,
    "Xavier instead of He": lambda fan_in, fan_out: np.sqrt(2 / (fan_in + fan_out)),
    "uniform bound instead of std": lambda fan_in, fan_out: np.sqrt(6 / fan_in),
    "sqrt(2)/n": lambda fan_in, fan_out: np.sqrt(2) / fan_in,
}

XAVIER_MISTAKES = {
    "1/√fan_in (ゼロから作るの Xavier)": lambda fan_in, fan_out: 1 / np.sqrt(fan_in),
    "forgot the 2": lambda fan_in, fan_out: np.sqrt(1 / (fan_in + fan_out)),
    "forgot the square root": lambda fan_in, fan_out: 2 / (fan_in + fan_out),
    "He instead of Xavier": lambda fan_in, fan_out: np.sqrt(2 / fan_in),
    "fan_out only": lambda fan_in, fan_out: np.sqrt(1 / fan_out),
    "uniform bound instead of std": lambda fan_in, fan_out: np.sqrt(6 / (fan_in + fan_out)),
}


@pytest.mark.parametrize("mistake", HE_MISTAKES.values(), ids=HE_MISTAKES.keys())
def test_he_mistakes_are_rejected(mistake):
    verdict = check("initialization_he_std", mistake)
    assert not verdict
    assert "不正解" in repr(verdict)


@pytest.mark.parametrize("mistake", XAVIER_MISTAKES.values(), ids=XAVIER_MISTAKES.keys())
def test_xavier_mistakes_are_rejected(mistake):
    verdict = check("initialization_xavier_std", mistake)
    assert not verdict
    assert "不正解" in repr(verdict)


@pytest.mark.parametrize("name", ["initialization_he_std", "initialization_xavier_std"])
def test_the_blank_is_reported(name):
    def answer(fan_in, fan_out):
        return np.sqrt(___ / fan_in)  # noqa: F821

    verdict = check(name, answer)
    assert not verdict
    assert "空欄" in repr(verdict)


def test_inputs_have_different_fans_of_at_least_three():
    problem = dlopt.exercises.PROBLEMS["initialization_he_std"]
    rng = np.random.default_rng(0)
    for _ in range(200):
        inputs = problem.make_inputs(rng)
        assert inputs["fan_in"] >= 3 and inputs["fan_in"] != inputs["fan_out"]
