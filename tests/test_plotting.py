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


def test_legends_are_at_least_9_points():
    assert matplotlib.rcParams["legend.fontsize"] >= 9
    fig, axes = plotting.new_axes(2)
    paths = {"η = 0.1": dlopt.trajectory(dlopt.SGD(lr=0.1), dlopt.elliptic, (-7, 2), 10)}
    plotting.plot_paths(dlopt.elliptic, paths, ax=axes[0])
    plotting.plot_curves({"訓練損失": [3.0, 2.0, 1.0]}, ax=axes[1])
    for ax in axes:
        assert all(text.get_fontsize() >= 9 for text in ax.get_legend().get_texts())
    plt.close(fig)


def test_without_ipython_import_does_not_switch_formats():
    # pytest has no IPython shell: nothing to configure, and importing dlopt did not need one
    assert plotting.use_retina_png() is False


def test_notebook_figures_are_retina_pngs_shown_at_half_their_pixels(tmp_path):
    """In a kernel the PNG has 2 × 80 dpi pixels and its metadata gives the CSS size (80 dpi).

    The inline backend crops the figure to its drawn content (bbox_inches="tight"), so the size
    shown is somewhat under 5 × 4 inches × 80 dpi = 400 × 320 px.
    """
    import base64
    import struct

    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "from dlopt import plotting\n"
            "fig, ax = plotting.new_axes()\n"
            "ax.plot([1, 2, 3])\n"
            "plt.show()"
        )
    ]
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    [figure] = [out for out in notebook.cells[0].outputs if "image/png" in out.get("data", {})]
    png = base64.b64decode(figure["data"]["image/png"])
    width_px, height_px = struct.unpack(">II", png[16:24])  # the IHDR chunk
    shown = figure["metadata"]["image/png"]
    assert 300 < shown["width"] <= 400 and 240 < shown["height"] <= 320
    assert width_px // shown["width"] == plotting.RETINA == height_px // shown["height"]
    assert width_px / shown["width"] >= 1.5 and height_px / shown["height"] >= 1.5
