"""``python -m dlopt.exam``: list the bank, or export a question set to print or to hand out.

python -m dlopt.exam list
python -m dlopt.exam export --chapter adam --chapter adamw -o adam.html
python -m dlopt.exam export --kind code --format ipynb -o code.ipynb
python -m dlopt.exam export --ids adam-class-a momentum-calc-1 --answers -o key.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .bank import CHAPTERS, KINDS
from .export import select, summary, to_html, to_notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlopt.exam", description="E資格 形式の問題バンク")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="章と種類ごとの問題数")
    export = commands.add_parser(
        "export", help="問題の組を印刷用の HTML かノートブックに書き出す（解答なし）"
    )
    export.add_argument(
        "--chapter", action="append", choices=CHAPTERS, help="章（何度でも指定可、省略で全章）"
    )
    export.add_argument("--kind", choices=KINDS, help="種類（省略ですべて）")
    export.add_argument("--ids", nargs="+", help="問題の id（同じ文脈の問題も一緒に出ます）")
    export.add_argument("--format", choices=("html", "ipynb"), help="省略時は -o の拡張子から")
    export.add_argument("--answers", action="store_true", help="最後に解答と解説を付ける")
    export.add_argument("-o", "--output", required=True, help="書き出すファイル")
    args = parser.parse_args(argv)

    if args.command == "list":
        print(summary())
        return 0
    output = Path(args.output)
    fmt = args.format or {".html": "html", ".ipynb": "ipynb"}.get(output.suffix)
    if fmt is None:
        parser.error(f"--format を指定するか、-o の拡張子を .html か .ipynb にしてください（{output}）")
    try:
        found = select(args.chapter, args.kind, args.ids)
    except ValueError as error:
        parser.error(str(error))
    text = to_html(found, args.answers) if fmt == "html" else to_notebook(found, args.answers)
    output.write_text(text, encoding="utf-8")
    print(f"{len(found)} 問を {output} に書き出しました（{'解答つき' if args.answers else '解答なし'}）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
