"""Every decimal number in a chapter's prose is a number that the chapter prints.

The prose of a chapter is the text of its markdown cells outside display and inline math, code
spans and fenced code, MyST roles ({cite}, {term}, {doc}, {ref}, ...), link targets and URLs
(tools/prose.py's ``to_prose`` strips math and unwraps directives, as it does for textlint).
A decimal number is digits with a decimal point (``0.439``, ``20.72``, ``1.5e-3``); integers are not
checked. Such a number "appears" in the outputs when some number printed by the chapter's stored
outputs (stream text, ``text/plain``, ``text/markdown``) rounds to it at its own number of decimals:
prose 0.439 matches a printed 0.43912. Signs are ignored (−0.5 and -0.5 and 0.5 are the same).

A number that is neither printed nor obvious from the code (a documented default written in the
prose, a derived value the reader computes by hand, a section or version number) sits in ALLOWED
below, per chapter, with the reason. ALLOWED must stay short and current: an entry whose number is
printed again or has left the prose fails the test as stale.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
sys.path.insert(0, str(ROOT / "tools"))
from prose import to_prose  # noqa: E402

# chapter slug -> {number as the prose writes it: why it is in the prose but not in the outputs}
ALLOWED: dict[str, dict[str, str]] = {
    "adam": {
        "0.98": "practical advice, not a run: lower β2 to 0.99 or 0.98 when training is unstable",
    },
    "early_stopping": {
        "7.8": "a section number: Goodfellow et al. (2016), section 7.8",
    },
    "exam_practice": {
        "0.95": "given data of an exercise: ExponentialLR(gamma=0.95)",
    },
    "initialization": {
        "8.4": "a section number: Goodfellow et al. (2016), section 8.4",
    },
    "pytorch": {
        "2.13": "a version number: PyTorch 2.13, the version the book pins (Adam's decoupled_weight_decay)",
    },
}

DISPLAY_FENCE = re.compile(r"^(?P<mark>`{3,}|~{3,}|:{3,})\{[\w:-]+\}")
CODE_FENCE = re.compile(r"^(?P<mark>`{3,}|~{3,})[\w+-]*$")
ROLE_OR_CODE = re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`")
LINK_TARGET = re.compile(r"(?<=\])\([^)]*\)")
URL = re.compile(r"https?://\S+")
# a decimal number, not glued to ASCII letters, digits, dots or underscores (so not 2.13.0, not v1.2)
DECIMAL = re.compile(
    r"(?<![A-Za-z0-9_.])(?P<mantissa>\d+\.(?P<decimals>\d+))(?:[eE](?P<exp>[-+−]?\d+))?(?![\d.]*\d)"
)
PRINTED = re.compile(r"\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
OUTPUT_KEYS = ("text/plain", "text/markdown")


@dataclass(frozen=True)
class Number:
    """A decimal number of the prose: its text, its value, and half a unit of its last digit."""

    text: str
    value: float
    tolerance: float
    cell: int
    sentence: str


def strip_code_fences(markdown: str) -> str:
    """Remove plain fenced code blocks (```python ... ```); keep directive fences for to_prose."""
    out: list[str] = []
    directives: list[str] = []
    code: str | None = None
    for line in markdown.splitlines():
        stripped = line.strip()
        if code is not None:
            if stripped.startswith(code) and set(stripped) == {code[0]}:
                code = None
            continue
        directive = DISPLAY_FENCE.match(stripped)
        if directive:
            directives.append(directive["mark"])
        elif directives and stripped == directives[-1]:
            directives.pop()
        elif CODE_FENCE.match(stripped):
            code = CODE_FENCE.match(stripped)["mark"]
            continue
        out.append(line)
    return "\n".join(out)


def blank(pattern: re.Pattern, text: str) -> str:
    """Replace each match by spaces of the same length."""
    return pattern.sub(lambda m: " " * len(m[0]), text)


def prose_text(markdown: str) -> tuple[str, str]:
    """(the prose of one markdown cell, the same with math, code, roles, link targets and URLs blanked).

    The two strings have the same length, so a number found in the second is shown in its sentence
    of the first (with its math written as code spans).
    """
    text = to_prose(strip_code_fences(markdown))
    masked = blank(URL, blank(LINK_TARGET, blank(ROLE_OR_CODE, text)))
    return text, masked


def sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(stop, 0, start) for stop in ("。", "\n")) + 1
    rights = [i for i in (text.find(stop, end) for stop in ("。", "\n")) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def prose_numbers(markdown: str, cell: int = 0) -> list[Number]:
    """The decimal numbers of one markdown cell's prose."""
    text, masked = prose_text(markdown)
    numbers = []
    for match in DECIMAL.finditer(masked):
        exponent = int((match["exp"] or "0").replace("−", "-"))
        scale = 10.0**exponent
        numbers.append(
            Number(
                text=match[0],
                value=float(match["mantissa"]) * scale,
                tolerance=0.5 * 10.0 ** -len(match["decimals"]) * scale,
                cell=cell,
                sentence=sentence_around(text, match.start(), match.end()),
            )
        )
    return numbers


