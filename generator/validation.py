"""The pydantic reading of a brief or org config: every problem found and worded, and the JSON Schemas.

Pydantic models are built here, once, from the model dataclasses of models.py and the field markers of
fields.py, so the rules live in one place. Only briefs the fast reader is unsure of, and `draftgen schema`,
come here: a correct brief is built without importing pydantic.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from .fields import hints

CONFIG = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, str_strip_whitespace=True)
_MODELS: dict[type, type[BaseModel]] = {}
_DATACLASSES: dict[type[BaseModel], type] = {}


def model_for(cls: type) -> type[BaseModel]:
    """The pydantic model of a model dataclass (built on first use)."""
    model = _MODELS.get(cls)
    if model is None:
        fields: dict[str, Any] = {}
        types = hints(cls)
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                default: Any = f.default
            elif f.default_factory is not dataclasses.MISSING:
                default = Field(default_factory=f.default_factory)
            else:
                default = ...
            fields[f.name] = (_translate(types[f.name]), default)
        # No docstring: the code's notes are English and for developers; schema.py gives the Chinese ones.
        model = create_model(cls.__name__, __config__=CONFIG, __doc__=None, **fields)
        _MODELS[cls], _DATACLASSES[model] = model, cls
    return model


def _translate(tp: Any) -> Any:
    """A field type with every model dataclass in it replaced by its pydantic model."""
    if dataclasses.is_dataclass(tp):
        return model_for(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        return Annotated[(_translate(args[0]), *tp.__metadata__)]
    if origin is Union:
        return Union[tuple(_translate(a) for a in args)]
    if origin is list:
        return list[_translate(args[0])]
    if origin is dict:
        return dict[_translate(args[0]), _translate(args[1])]
    if origin is Literal:
        return tp
    return tp


def to_dataclass(value: Any) -> Any:
    """A validated pydantic value as the model dataclasses the pipeline works with."""
    if isinstance(value, BaseModel):
        cls = _DATACLASSES[type(value)]
        return cls(**{f.name: to_dataclass(getattr(value, f.name)) for f in dataclasses.fields(cls)})
    if isinstance(value, list):
        return [to_dataclass(v) for v in value]
    if isinstance(value, dict):
        return {k: to_dataclass(v) for k, v in value.items()}
    return value


def validate(cls: type, data: Any) -> Any:
    """``cls`` from ``data``; raises pydantic.ValidationError listing every problem."""
    return to_dataclass(model_for(cls).model_validate(data))


def json_schema(cls: type) -> dict:
    return model_for(cls).model_json_schema()
