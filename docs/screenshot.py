"""Draws the README's picture of the home screen from the demo data.

    .venv/bin/python docs/screenshot.py    (needs rsvg-convert, from Debian's librsvg2-bin)
"""
from __future__ import annotations

import asyncio
import os
import re
import subprocess
import tempfile
from pathlib import Path

from seed.loader import write_demo_file
from store import open_store
from tui.app import RagboardApp

HERE = Path(__file__).resolve().parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # the header shows the file as the user named it
        path = Path("ragboard.db")
        write_demo_file(path)
        store = open_store(path)
        app = RagboardApp(store, build_ahead=False)  # a picture of home: nothing else need be built
        async with app.run_test(size=(140, 24)) as pilot:
            await pilot.pause(0.5)
            svg = app.export_screenshot(title="ragboard")
        store.close()
    # rsvg-convert drops the spaces that start a run of text (an empty cell, a right-aligned figure):
    # non-breaking spaces keep every column where the terminal draws it.
    svg = re.sub(r"(<text[^>]*>)([^<]*)(</text>)",
                 lambda m: m[1] + m[2].replace(" ", "&#160;") + m[3], svg)
    (HERE / "home.svg").write_text(svg, encoding="utf-8")
    subprocess.run(["rsvg-convert", str(HERE / "home.svg"), "-o", str(HERE / "home.png")], check=True)
    (HERE / "home.svg").unlink()


if __name__ == "__main__":
    asyncio.run(main())
