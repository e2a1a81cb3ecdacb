"""The published JSON Schema, generated from the models (schemas/bulletin.schema.json)."""

from __future__ import annotations

import json

from .models import SCHEMA_VERSION, Bulletin


def json_schema() -> dict:
    """The Bulletin model's JSON Schema (draft 2020-12), its $id naming SCHEMA_VERSION."""
    schema = _unwrapped(Bulletin.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://bulletin-extract.invalid/schemas/bulletin-{SCHEMA_VERSION}.schema.json"
    return schema


def schema_text() -> str:
    """The schema as published: keys sorted, indented by 2, Chinese unescaped, a newline at the end."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _unwrapped(node):
    """Descriptions as one line each: a model's comes from its docstring, wrapped to the source's width."""
    if isinstance(node, dict):
        return {
            k: " ".join(v.splitlines()) if k == "description" and isinstance(v, str) else _unwrapped(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_unwrapped(v) for v in node]
    return node
