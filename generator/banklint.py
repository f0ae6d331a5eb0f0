"""`draftgen bank lint`: what is wrong with a phrase-bank entry, said so a contributor can fix it.

Every finding is ``file:line: CODE message`` with a stable code; errors fail CI, warnings do not.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .plan import SEAM_RE
from .bank import (GROUP_SLOTS, ID_RE, PLACEHOLDERS, SLOTS, TOPIC_SLOTS, Entry, PhraseBank, bank_files, fill, parse_entries,
                   read_bank)
from .errors import InputError
from .models import KINDS, LAYOUTS, ORG_TYPES
from .paths import PHRASEBANK_DIR
from .yamlio import read_yaml

# code: (severity, what it means) — the table CONTRIBUTING.md documents.
CODES: dict[str, tuple[str, str]] = {
    "BL001": ("错误", "文件或条目结构不对：不是 YAML 映射、缺少必填字段、出现未知字段"),
    "BL002": ("错误", "id 重复，或不符合命名规则（小写字母、数字、连字符）"),
    "BL003": ("错误", "未知槽位 slot"),
    "BL004": ("错误", "主题 topic 或分组 group 缺失或未登记"),
    "BL005": ("错误", "未知标签：org_types、kinds 或 layouts 的取值不在列表中"),
    "BL006": ("错误", "未知占位符（只能用 CONTRIBUTING.md 所列的占位符）"),
    "BL007": ("错误", "与已有条目几乎相同（字符二元组 Dice 系数 ≥ 0.8，数字须完全一致才算相同）"),
    "BL008": ("错误", "半角标点或多余空格：中文之间应使用全角标点，不留空格"),
    "BL009": ("提示", "有效期已过（valid_until 早于今天），条目只会用于往年日期的稿件"),
    "BL010": ("错误", "长度超出槽位范围"),
    "BL011": ("错误", "使用了某类单位的专属词语，但 org_types 没有限定到这些单位类型"),
    "BL012": ("错误", "含有阿拉伯数字：词库不得编造数字，具体数字只能来自简报"),
    "BL013": ("错误", "与槽位的写法不符（句末标点、开头用语等）"),
    "BL014": ("错误", "含有时效性提法，但没有标注 valid_from / valid_until"),
    "BL015": ("错误", "日期字段不对：格式错误，或 valid_from 晚于 valid_until"),
    "BL016": ("错误", "说到了本次会议（本次述职、这次述职评议），却没有用 kinds 限定文稿类型"),
    "BL017": ("错误", "成绩、问题、意见条目没有标注 facet，或 facet 不是该主题下登记的方面（draftgen topics 可查）"),
    "BL018": ("提示", "小标题及其方面的所有展开句都没有用到该方面的关键词，读者难以看出它讲的是哪个方面"),
    "BL019": ("错误", "用了把事实硬接在段尾的固定套话（具体表现为、从述职和日常检查看……）"),
    "BL020": ("错误", "一、二、三、标题的 topics 中有未登记的主题，或不属于该标题的分组"),
    "BL021": ("错误", "用了某类单位讲话不该出现的说法（vocabulary.yaml 的 profiles.banned），却没有用 org_types 排除这类单位"),
    "BL022": ("错误", "形势与要求（situation）没有写到“习近平新时代中国特色社会主义思想”"),
    "BL023": ("错误", "requires 的关键词不在条目文字中，或过于宽泛（党员、支部、制度……）"),
}
# Topic entries are shared by every kind of speech; wording about this very meeting is not.
THIS_MEETING = re.compile(r"(本次|这次|今天的?)述职")

NEAR_DUPLICATE = 0.8
# Words nearly every brief uses: as a `requires` keyword they would let a specific sentence into any draft.
BROAD_WORDS = frozenset("党员 支部 党支部 党组织 党委 制度 管理 工作 建设 教育 学习 组织 书记 干部 群众 服务 活动 机制 责任".split())
HALF_WIDTH = re.compile(r"[,;:!?()]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|^\s|\s$")
# Wording that names a dated congress, plenum, plan, campaign or anniversary.
TIME_BOUND = re.compile(r"十[八九]大|二十大|[十二]十?届.中全会|历次全会|十[三四五六]五|主题教育|党史学习教育|党纪学习教育|两学一做|八项规定精神学习教育|周年|疫情|收官之年|开局之年")
# Typical values used to measure an entry's length the way it will read in a draft.
TYPICAL_VALUES = {
    "unit": "学校党委", "org_name": "中共某市第一中学委员会", "superior": "区委教育工委", "business": "教育教学",
    "members": "党员教师", "year": "2025", "next_year": "2026", "meeting": "2025年度基层党组织书记抓基层党建工作述职评议会",
    "reporters": "13", "written_reporters": "2", "named_reporters": "第二党支部张桂兰、第一党支部周德明", "deployed_by": "区委组织部", "speaker": "王明",
    "spirit": "党的二十大和二十届历次全会精神", "milestone": "建党105周年", "report_by": "区委组织部部长李强同志",
    "audience": "学校各党支部", "whole": "全校", "period": "2025年", "horizon": "新的一年",
    "fact": "完成8个党支部按期换届", "cases": "李华同志带领年级党员成立学习小组，【待补充：取得的成效】",
    "problem": "毕业年级学生党员外出实习期间参加组织生活不够经常",
}


@dataclass(frozen=True)
class LintFinding:
    file: str
    line: int
    code: str
    message: str

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code} {self.message}"


def bigrams(text: str) -> frozenset[str]:
    han = re.sub(r"\{[a-z_]+\}", "", text)
    return frozenset(han[i:i + 2] for i in range(len(han) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _structure_findings(path: Path) -> tuple[list[Entry], list[LintFinding]]:
    """Parse one file; structural problems become BL001/BL015 findings instead of exceptions."""
    findings: list[LintFinding] = []
    try:
        data, lines, _ = read_yaml(path)
    except InputError as e:
        return [], [LintFinding(str(path), _line_of(m), "BL001", _strip_location(m)) for m in e.problems]
    problems: list[str] = []
    entries = parse_entries(path, data, lines, problems)
    for message in problems:
        code = "BL015" if "日期" in message else "BL001"
        findings.append(LintFinding(str(path), _line_of(message), code, _strip_location(message)))
    return entries, findings


def _line_of(message: str) -> int:
    m = re.match(r"^.*?:(\d+):", message)
    return int(m.group(1)) if m else 1


def _strip_location(message: str) -> str:
    return re.sub(r"^.*?:\d+:\s*", "", message)


def lint_entry(e: Entry, bank: PhraseBank, today: dt.date) -> list[LintFinding]:
    out: list[LintFinding] = []

    def add(code: str, message: str) -> None:
        out.append(LintFinding(e.file, e.line, code, message))

    if not ID_RE.match(e.id):
        add("BL002", f"id“{e.id}”只能由小写字母、数字和连字符组成")
    spec = SLOTS.get(e.slot)
    if spec is None:
        add("BL003", f"未知槽位“{e.slot}”；可用槽位：{'、'.join(SLOTS)}")
        return out
    if e.slot in TOPIC_SLOTS and e.topic not in bank.topics:
        add("BL004", f"槽位 {e.slot} 需要 topic，且必须是已登记的主题（draftgen topics），实为“{e.topic}”")
    if e.slot in GROUP_SLOTS and e.group not in bank.groups:
        add("BL004", f"{e.slot} 需要 group，可选：{'、'.join(bank.groups)}；实为“{e.group}”")
    if e.slot == "situation" and not (e.valid_from and e.valid_until):
        add("BL014", "形势与要求（situation）是按会议日期选用的当期提法，请标注 valid_from 和 valid_until")
    if e.slot == "principle" and not e.text.endswith("。"):
        add("BL013", "短句道理应以“。”结尾")
    if e.slot in TOPIC_SLOTS and e.topic in bank.topics:
        facets = [f.id for f in bank.topics[e.topic].facets]
        if e.facet not in facets:
            what = f"实为“{e.facet}”" if e.facet else "未标注"
            add("BL017", f"请用 facet 标明条目讲的是主题“{e.topic}”的哪个方面：{'、'.join(facets)}；{what}")
    for t in e.topics:
        if t not in bank.topics or (e.group and bank.topics[t].group != e.group):
            group_topics = "、".join(x for x, topic in bank.topics.items() if topic.group == e.group)
            add("BL020", f"topics 中的“{t}”不是分组“{e.group}”的主题；可选：{group_topics}")
    unfit = {t: [w for w in profile.get("banned", ()) if w in e.text] for t, profile in bank.profiles.items()
             if not e.org_types or t in e.org_types}
    unfit = {t: words for t, words in unfit.items() if words}
    if unfit:
        words = "、".join(dict.fromkeys(w for ws in unfit.values() for w in ws))
        types = "、".join(ORG_TYPES.get(t, t) for t in unfit)
        add("BL021", f"“{words}”不适合{types}的讲话；请改换说法，或用 org_types 限定到适用的单位类型")
    if e.slot == "situation" and "习近平新时代中国特色社会主义思想" not in e.text:
        add("BL022", "形势与要求应写明“以习近平新时代中国特色社会主义思想为指导”一类的提法")
    for seam in SEAM_RE.findall(e.text):
        add("BL019", f"“{seam}”是把事实硬接在段尾的套话：事实由程序放在小标题之后，请删去或换一种说法")
    for field_name, values, allowed in (("org_types", e.org_types, ORG_TYPES), ("kinds", e.kinds, KINDS),
                                        ("layouts", e.layouts, LAYOUTS)):
        for v in values:
            if v not in allowed:
                add("BL005", f"{field_name} 中的“{v}”未登记；可选：{'、'.join(allowed)}")
    unknown = sorted(e.placeholders - set(PLACEHOLDERS))
    for name in unknown:
        add("BL006", f"未知占位符 {{{name}}}；可用：{'、'.join('{' + p + '}' for p in PLACEHOLDERS)}")
    if HALF_WIDTH.search(re.sub(r"\{[a-z_]+\}", "", e.text)):
        add("BL008", "含有半角标点（, ; : ! ? ( )）或多余空格，请改为全角标点并删去空格")
    if e.valid_from and e.valid_until and e.valid_from > e.valid_until:
        add("BL015", f"valid_from（{e.valid_from}）晚于 valid_until（{e.valid_until}）")
    if e.valid_until and e.valid_until < today and spec["family"] not in ("formulas", "situation") and \
            e.slot != "achievements_intro":
        # Formulas stay, and so does what a year was (2021年是……): a back-dated draft still needs the wording of
        # its day.
        add("BL009", f"有效期到 {e.valid_until} 已过，只会用于更早日期的稿件；如已不用可删除")
    if not unknown:
        filled = fill(e.text, TYPICAL_VALUES)
        if not spec["min"] <= len(filled) <= spec["max"]:
            add("BL010", f"填入典型值后长 {len(filled)} 字，槽位 {e.slot} 应为 {spec['min']}～{spec['max']} 字")
    foreign = [(w, types) for w, types in bank.exclusive_vocabulary.items()
               if w in e.text and (not e.org_types or not set(e.org_types) <= set(types))]
    if foreign:
        words = "、".join(f"“{w}”（{'/'.join(t)}）" for w, t in foreign)
        add("BL011", f"{words}只适合括号中的单位类型，请把 org_types 限定在其中，或改用 {{business}}/{{members}}")
    if e.slot not in ("milestone", "situation") and re.search(r"\d", re.sub(r"\{[a-z_]+\}", "", e.text)):
        add("BL012", "含有阿拉伯数字；数字只能来自简报，请改用占位符或删去")
    for message in _format_problems(e):
        add("BL013", message)
    if spec["family"] in ("achievements", "problems", "directives", "sections") and THIS_MEETING.search(e.text) \
            and not e.kinds:
        add("BL016", f"“{THIS_MEETING.search(e.text).group(0)}”只适合述职评议会讲话，请加 kinds: [review]")
    for word in e.requires:
        if word not in e.text:
            add("BL023", f"requires 的关键词“{word}”不在条目文字中：请写条目里讲具体做法或问题的原词")
        elif len(word) < 2 or word in BROAD_WORDS:
            add("BL023", f"requires 的关键词“{word}”过于宽泛，几乎每份简报都会写到，起不到限定作用")
    if TIME_BOUND.search(e.text) and not (e.valid_from or e.valid_until):
        add("BL014", f"“{TIME_BOUND.search(e.text).group(0)}”是有时效的提法，请标注 valid_from / valid_until，或改用 {{spirit}}/{{milestone}}")
    return out


def _format_problems(e: Entry) -> Iterable[str]:
    text = e.text
    if e.slot.endswith("_headline") and re.search(r"[。，；：！？、]$", text):
        yield "小标题末尾不加标点（模板会接“。”）"
    if e.slot.endswith("_elaboration") and not text.endswith("。"):
        yield "展开句应为完整句子，以“。”结尾"
    if e.slot in ("achievements_intro", "problems_intro") and not text.endswith("："):
        yield "引出成绩或问题的句子应以“：”结尾"
    if e.slot == "answer_problem" and "{problem}" not in text:
        yield "回应问题的句子须含 {problem}（程序填入简报所列问题的原话）"
    if e.slot == "transition":
        if not text.startswith("下面"):
            yield "过渡句应以“下面”开头"
        if re.search(r"[。，；：！？]$", text):
            yield "过渡句末尾不加标点（模板会接“，我讲N点意见。”）"
        if "我" in text:
            yield "过渡句不写“我”，模板会接“，我讲N点意见。”"
        if re.search(r"[两一二三四五六七八九十几]点", text):
            yield "过渡句不写意见的数目，数目由生成器根据实际部分数填写"
    if e.slot == "directive_headline" and text.startswith("要"):
        yield "意见小标题接在“一要”之后，不能再以“要”开头"
    if e.slot == "closing" and "谢谢大家" in text:
        yield "结尾不写“谢谢大家”，模板会单独成段"


def lint_paths(paths: Optional[Iterable[Path]] = None, *, bank_dir: Path | None = None,
               today: dt.date | None = None) -> list[LintFinding]:
    """Lint ``paths`` (default: the whole bank) against the rest of the bank."""
    bank_dir = Path(bank_dir or PHRASEBANK_DIR)
    today = today or dt.date.today()
    bank, parse_problems = read_bank(bank_dir)
    shipped = bank_files(bank_dir)
    targets = [Path(p) for p in paths] if paths else shipped
    target_files = {str(p) for p in targets} | {str(p.resolve()) for p in targets}
    findings: list[LintFinding] = [
        LintFinding(f"{m.split(':')[0]}", _line_of(m), "BL015" if "日期" in m else "BL001", _strip_location(m))
        for m in parse_problems if m.split(":")[0] in target_files
    ]
    # The shipped files not being linted are still compared against (duplicate ids, near-duplicates).
    entries: list[Entry] = list(bank.entries)
    shipped_resolved = {p.resolve() for p in shipped}
    for path in targets:
        if path.resolve() not in shipped_resolved:
            file_entries, structural = _structure_findings(path)
            entries += file_entries
            findings += structural
    is_target = lambda e: e.file in target_files  # noqa: E731
    seen: dict[str, Entry] = {}
    for e in entries:
        if e.id in seen and is_target(e):
            first = seen[e.id]
            findings.append(LintFinding(e.file, e.line, "BL002", f"id“{e.id}”重复，已见于 {first.file}:{first.line}"))
        seen.setdefault(e.id, e)
        if is_target(e):
            findings += lint_entry(e, bank, today)
    findings += _near_duplicates(entries, is_target)
    findings += _unmarked_headlines(entries, bank, is_target)
    return sorted(findings, key=lambda f: (f.file, f.line, f.code))


def _unmarked_headlines(entries: list[Entry], bank: PhraseBank, is_target) -> list[LintFinding]:
    """A headline whose facet's keywords appear neither in it nor in any elaboration of its facet."""
    facets = bank.facets
    # (file, family, facet) whose elaborations name a keyword; each family's facets live in one file
    marked: set[tuple[str, str, str]] = set()
    for e in entries:
        if e.slot.endswith("_elaboration") and e.facet in facets and any(k in e.text for k in facets[e.facet].keywords):
            marked.add((e.file, e.slot.split("_")[0], e.facet))
    out = []
    for e in entries:
        if not (is_target(e) and e.slot in TOPIC_SLOTS and e.slot.endswith("_headline") and e.facet in facets):
            continue
        if any(k in e.text for k in facets[e.facet].keywords) or (e.file, e.slot.split("_")[0], e.facet) in marked:
            continue
        out.append(LintFinding(e.file, e.line, "BL018", f"“{e.text}”及方面“{e.facet}”的展开句都没有用到其关键词"
                                                       f"（{'、'.join(facets[e.facet].keywords)}）"))
    return out


