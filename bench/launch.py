"""Start an app as its command would, and on the way out write the modules it had imported.

python -m bench.launch MODULES_FILE ragboard --db PATH   (the ragboard command's main)
python -m bench.launch MODULES_FILE bare                 (the bare Textual app)
"""
from __future__ import annotations

import atexit
import sys


def _write(path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(sorted(sys.modules)))


def main() -> int:
    path, which, *rest = sys.argv[1:]
    atexit.register(_write, path)
    if which == "bare":
        from bench.bare_app import BareApp

        BareApp().run()
        return 0
    from ragboard_cli.main import main as ragboard

    return ragboard(rest)


if __name__ == "__main__":
    sys.exit(main())
