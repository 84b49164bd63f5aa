"""穴埋め of chapters/initialization: the standard deviations of He's and Xavier's (Glorot's) initializers."""

from __future__ import annotations

import numpy as np

from .grader import register
from .inputs import distinct_ints


def _fans_inputs(rng):
    # fan_in ≥ 3 and fan_in ≠ fan_out, so that √(2/n) ≠ 2/n ≠ 1/√n and fan_in ≠ fan_out is visible
    fan_in, fan_out = distinct_ints(rng, 3, 1025)
    return {"fan_in": fan_in, "fan_out": fan_out}


@register("initialization_he_std", "He の初期値の標準偏差", _fans_inputs)
def initialization_he_std(fan_in, fan_out):
    """σ = √(2 / fan_in) (fan_out is not used: He keeps the forward signal)."""
    return float(np.sqrt(2.0 / fan_in))


@register("initialization_xavier_std", "Xavier（Glorot）の初期値の標準偏差", _fans_inputs)
def initialization_xavier_std(fan_in, fan_out):
    """σ = √(2 / (fan_in + fan_out))."""
    return float(np.sqrt(2.0 / (fan_in + fan_out)))
