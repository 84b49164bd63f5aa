"""Extract the Japanese prose of every page for textlint.

textlint reads Markdown, not notebooks, and it skips fenced blocks, so MyST directives such as
``{exercise}`` would hide their prose from it. This script writes one Markdown file per page to
OUT_DIR: markdown cells only, math replaced by code spans (textlint ignores code), directive fences
unwrapped so that their content is linted, and each cell preceded by a comment naming it.

Usage: python tools/prose.py OUT_DIR PAGE_OR_DIR...   (e.g. tools/prose.py _build/prose chapters)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

FENCE = re.compile(r"^(?P<mark>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^:[\w-]+:.*$")
TARGET = re.compile(r"^\([\w:-]+\)=\s*$")
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")
LABEL_ARGUMENT = ("solution",)  # solution directives take the exercise label, not prose
SKIP_DIRECTIVES = {"math", "bibliography", "toctree", "code-block", "code-cell", "raw"}


def to_prose(markdown: str) -> str:
    """Return the lintable prose of one MyST markdown text."""
    text = DISPLAY_MATH.sub("", markdown)
    out: list[str] = []
    skipping: str | None = None
    closing: list[str] = []
    after_fence = False
    for line in text.splitlines():
        stripped = line.strip()
        if skipping is not None:
            if stripped == skipping:
                skipping = None
            continue
        match = FENCE.match(stripped)
        if match:
            if match["name"] in SKIP_DIRECTIVES:
                skipping = match["mark"]
                continue
            closing.append(match["mark"])
            if match["arg"] and not match["name"].startswith(LABEL_ARGUMENT):
                out.append(f"#### {match['arg']}")  # a title: linted like a heading
                out.append("")
            after_fence = True
            continue
        if closing and stripped == closing[-1]:
            closing.pop()
            out.append("")
            continue
        if after_fence and OPTION.match(stripped):
            continue
        after_fence = False
        if TARGET.match(stripped):
            continue
        out.append(INLINE_MATH.sub(lambda m: "`" + m[1].replace("`", "'") + "`", line))
    return "\n".join(out)


def page_prose(path: Path) -> str:
    if path.suffix == ".md":
        return to_prose(path.read_text(encoding="utf-8"))
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            parts.append(f"<!-- {path.name} cell {index} -->\n\n{to_prose(cell.source)}\n")
    return "\n".join(parts)


def main(dst: str, sources: list[str]) -> None:
    out_dir = Path(dst)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.md"):
        old.unlink()
    pages = []
    for source in map(Path, sources):
        pages += sorted(source.glob("*.md")) + sorted(source.glob("*.ipynb")) if source.is_dir() else [source]
    for page in pages:
        (out_dir / f"{page.stem}.md").write_text(page_prose(page), encoding="utf-8")
    print(f"prose of {len(pages)} pages written to {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
