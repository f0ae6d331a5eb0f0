"""How long `draftgen outline` and `draftgen mine` take on a 5 MB text of short lines (the kind of file
that once took minutes: look-ups by place scanned the whole text).

    .venv/bin/python benchmarks/mine_speed.py [--megabytes 5]

CPU time of each command's function in this process, so other work on the machine counts less.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from generator.mine import mine_paths  # noqa: E402
from generator.outline import outline_paths  # noqa: E402
from test_outline import many_short_lines  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=float, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = many_short_lines(Path(tmp) / "big.txt", int(args.megabytes * 1_000_000))
        t = time.process_time()
        outline_paths([big])
        outlined = time.process_time() - t
        t = time.process_time()
        mine_paths([big], Path(tmp) / "候选.yaml")
        mined = time.process_time() - t
    print(f"{args.megabytes:g} MB 短行文本：outline {outlined:.1f} s，mine {mined:.1f} s（CPU 时间）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
