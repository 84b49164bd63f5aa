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


def test_curves_count_epochs_and_steps_from_one():
    fig, ax = plotting.new_axes()
    plotting.plot_curves({"訓練損失": [3.0, 2.0, 1.0]}, ax=ax)
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    plotting.plot_curves({"出発点からの距離": [3.0, 2.0, 1.0]}, ax=ax, start=0,
                         styles={"出発点からの距離": {"linestyle": "--"}})
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [0, 1, 2])
    assert ax.get_lines()[1].get_linestyle() == "--"
    _render(fig)


def test_contour_plots_have_equal_aspect():
    fig, axes = plotting.new_axes(len(dlopt.functions.FUNCTIONS) + 1)
    for ax, func in zip(axes, dlopt.functions.FUNCTIONS.values(), strict=False):
        plotting.contour(func, ax=ax)
    paths = {"η = 0.1": dlopt.trajectory(dlopt.SGD(lr=0.1), dlopt.elliptic, (-7, 2), 10)}
    plotting.plot_paths(dlopt.elliptic, paths, ax=axes[-1], styles={"η = 0.1": {"linewidth": 4}})
    fig.canvas.draw()
    for ax in axes:
        assert ax.get_aspect() == 1.0
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        box = ax.get_position()
        width_in, height_in = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
        # one data unit is equally long on both axes
        assert abs((width_in / (x1 - x0)) / (height_in / (y1 - y0)) - 1) < 1e-6
    assert axes[-1].get_lines()[-1].get_linewidth() == 4
    plt.close(fig)
