"""The book's figures. Importing this module sets up Japanese fonts (matplotlib-fontja, offline).

- ``plot_paths(func, paths)``: contour lines of a 2-D test function and optimizer paths on it;
- ``plot_curves(curves)``: loss (or accuracy) curves, one line per label.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  (registers the bundled IPAexGothic and selects it)
import numpy as np

from .functions import TestFunction

__all__ = ["plot_paths", "plot_curves", "contour", "new_axes"]

mpl.rcParams["axes.unicode_minus"] = False  # IPAexGothic has no U+2212; use the ASCII hyphen-minus
mpl.rcParams["figure.dpi"] = 80
mpl.rcParams["savefig.dpi"] = 80


def new_axes(ncols: int = 1, width: float = 5.0, height: float = 4.0, nrows: int = 1):
    """A figure with ``nrows × ncols`` axes of the book's usual size."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes.ravel() if nrows * ncols > 1 else axes[0, 0]


def contour(func: TestFunction, ax=None, resolution: int = 200, levels: int = 20):
    """Contour lines of ``func`` over its ``view`` window, with its minimum marked by a star."""
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
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return ax


def plot_paths(func: TestFunction, paths: dict[str, np.ndarray], ax=None, title: str | None = None):
    """Contour of ``func`` with one path (array of shape (n, 2)) per label."""
    ax = contour(func, ax=ax)
    for label, path in paths.items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, label=label)
    if title:
        ax.set_title(title)
    if paths:
        ax.legend(loc="best", fontsize=8)
    return ax


def plot_curves(
    curves: dict[str, np.ndarray | list[float]],
    ax=None,
    xlabel: str = "エポック",
    ylabel: str = "損失",
    logy: bool = False,
    title: str | None = None,
):
    """One line per label: loss or accuracy against epochs (or iterations)."""
    ax = ax if ax is not None else new_axes()[1]
    for label, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=label, linewidth=1.4)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
