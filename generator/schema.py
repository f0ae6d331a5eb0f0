"""JSON Schemas for the brief, the org config and bank files, so editors complete and validate as one types.

The schemas are derived from the same models and registries the loader uses; `draftgen schema` writes
them, and a test keeps the committed copies in schemas/ up to date.
"""

from __future__ import annotations

import json

from .bank import ENTRY_KEYS, PLACEHOLDERS, SLOTS, default_bank
from .models import KINDS, LAYOUTS, ORG_TYPES, Brief, Org
from .validation import json_schema

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def _with_descriptions(schema: dict, descriptions: dict[str, str]) -> dict:
    for key, text in descriptions.items():
        if key in schema.get("properties", {}):
            schema["properties"][key]["description"] = text
    return schema


def org_schema() -> dict:
    schema = json_schema(Org)
    schema["$schema"] = SCHEMA_URL
    schema["title"] = "draftgen 单位配置（org.yaml）"
    schema["properties"]["type"]["description"] = "；".join(f"{k} {v}" for k, v in ORG_TYPES.items())
    return _with_descriptions(schema, {
        "name": "党组织全称", "short_name": "行文中的简称，如“学校党委”", "superior": "上级党组织",
        "business": "单位的中心工作，如“教育教学”", "members": "对本单位党员的称呼，如“党员教师”",
        "docx": "Word 排版设置：fonts、reference、profile",
    })


def brief_schema() -> dict:
    schema = json_schema(Brief)
    org = org_schema()
    defs = schema.setdefault("$defs", {})
    for name, sub in org.pop("$defs", {}).items():
        defs.setdefault(name, sub)
    org.pop("$schema", None)
    defs["Org"] = org
    schema["properties"]["org"] = {
        "description": "单位配置文件的路径（相对于简报），或直接缩进填写单位信息",
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/Org"}],
    }
    topics = list(default_bank().topics)
    schema["$defs"]["TopicFacts"]["properties"]["topic"] = {"enum": topics, "description": "主题，见 draftgen topics"}
    facets = list(default_bank().facets)
    schema["$defs"]["TopicFacts"]["properties"]["facet"] = {
        "anyOf": [{"enum": facets}, {"type": "null"}],
        "description": "这些事实属于主题的哪个方面；不填时按关键词自动归类（见 draftgen topics）"}
    schema["properties"]["focus"]["items"] = {"enum": topics}
    schema["properties"]["kind"]["description"] = "；".join(f"{k} {v}" for k, v in KINDS.items())
    schema["$schema"] = SCHEMA_URL
    schema["title"] = "draftgen 讲话稿简报（brief.yaml）"
    return _with_descriptions(schema, {
        "meeting": "会议：name 名称、date 日期、deployed_by 部署单位、reporters 现场述职人数、written_reporters 书面述职人数",
        "speaker": "讲话人：name 姓名、title 职务",
        "review_year": "述职所评的年度；不填时一季度开会取上一年",
        "focus": "要突出的主题",
        "achievements": "本单位的成绩事实，按主题填写",
        "problems": "查摆出的问题，按主题填写",
        "points": "讲几点意见（2～5）",
        "length": "目标字数（1500～8000）",
        "layout": "版式：separate 先讲成绩问题再讲N点意见；two_part 讲两点意见",
        "seed": "随机种子，便于复现",
    })


def bank_schema() -> dict:
    bank = default_bank()
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "slot", "text"],
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9]+(?:[-_][a-z0-9]+)*$", "description": "稳定、唯一的编号"},
            "slot": {"enum": list(SLOTS), "description": "；".join(f"{k}：{v['desc']}" for k, v in SLOTS.items())},
            "text": {"type": "string", "description": "条目文字；占位符：" + "、".join("{" + p + "}" for p in PLACEHOLDERS)},
            "topic": {"enum": list(bank.topics)},
            "facet": {"enum": list(bank.facets), "description": "条目讲的是主题的哪个方面（见 topics.yaml 的 facets）"},
            "topics": {"type": "array", "items": {"enum": list(bank.topics)},
                       "description": "一、二、三、标题所讲的主题；不写表示讲整个分组"},
            "group": {"enum": list(bank.groups)},
            "org_types": {"type": "array", "items": {"enum": list(ORG_TYPES)}},
            "kinds": {"type": "array", "items": {"enum": list(KINDS)}},
            "layouts": {"type": "array", "items": {"enum": list(LAYOUTS)}},
            "tone": {"type": "string"},
            "weight": {"type": "number", "exclusiveMinimum": 0},
            "valid_from": {"type": "string", "format": "date"},
            "valid_until": {"type": "string", "format": "date"},
            "requires": {"type": "array", "items": {"type": "string", "minLength": 2},
                         "description": "条目讲的是具体做法或具体问题时，写出条目中的关键词：简报提到其中之一才会选用（不编造）"},
            "note": {"type": "string"},
        },
    }
    assert set(entry["properties"]) == ENTRY_KEYS
    return {
        "$schema": SCHEMA_URL,
        "title": "draftgen 词库文件（phrasebank/*.yaml）",
        "type": "object",
        "required": ["entries"],
        "properties": {"entries": {"type": "array", "items": entry}},
        "additionalProperties": False,
    }


SCHEMAS = {"brief.schema.json": brief_schema, "org.schema.json": org_schema, "bank.schema.json": bank_schema}


def render_schemas() -> dict[str, str]:
    return {name: json.dumps(make(), ensure_ascii=False, indent=2) + "\n" for name, make in SCHEMAS.items()}
