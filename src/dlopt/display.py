"""``show_source``: show the real source of a dlopt object in a notebook (never a pasted copy)."""

from __future__ import annotations

import inspect
from pathlib import Path

__all__ = ["show_source", "source_of"]


def source_of(obj) -> str:
    """The source text of a dlopt class or function, headed by its file and line numbers."""
    module = inspect.getmodule(obj)
    if module is None or not module.__name__.startswith("dlopt"):
        raise TypeError(
            f"show_source が表示できるのは dlopt のクラスと関数だけです（{obj!r} が渡されました）"
        )
    lines, first = inspect.getsourcelines(obj)
    path = Path(inspect.getsourcefile(obj))
    package = path.parent.name if path.parent.name != "dlopt" else ""
    name = "/".join(part for part in ("dlopt", package, path.name) if part)
    header = f"# {name} 行 {first}-{first + len(lines) - 1}\n"
    return header + "".join(lines)


def show_source(obj):
    """Display the source of ``obj`` as a highlighted Python block (Markdown output)."""
    from IPython.display import Markdown, display

    display(Markdown(f"```python\n{source_of(obj)}```"))
