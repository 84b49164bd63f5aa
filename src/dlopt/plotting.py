"""The book's figures. Importing this module sets up Japanese fonts (matplotlib-fontja, offline).

- ``contour(func)``: contour lines of a 2-D test function, equal aspect (45° looks like 45°);
- ``plot_paths(func, paths)``: those contour lines and optimizer paths on them;
- ``plot_curves(curves)``: loss (or accuracy) curves, one line per label, against epochs or steps
  counted from 1 (``start=0`` for a series whose first entry is the starting point).

In Jupyter and Colab, figures are shown as "retina" PNGs (twice the pixels, same size on the page)
and legends use at least 9-point text.
"""

from __future__ import annotations

import sys

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  (registers the bundled IPAexGothic and selects it)
import numpy as np
from matplotlib.ticker import MaxNLocator

from .functions import TestFunction

__all__ = ["plot_paths", "plot_curves", "contour", "new_axes", "use_retina_png"]

mpl.rcParams["axes.unicode_minus"] = False  # IPAexGothic has no U+2212; use the ASCII hyphen-minus
# 80 dpi sets the size a figure is shown at (5 in = 400 CSS px); the PNG itself has RETINA times as
# many pixels in each direction (see use_retina_png), so it stays sharp on high-DPI screens.
mpl.rcParams["figure.dpi"] = 80
mpl.rcParams["savefig.dpi"] = 80
LEGEND_FONTSIZE = 9  # points; the book's legends are never smaller (DESIGN.md §4)
mpl.rcParams["legend.fontsize"] = LEGEND_FONTSIZE
RETINA = 2


def use_retina_png() -> bool:
    """In IPython (Jupyter, Colab), show figures as PNGs of twice the pixels at the same size.

    IPython's "retina" format renders at 2 × figure.dpi and stores width and height (half the
    pixels) in the output's metadata, which Jupyter and jupyter-book use as the displayed size.
    Without IPython this does nothing (``import dlopt`` needs no IPython). Returns whether it did.
    """
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    if get_ipython() is None:
        return False
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # IPython without the inline backend: figures are not shown as PNGs
        return False
    set_matplotlib_formats("retina")
    return True


use_retina_png()


def new_axes(ncols: int = 1, width: float = 5.0, height: float = 4.0, nrows: int = 1):
    """A figure with ``nrows × ncols`` axes of the book's usual size."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes.ravel() if nrows * ncols > 1 else axes[0, 0]


def contour(func: TestFunction, ax=None, resolution: int = 200, levels: int = 20):
    """Contour lines of ``func`` over its ``view`` window, with its minimum marked by a star.

    The axes get equal aspect (one unit on x is as long as one unit on y), so a path at 45° is
    drawn at 45°; the axes box shrinks to the shape of the ``view`` window.
    """
    ax = ax if ax is not None else new_axes()[1]
    (x0, x1), (y0, y1) = func.view
    xs, ys = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    zs = func(xs, ys)
    if func.log_levels:
        zs_positive = zs - zs.min() + 1e-3
        level_values = np.logspace(np.log10(zs_positive.min()), np.log10(zs_positive.max()), levels)
        ax.contour(xs, ys, zs_positive, levels=level_values, cmap="viridis", linewidths=0.7)
    else:
        ax.contour(xs, ys, zs, levels=levels, cmap="viridis", linewidths=0.7)
    if func.minimum is not None:
        ax.plot(*func.minimum, marker="*", markersize=12, color="k", linestyle="none")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return ax


def plot_paths(
    func: TestFunction,
    paths: dict[str, np.ndarray],
    ax=None,
    title: str | None = None,
    styles: dict[str, dict] | None = None,
):
    """Contour of ``func`` (equal aspect) with one path (array of shape (n, 2)) per label.

    ``styles`` maps a label to keyword arguments for ``ax.plot`` that replace the defaults for that
    path (for example a thick, translucent line underneath, so that a path other paths run along
    stays visible: ``{"label": {"linewidth": 6, "alpha": 0.35, "zorder": 1}}``).
    """
    ax = contour(func, ax=ax)
    styles = styles or {}
    for label, path in paths.items():
        path = np.asarray(path)
        style = {"marker": "o", "markersize": 2.5, "linewidth": 1.2, **styles.get(label, {})}
        ax.plot(path[:, 0], path[:, 1], label=label, **style)
    if title:
        ax.set_title(title)
    if paths:
        ax.legend(loc="best", fontsize=LEGEND_FONTSIZE)
    return ax


def plot_curves(
    curves: dict[str, np.ndarray | list[float]],
    ax=None,
    xlabel: str = "エポック",
    ylabel: str = "損失",
    logy: bool = False,
    title: str | None = None,
    start: int = 1,
    styles: dict[str, dict] | None = None,
):
    """One line per label: loss or accuracy against epochs (or steps).

    The i-th value (0-based) is drawn at x = start + i. The default ``start=1`` fits the book's
    counting: the value recorded after epoch 1 (or step t = 1) is drawn at 1. Pass ``start=0``
    when the first value belongs to the starting point, before any update (a path's distance).
    ``styles`` maps a label to keyword arguments for ``ax.plot`` (as in ``plot_paths``), so that
    curves that coincide stay visible (a thick translucent line under a dashed one).
    """
    ax = ax if ax is not None else new_axes()[1]
    styles = styles or {}
    for label, values in curves.items():
        style = {"linewidth": 1.4, **styles.get(label, {})}
        ax.plot(start + np.arange(len(values)), values, label=label, **style)
    if logy:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LEGEND_FONTSIZE)
    return ax
