"""show_source shows the real code of dlopt, so the book can never drift from the package."""

from __future__ import annotations

import inspect

import pytest

import dlopt
from dlopt.display import source_of


def test_source_is_the_real_source():
    text = source_of(dlopt.AdaGrad)
    assert inspect.getsource(dlopt.AdaGrad) in text
    assert text.startswith("# dlopt/optimizers.py")


def test_only_dlopt_objects_are_shown():
    with pytest.raises(TypeError, match="dlopt"):
        source_of(inspect.getsource)
