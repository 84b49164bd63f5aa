"""Fixtures shared by the optimizer tests that compare against torch-based references."""

from __future__ import annotations

import pytest


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


@pytest.fixture
def float64_default(torch):
    """torch keeps some scalar state in the default dtype: float64 for the round-off comparisons."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)
