"""The package as a user meets it: the library API exported from `extract`, its version and type
marker, `python -m extract`, the command's -h and --version, the default job count."""
from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def test_the_library_api_reads_a_bulletin_as_the_readme_shows(tmp_path):
    import extract

    bulletin = extract.extract_file(str(ROOT / "samples" / "jingzhou-ftu-2020-08.txt"))
    assert isinstance(bulletin, extract.Bulletin)
    assert bulletin.issuer == "荆州市总工会"
    assert [p.title for p in bulletin.parts] == ["荆州市总工会八月份工作综述", "荆州市总工会九月份工作安排"]
    figure = next(f for s in bulletin.parts[0].sections for f in s.figures if f.text == "172 万")
    assert (figure.value, figure.unit) == (1_720_000, "元")
    assert bulletin.text[figure.span[0]:figure.span[1]] == "172 万"
    again = extract.extract_text((ROOT / "samples" / "jingzhou-ftu-2020-08.txt").read_text("utf-8"))
    assert json.loads(extract.to_json(again))["parts"] == json.loads(extract.to_json(bulletin))["parts"]


def test_a_bad_input_raises_the_libraries_input_error(tmp_path):
    import extract

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(extract.InputError) as caught:
        extract.extract_file(str(empty))
    assert "empty.txt" in str(caught.value)


def test_version_and_type_marker_are_the_installed_packages():
    import extract

    assert extract.__version__ == importlib.metadata.version("bulletin-extract")
    assert (Path(extract.__file__).parent / "py.typed").is_file()
    assert set(extract.__all__) <= set(dir(extract))


def test_importing_the_package_loads_no_stage():
    """`import extract` costs nothing until a name is used (the command's cold start)."""
    code = "import sys, extract; print(sorted(m for m in sys.modules if m.startswith('extract.')))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout.strip() == "[]"


# the command's conventions: (arguments, what the first line of its output starts with)
COMMAND_LINES = [
    (["--version"], "bulletin-extract "),
    (["-h"], "Usage: "),
    (["extract", "-h"], "Usage: "),
]


@pytest.mark.parametrize("args,starts", COMMAND_LINES, ids=[" ".join(a) for a, _ in COMMAND_LINES])
def test_python_m_extract_is_the_command(args, starts, cli_env):
    run = subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, env=cli_env,
                         cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.lstrip().startswith(starts)
    if args == ["--version"]:
        assert run.stdout.strip() == f"bulletin-extract {importlib.metadata.version('bulletin-extract')}"


# CPU affinity (a container's cpuset, taskset) → the cores a default batch uses
AFFINITIES = [({0}, 1), ({0, 1}, 2), ({2, 5, 7}, 3)]


@pytest.mark.parametrize("cpus,cores", AFFINITIES)
def test_the_default_job_count_follows_the_cpu_affinity(monkeypatch, cpus, cores):
    import os

    from extract import limits

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: cpus, raising=False)
    assert limits.usable_cores() == cores
