"""The published JSON Schema, generated from the models (schemas/bulletin.schema.json)."""

from __future__ import annotations

import json

from .models import SCHEMA_VERSION, Bulletin


def json_schema() -> dict:
    schema = Bulletin.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://bulletin-extract.invalid/schemas/bulletin-{SCHEMA_VERSION}.schema.json"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