def printed_numbers(notebook) -> list[float]:
    """Every number in the stored text outputs of the notebook (absolute values)."""
    values = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] if output.get("output_type") == "stream" else []
            texts += [output.get("data", {}).get(key, "") for key in OUTPUT_KEYS]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                values += [float(x) for x in PRINTED.findall(text)]
    return values


def unprinted_numbers(notebook) -> list[Number]:
    """The decimal numbers of the prose that no printed number rounds to."""
    printed = sorted(set(printed_numbers(notebook)))
    missing = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for number in prose_numbers(cell.source, index):
            slack = number.tolerance * (1 + 1e-9) + 1e-15
            if not any(abs(value - number.value) <= slack for value in printed):
                missing.append(number)
    return missing


def check(notebook, allowed: dict[str, str]) -> tuple[list[Number], list[str]]:
    """(numbers neither printed nor allowed, allow-list entries that are no longer needed)."""
    missing = unprinted_numbers(notebook)
    errors = [number for number in missing if number.text not in allowed]
    stale = sorted(set(allowed) - {number.text for number in missing})
    return errors, stale


def chapters() -> dict[str, Path]:
    return {path.stem: path for path in sorted(CHAPTERS.glob("*.ipynb"))}


def fake_notebook(markdown: str, printed: str):
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(...)")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    notebook.cells = [nbformat.v4.new_markdown_cell(markdown), code]
    return notebook


def test_a_made_up_number_is_caught():
    notebook = fake_notebook("損失は 0.4391 まで下がり、正解率は 0.97 になりました。", "loss 0.43912\n")
    errors, stale = check(notebook, {})
    assert [n.text for n in errors] == ["0.97"]
    assert errors[0].sentence == "損失は 0.4391 まで下がり、正解率は 0.97 になりました。"
    errors, stale = check(notebook, {"0.97": "a reason"})
    assert errors == [] and stale == []
    errors, stale = check(fake_notebook("損失は 0.4391 です。", "loss 0.43912\n"), {"0.97": "a reason"})
    assert errors == [] and stale == ["0.97"]


def test_what_counts_as_prose():
    text = (
        "学習率 $\\eta = 0.25$ と `lr=0.75` と {cite}`a2.5` と [図](fig_1.5.png) と "
        "https://arxiv.org/abs/1711.05101 と PyTorch 2.13.0 は数えません。\n\n"
        "$$\nx = 3.5\n$$\n\n```python\nadam(lr=0.001)\n```\n\n"
        "数えるのは −1.50 と 2.5e-3 と 20.72 倍です。"
    )
    numbers = prose_numbers(text)
    assert [n.text for n in numbers] == ["1.50", "2.5e-3", "20.72"]
    assert [n.value for n in numbers] == [1.5, 2.5e-3, 20.72]
    notebook = fake_notebook(text, "-1.4962 0.0025 20.7249 1.0e-03\n")
    assert check(notebook, {}) == ([], [])
    notebook = fake_notebook(text, "-1.4949 0.0025 20.7251\n")  # 1.4949 -> 1.49, 20.7251 -> 20.73
    assert [n.text for n in check(notebook, {})[0]] == ["1.50", "20.72"]


def test_the_allow_list_names_chapters_with_reasons():
    unknown = sorted(set(ALLOWED) - set(chapters()))
    assert unknown == [], f"ALLOWED names chapters that do not exist: {unknown}"
    for slug, entries in ALLOWED.items():
        for number, reason in entries.items():
            assert DECIMAL.fullmatch(number), f"{slug}: {number!r} is not a decimal number"
            assert len(reason) >= 20, f"{slug}: the entry {number} needs its reason"
        assert len(entries) <= 8, f"{slug}: {len(entries)} allowed numbers; print them instead"


@pytest.mark.parametrize("slug", sorted(chapters()))
def test_prose_numbers_are_printed(slug):
    notebook = nbformat.read(chapters()[slug], as_version=4)
    errors, stale = check(notebook, ALLOWED.get(slug, {}))
    lines = [
        f"chapters/{slug}.ipynb cell {n.cell}: {n.text} is not printed by any output: 「{n.sentence}」"
        for n in errors
    ]
    lines += [
        f"chapters/{slug}.ipynb: ALLOWED['{slug}']['{number}'] is stale (the number is printed now, "
        "or the prose no longer has it): remove the entry"
        for number in stale
    ]
    assert not lines, "\n".join(
        lines
        + [
            "Print the number in an output of the chapter, or, if it is a documented default, a "
            "derived value or a version/section number, add it with its reason to ALLOWED in "
            "tests/test_prose_numbers.py."
        ]
    )
