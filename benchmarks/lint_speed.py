"""How `draftgen bank lint` scales: the shipped bank, and a bank grown to 20,000 entries.

    .venv/bin/python benchmarks/lint_speed.py [--entries 20000]

The grown bank is the shipped one plus reworded copies of its entries (a third of the characters of each
copy replaced at random, seeded; every fiftieth copy differs in one character only), so the near-duplicate check meets realistic, heavily shared bigrams.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.banklint import lint_paths  # noqa: E402
from generator.paths import PHRASEBANK_DIR  # noqa: E402


def grow_bank(target: Path, entries: int, seed: int = 15) -> int:
    """Copy the shipped bank to ``target`` and add reworded copies until it holds ``entries`` entries."""
    import random

    import yaml

    from generator.bank import read_bank

    shutil.copytree(PHRASEBANK_DIR, target)
    bank, _ = read_bank(target)
    rng = random.Random(seed)
    # Chinese characters only: a digit put in would make a copy "differ in its numbers", which lint rightly
    # does not call a duplicate.
    pool = "".join(ch for e in bank.entries if "{" not in e.text for ch in e.text if "\u4e00" <= ch <= "\u9fff")
    extra = []
    originals = [e for e in bank.entries if e.slot.endswith("_elaboration") or e.slot in ("opening", "closing")]
    for n in range(max(0, entries - len(bank.entries))):
        e = originals[n % len(originals)]
        chars = list(e.text)
        # Most copies are reworded enough to pass; every fiftieth differs in one character and must be caught.
        for _ in range(1 if n % 50 == 0 else len(chars) // 3):
            i = rng.randrange(len(chars))
            if chars[i] not in "{}_abcdefghijklmnopqrstuvwxyz。，":
                chars[i] = rng.choice(pool)
        row = {"id": f"grown-{n}", "slot": e.slot, "text": "".join(chars)}
        for key in ("topic", "facet", "org_types", "kinds"):
            value = getattr(e, key)
            if value:
                row[key] = list(value) if isinstance(value, tuple) else value
        extra.append(row)
    (target / "grown.yaml").write_text(yaml.safe_dump({"entries": extra}, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return len(bank.entries) + len(extra)


def timed_lint(bank_dir: Path) -> tuple[float, int]:
    start = time.perf_counter()
    findings = lint_paths(bank_dir=bank_dir)
    return time.perf_counter() - start, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()
    seconds, count = timed_lint(PHRASEBANK_DIR)
    print(f"shipped bank: bank lint {seconds:.2f} s ({count} findings)")
    with tempfile.TemporaryDirectory() as tmp:
        total = grow_bank(Path(tmp) / "bank", args.entries)
        seconds, count = timed_lint(Path(tmp) / "bank")
        print(f"grown bank of {total} entries: bank lint {seconds:.2f} s ({count} findings)")


if __name__ == "__main__":
    main()