def similar_pairs(sets: list[frozenset[str]], threshold: float) -> list[tuple[int, int]]:
    """Every pair (i, j), j < i, of sets whose Dice coefficient is at least ``threshold``, in (i, j) order.

    Prefix filtering instead of comparing every pair: with Dice ≥ t, two sets share at least t·|A|/(2−t)
    of A's bigrams, so under one global order (rarest bigrams first) their first |A| − ⌈t·|A|/(2−t)⌉ + 1
    bigrams must meet. Only pairs that meet there are scored, and the size bound (|B| ≥ |A|·t/(2−t)) drops
    most of those; a 20,000-entry bank is checked in about a second instead of tens of seconds."""
    from collections import Counter
    from itertools import chain

    freq = Counter(chain.from_iterable(sets))
    # Rarest first; ties in any fixed order (any global order finds every pair, rare-first finds them fastest),
    # so no sort of the bigrams is needed: rank = frequency, then first appearance.
    distinct = len(freq)
    rank = {g: n * distinct + i for i, (g, n) in enumerate(freq.items())}.__getitem__
    ratio = threshold / (2 - threshold)
    sizes = [len(grams) for grams in sets]
    index: dict[int, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    for i, grams in enumerate(sets):
        size = sizes[i]
        if not size:
            continue
        ordered = sorted(map(rank, grams))  # bigrams as their ranks: ints sort and hash faster than strings
        # Rounded down a little, so float error can only make the prefix longer (never miss a pair).
        keep = size - math.ceil(ratio * size - 1e-9) + 1
        low, high = ratio * size - 1e-9, size / ratio + 1e-9
        seen: set[int] = set()
        for g in ordered[:keep]:
            found = index.get(g)
            if found is None:
                index[g] = [i]
                continue
            for j in found:
                if j not in seen:
                    seen.add(j)
                    # dice ≥ t, without the division: 2·|A ∩ B| ≥ t·(|A| + |B|)
                    if low <= sizes[j] <= high and 2 * len(grams & sets[j]) >= threshold * (size + sizes[j]) - 1e-9:
                        pairs.append((i, j))
            found.append(i)
    return sorted(pairs)


def _near_duplicates(entries: list[Entry], is_target) -> list[LintFinding]:
    out = []
    by_slot: dict[str, list[Entry]] = {}
    for e in entries:
        by_slot.setdefault(e.slot, []).append(e)
    for slot_entries in by_slot.values():
        grams = [bigrams(e.text) for e in slot_entries]
        digits = [re.findall(r"\d+", e.text) for e in slot_entries]
        for i, j in similar_pairs(grams, NEAR_DUPLICATE):
            a, b = slot_entries[i], slot_entries[j]
            if not (is_target(a) or is_target(b)) or digits[i] != digits[j]:
                continue
            score = dice(grams[i], grams[j])
            later, earlier = (a, b) if is_target(a) else (b, a)
            out.append(LintFinding(later.file, later.line, "BL007",
                                   f"与 {earlier.id}（{earlier.file}:{earlier.line}）几乎相同（相似度 {score:.2f}），请换一种说法"))
    return out


def format_report(findings: list[LintFinding]) -> str:
    lines = [str(f) for f in findings]
    errors = sum(1 for f in findings if f.severity == "错误")
    warnings = len(findings) - errors
    lines.append(f"词库检查：{errors} 个错误，{warnings} 个提示" if findings else "词库检查：未发现问题")
    return "\n".join(lines)
