"""Find the Chromium that the browser tests and ``make pdf`` drive through Playwright.

Playwright's own browser download is not used: the book is tested in Debian's ``chromium``
(``apt-get install chromium fonts-noto-cjk``), started with ``executable_path``. Set ``CHROMIUM`` to use
another Chromium or Chrome binary.

Usage: python tools/chromium.py   prints the path and exits 0, or says what to install and exits 1
"""

from __future__ import annotations

import os
import shutil
import sys

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "sudo apt-get install chromium fonts-noto-cjk"


def find() -> str | None:
    """The path of a Chromium binary, or None."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def main() -> int:
    path = find()
    if path is None:
        print(f"Chromium がありません。インストールするには: {INSTALL}")
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
