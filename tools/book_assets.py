"""A small Sphinx extension for the book's HTML, loaded by _config.yml (``sphinx.local_extensions``).

It makes the built book work offline and fixes what the pinned toolchain gets wrong:

1. MathJax is served by the book itself. ``make book`` / ``make test`` copy what the book uses of npm's
   ``mathjax@3`` from node_modules to ``_build/assets/mathjax`` (Makefile target ``mathjax``); this extension
   adds ``_build/assets`` to ``html_static_path`` so the copy lands in ``_build/html/_static/mathjax``, where
   ``mathjax_path`` points. It is added here, after jupyter-book has read the configuration, because
   jupyter-book turns every ``*.js`` under an ``html_static_path`` entry into a ``<script>`` on every page.
2. The chapters' Open-in-Colab badge image is the book's own ``_static/colab-badge.svg`` in the HTML.
   The notebooks keep the remote badge URL (``tools/headers.py``), which Colab and GitHub show.
3. Math in a bibliography field (``{$O(1/k^2)$}`` in references.bib) is rendered as math: pybtex's styles
   keep it as the text ``$O(1/k^2)$``, which MathJax does not read.
4. Sphinx 7.4 writes every inline script that an extension adds after ``Builder.init()`` twice
   (``prepare_writing`` re-adds the registry's scripts as filename ``''`` where the first copy has ``None``),
   so each page logged "Identifier 'THEBE_JS_URL' has already been declared" (sphinx-thebe and
   sphinx-togglebutton add theirs that late). The duplicates are dropped from each page's script list.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util.osutil import relative_uri

ASSETS = Path("_build") / "assets"  # relative to the book root (the configuration directory)
REMOTE_COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
LOCAL_COLAB_BADGE = "_static/colab-badge.svg"
DOLLAR_MATH = re.compile(r"\$([^$]+)\$")


def add_mathjax(app: Sphinx, config) -> None:
    if "://" in config.mathjax_path:
        return  # a CDN was configured on purpose: nothing to serve
    copy = Path(app.confdir) / ASSETS / config.mathjax_path
    if not copy.is_file():
        raise ConfigError(
            f"MathJax がありません: {copy}。`make book` で本を作るか、先に `make mathjax` を実行してください"
            "（node_modules/mathjax をコピーします）。"
        )
    config.html_static_path = [*config.html_static_path, str(ASSETS)]


def local_colab_badge(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for image in doctree.findall(nodes.image):
        if image["uri"] == REMOTE_COLAB_BADGE:
            image["uri"] = relative_uri(app.builder.get_target_uri(docname), LOCAL_COLAB_BADGE)


def math_in_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = False
    for citation in doctree.findall(nodes.citation):
        for text in list(citation.findall(nodes.Text)):
            if "$" not in text or isinstance(text.parent, (nodes.math, nodes.literal)):
                continue
            pieces = DOLLAR_MATH.split(str(text))  # text, math, text, math, ..., text
            if len(pieces) == 1:
                continue
            replacement = [
                nodes.math(piece, piece) if i % 2 else nodes.Text(piece)
                for i, piece in enumerate(pieces)
                if piece
            ]
            text.parent.replace(text, replacement)
            found = True
    if found:  # sphinx.ext.mathjax adds MathJax only to pages that had math when they were read
        app.env.get_domain("math").data["has_equations"][docname] = True


def drop_duplicate_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for script in scripts:
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_mathjax)
    app.connect("doctree-resolved", local_colab_badge)
    app.connect("doctree-resolved", math_in_citations)
    # last, after sphinx.ext.mathjax and the others have added their scripts to the page
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
