"""Stage 1: briefs and org configs are validated, and every problem is located file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.load import load_brief

ORG = "name: 中共某市第一中学委员会\nshort_name: 学校党委\ntype: school\n"
BRIEF = """\
kind: review
org: org.yaml
meeting:
  name: 2025年度基层党组织书记抓基层党建工作述职评议会
  date: 2026-01-20
  reporters: 13
speaker: {name: 王明, title: 党委书记}
focus: [组织建设]
"""


def write(tmp_path: Path, brief: str, org: str = ORG) -> Path:
    (tmp_path / "org.yaml").write_text(org, encoding="utf-8")
    path = tmp_path / "brief.yaml"
    path.write_text(textwrap.dedent(brief), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_brief(path)
    return info.value.problems


def test_valid_brief_loads_with_org(tmp_path):
    loaded = load_brief(write(tmp_path, BRIEF))
    assert loaded.org.short_name == "学校党委"
    assert loaded.brief.meeting.reporters == 13
    assert loaded.brief.meeting.date.isoformat() == "2026-01-20"
    assert len(loaded.digest) == 64


def test_wrong_type_is_located_with_line_and_field(tmp_path):
    path = write(tmp_path, BRIEF.replace("reporters: 13", "reporters: 十三"))
    assert problems_of(path) == [f"{path}:6: meeting.reporters: 应为整数，实为“十三”"]


def test_unknown_key_suggests_the_nearest_field(tmp_path):
    path = write(tmp_path, BRIEF.replace("  reporters: 13", "  reporter: 13"))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:6: meeting.reporter: 未知字段“reporter”")
    assert "是否想写“reporters”" in message


def test_missing_required_field(tmp_path):
    path = write(tmp_path, BRIEF.replace("speaker: {name: 王明, title: 党委书记}\n", ""))
    assert problems_of(path) == [f"{path}:1: speaker: 缺少必填字段"]


def test_unknown_topic_with_suggestion(tmp_path):
    path = write(tmp_path, BRIEF.replace("focus: [组织建设]", "focus: [组织建设, 党员教育]"))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:8: focus[1]: 未知主题“党员教育”")
    assert "党员教育管理" in message


def test_unknown_org_type_lists_choices_in_the_org_file(tmp_path):
    path = write(tmp_path, BRIEF, ORG.replace("type: school", "type: schol"))
    [message] = problems_of(path)
    assert message.startswith(f"{tmp_path / 'org.yaml'}:3: type: 应为以下之一：")
    assert "school（中小学校）" in message and "是否想写“school”" in message


def test_missing_org_file(tmp_path):
    path = write(tmp_path, BRIEF.replace("org: org.yaml", "org: 不存在.yaml"))
    assert problems_of(path) == [f"{path}:2: org: 找不到单位配置文件“不存在.yaml”（相对于简报所在目录）"]


def test_inline_org_problems_are_located_in_the_brief(tmp_path):
    brief = BRIEF.replace("org: org.yaml", "org:\n  name: 某医院党委\n  type: clinic")
    path = write(tmp_path, brief)
    [message] = problems_of(path)
    assert message.startswith(f"{path}:4: org.type: 应为以下之一")


def test_invalid_yaml_is_reported_with_line(tmp_path):
    path = write(tmp_path, BRIEF.replace("speaker: {name: 王明, title: 党委书记}", "speaker: {name: 王明"))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:") and "YAML 格式错误" in message


def test_yaml_11_traps_are_disarmed(tmp_path):
    # "no" must not become False, and "3.10" must not become 3.1: both stay text.
    brief = BRIEF.replace("speaker: {name: 王明, title: 党委书记}", "speaker: {name: no, title: 3.10}")
    loaded = load_brief(write(tmp_path, brief))
    assert loaded.brief.speaker.name == "no"
    assert loaded.brief.speaker.title == "3.10"


def test_all_problems_reported_at_once(tmp_path):
    brief = BRIEF.replace("reporters: 13", "reporters: 十三").replace("date: 2026-01-20", "date: 明年")
    assert len(problems_of(write(tmp_path, brief))) == 2


def test_date_must_be_a_date(tmp_path):
    path = write(tmp_path, BRIEF.replace("date: 2026-01-20", "date: 正月初二"))
    assert problems_of(path) == [f"{path}:5: meeting.date: 应为日期（如 2026-01-20），实为“正月初二”"]
    path = write(tmp_path, BRIEF.replace("date: 2026-01-20", "date: 2026-13-40"))
    assert problems_of(path) == [f"{path}:5: meeting.date: 应为日期（如 2026-01-20），实为“2026-13-40”"]


@pytest.mark.parametrize("written", ["2026年1月20日", "2026-1-20", "2026/01/20", "2026.1.20"])
def test_dates_as_people_write_them(tmp_path, written):
    loaded = load_brief(write(tmp_path, BRIEF.replace("date: 2026-01-20", f"date: {written}")))
    assert loaded.brief.meeting.date.isoformat() == "2026-01-20"


def test_a_key_given_twice_is_an_error_not_a_silent_choice(tmp_path):
    path = write(tmp_path, BRIEF.replace("  reporters: 13", "  reporters: 13\n  reporters: 12"))
    assert problems_of(path) == [f"{path}:7: meeting.reporters: 字段重复出现，请只保留一处"]


def test_problems_are_listed_in_line_order(tmp_path):
    brief = BRIEF.replace("kind: review", "kind: speech").replace("reporters: 13", "reporters: 十三")
    lines = [int(m.split(":")[1]) for m in problems_of(write(tmp_path, brief))]
    assert lines == sorted(lines) == [1, 6]
