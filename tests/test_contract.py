"""The output contract: schema in sync, outputs valid, spans exact, output deterministic, repairs reversible."""
import json
import subprocess

import jsonschema
import pytest

from conftest import BULLETIN, ROOT, SAMPLES, extracted, extracted_json, run_cli, sample_names, walk_items
from extract.repair import rebuild_original
from extract.schema import schema_text

SCHEMA_FILE = ROOT / "schemas" / "bulletin.schema.json"


def test_committed_schema_equals_generated():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: bulletin schema > schemas/bulletin.schema.json"


@pytest.mark.parametrize("name", sample_names())
def test_output_validates_against_schema(name):
    jsonschema.validate(json.loads(extracted_json(name)), json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sample_names())
def test_every_text_equals_its_span(name):
    doc = json.loads(extracted_json(name))
    checked = 0
    for item in walk_items(doc):
        if "text" in item and "span" in item:
            a, b = item["span"]
            assert doc["text"][a:b] == item["text"]
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("name", sample_names())
def test_repairs_rebuild_the_source(name):
    from extract.read.text import read_text

    doc = extracted(name)
    assert rebuild_original(doc.text, doc.repairs) == read_text(str(SAMPLES / f"{name}.txt")).text


def test_two_runs_are_byte_identical(cli_env):
    path = str(SAMPLES / "jingzhou-ftu-2020-08.txt")
    # processes: the same bytes from two fresh interpreters (hash seeds, caches and loading messages their own)
    procs = [subprocess.run(BULLETIN + ["extract", path], capture_output=True, env=cli_env, check=True) for _ in range(2)]
    runs = [p.stdout for p in procs]
    assert runs[0] == runs[1]
    assert [p.stderr for p in procs] == [b"", b""]  # jieba's loading messages stay quiet
    assert runs[0].decode("utf-8") == extracted_json("jingzhou-ftu-2020-08")
    assert "\\u" not in runs[0].decode("utf-8")  # Chinese stays readable


def test_schema_command_prints_the_schema():
    run = run_cli("schema")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == schema_text()
