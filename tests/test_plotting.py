"""Figures render Japanese text with the bundled font: no missing-glyph warning, no tofu."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import dlopt  # noqa: E402
from dlopt import plotting  # noqa: E402


def _render(fig) -> None:
    fig.canvas.draw()
    plt.close(fig)


def test_japanese_labels_render_without_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would be raised here
        fig, ax = plotting.new_axes()
        paths = {"学習率 η = 0.1": dlopt.trajectory(dlopt.SGD(lr=0.1), dlopt.elliptic, (-7, 2), 10)}
        plotting.plot_paths(dlopt.elliptic, paths, ax=ax, title="最急降下法の軌跡（−7, 2 から）")
        ax.set_xlabel("パラメータ x（横軸）")
        _render(fig)


def test_the_font_is_a_japanese_font():
    family = matplotlib.rcParams["font.family"]
    assert any("IPAex" in name for name in family), family


def test_curves_and_every_test_function_plot():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, axes = plotting.new_axes(4)
        for ax, func in zip(axes, dlopt.functions.FUNCTIONS.values(), strict=True):
            plotting.contour(func, ax=ax)
        _render(fig)
        fig, ax = plotting.new_axes()
        plotting.plot_curves({"訓練損失": np.linspace(1, 0.1, 10)}, ax=ax, logy=True)
        _render(fig)
