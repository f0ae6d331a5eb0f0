"""Length accuracy and variant overlap, measured over every kind of unit.

    .venv/bin/python benchmarks/bank_quality.py

- length: for each target (1,500 to 8,000 字) and each speech shape, the worst and mean relative error of
  the draft's 字数 against the target, over 8 unit types × 3 seeds;
- variants: for each example, the largest share of character 4-grams any two of four `--variants` drafts
  have in common once the brief's own facts are removed (shared 4-grams / the smaller draft's 4-grams).
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.models import ORG_TYPES  # noqa: E402
from generator.pipeline import generate, generate_variants  # noqa: E402
from generator.samplebriefs import sample_brief  # noqa: E402
from generator.variety import four_grams, without_brief_facts  # noqa: E402

SHAPES = {"review/separate": (["review"], "separate"), "review/two_part": (["review"], "two_part"),
          "work": (["work"], None)}


def main() -> None:
    print("length error (worst / mean |error|) over 8 unit types × 3 seeds")
    print("target  " + "  ".join(f"{name:>22}" for name in SHAPES))
    for target in (1500, 2000, 3000, 5000, 6500, 8000):
        cells = []
        for kinds, layout in SHAPES.values():
            errors = []
            for org_type in ORG_TYPES:
                for seed in range(3):
                    loaded = sample_brief(org_type, variant=seed, length=target, layout=layout)
                    chars = generate(loaded.path, seed=seed, loaded=loaded, kinds=kinds).draft.char_count()
                    errors.append((chars - target) / target)
            worst = max(errors, key=abs)
            mean = sum(abs(e) for e in errors) / len(errors)
            cells.append(f"{worst:+8.1%} / {mean:6.1%}".rjust(22))
        print(f"{target:>6}  " + "  ".join(cells))
    print("\nvariant overlap: largest shared share of 4-grams between any two of 4 variants")
    for brief in sorted((ROOT / "examples").glob("*/brief.yaml")):
        texts = [four_grams(without_brief_facts(r)) for r in generate_variants(brief, 4)]
        worst = max(len(a & b) / min(len(a), len(b)) for a, b in combinations(texts, 2))
        print(f"  {brief.parent.name:<10} {worst:.1%}")


if __name__ == "__main__":
    main()
