"""Stage 2 — context: merge defaults < org config < brief < command-line options, derive years and budgets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Optional

from .bank import PhraseBank
from .models import Context, LoadedBrief

DEFAULT_LENGTH = 3000
CHARS_PER_MINUTE = 220  # a measured speaking pace for formal speeches read from a script


@dataclass(frozen=True)
class Overrides:
    """What the command line may set over the brief."""

    seed: Optional[int] = None
    length: Optional[int] = None
    points: Optional[int] = None
    layout: Optional[str] = None


def _brief_strings(loaded: LoadedBrief) -> str:
    """Every piece of text the user wrote: their own words are always allowed through vocabulary filters."""
    b, o = loaded.brief, loaded.org
    parts = [o.name, o.short_name, o.superior, o.business, o.members, b.meeting.name, b.meeting.deployed_by,
             b.meeting.place, b.speaker.name, b.speaker.title]
    for group in (b.achievements, b.problems):
        for tf in group:
            parts += tf.facts
            parts += [f"{ex.who}{ex.did}" for ex in tf.examples]
    return "\n".join(p for p in parts if p)


def derive_seed(loaded: LoadedBrief) -> int:
    """A stable seed from the brief's content, so an unseeded brief still gives the same draft every run."""
    return int(hashlib.sha256(loaded.digest.encode()).hexdigest()[:8], 16)


def build_context(loaded: LoadedBrief, bank: PhraseBank, overrides: Overrides = Overrides()) -> Context:
    b, org = loaded.brief, loaded.org
    defaults = bank.org_defaults.get(org.type, {})
    date = b.meeting.date
    # A述职 meeting held in the first quarter reviews the year before.
    review_year = b.review_year or (date.year - 1 if date.month <= 3 else date.year)
    seed = overrides.seed if overrides.seed is not None else (b.seed if b.seed is not None else derive_seed(loaded))
    return Context(
        kind=b.kind,
        org=org,
        org_type=org.type,
        unit=org.short_name or defaults.get("short_name", "党委"),
        meeting_name=b.meeting.name,
        meeting_date=date,
        review_year=review_year,
        speaker_name=b.speaker.name,
        speaker_title=b.speaker.title or "",
        deployed_by=b.meeting.deployed_by,
        superior=org.superior,
        business=org.business or defaults.get("business", "中心工作"),
        members=org.members or defaults.get("members", "党员"),
        reporters=b.meeting.reporters,
        written_reporters=b.meeting.written_reporters,
        focus=tuple(b.focus),
        achievements=tuple(b.achievements),
        problems=tuple(b.problems),
        points=overrides.points or b.points,
        length=overrides.length or b.length or DEFAULT_LENGTH,
        layout=overrides.layout or b.layout,
        seed=seed,
        brief_text=_brief_strings(loaded),
        digest=loaded.digest,
    )


def speaking_minutes(chars: int) -> float:
    return chars / CHARS_PER_MINUTE
