"""The package as a user meets it: the library API exported from `extract`, its version and type
marker, `python -m extract`, the command's -h and --version, the default job count."""
from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli


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


@pytest.mark.parametrize(
    "options, error",
    [
        (dict(ocr="sometimes"), "ocr='sometimes': not one of auto, always, never"),
        (dict(ocr_engine="abbyy"), "ocr_engine='abbyy': not one of rapidocr, "),
    ],
)
def test_read_options_refuse_an_unknown_mode_or_engine_when_made(options, error):
    import extract

    with pytest.raises(ValueError) as caught:
        extract.ReadOptions(**options)
    assert str(caught.value).startswith(error)


def test_read_options_reach_the_reader(tmp_path):
    """--ocr never as the library says it: an image is refused, naming the option."""
    import extract

    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(extract.InputError) as caught:
        extract.extract_file(str(scan), extract.ReadOptions(ocr="never"))
    assert "needs OCR, which --ocr never turns off" in str(caught.value)


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
    # a process: `python -m extract` (extract/__main__.py) is what is tested
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


# a file's format: (its first bytes, its name, the reader chosen)
FORMATS = [
    (b"%PDF-1.7\n", "bulletin.pdf", "pdf"),
    (b"%PDF-1.4\n", "bulletin", "pdf"),  # saved without an extension
    (b"%PDF-1.4\n", "bulletin.txt", "pdf"),  # or with the wrong one
    (b"\r\n\r\n%PDF-1.4\n", "bulletin.dat", "pdf"),  # junk before the header, as readers allow
    (b"\x89PNG\r\n\x1a\n\x00\x00", "page.txt", "image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "page", "image"),
    (b"II*\x00\x08\x00", "scan.TIF", "image"),
    (b"MM\x00*\x00\x08", "scan.dat", "image"),
    ("荆州市总工会\n八月份工作综述\n".encode("utf-8"), "2020-08.txt", "text"),
    ("荆州市总工会".encode("gb18030"), "2020-08", "text"),
    (b"not a PDF", "broken.pdf", "pdf"),  # the PDF reader then says why (no %PDF header)
    (b"", "empty.png", "image"),
]


@pytest.mark.parametrize("head,name,kind", FORMATS, ids=[f[1] for f in FORMATS])
def test_the_reader_follows_the_files_content_then_its_name(tmp_path, head, name, kind):
    from extract.read import input_format

    (tmp_path / name).write_bytes(head)
    assert input_format(str(tmp_path / name)) == kind


def test_a_pdf_with_junk_before_its_header_is_read_as_the_pdf(tmp_path):
    """What finds the format finds the reader's header too: bytes before %PDF (within 1 KB, as ISO 32000
    allows) are read through, with the same text as the file without them."""
    from extract import extract_file

    pdf = ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.reportlab.pdf"
    junk = tmp_path / "jingzhou.dat"
    junk.write_bytes(b"\r\n\r\n" + pdf.read_bytes())
    got, want = extract_file(str(junk)), extract_file(str(pdf))
    assert (got.source.format, got.source.page_count, got.text) == ("pdf", 6, want.text)


def test_a_pdf_without_its_extension_is_read_as_a_pdf(tmp_path):
    pdf = ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.reportlab.pdf"
    renamed = tmp_path / "jingzhou-2020-08"
    renamed.write_bytes(pdf.read_bytes())
    run = run_cli("extract", renamed, timeout=120)
    assert run.exit_code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["issuer"] == "荆州市总工会" and doc["source"]["format"] == "pdf" and doc["source"]["page_count"] == 6


# `bulletin extract -`: (what standard input holds, the issuer read or the error line's end)
STDIN_CASES = [
    ("samples/jingzhou-ftu-2020-08.txt", "荆州市总工会"),
    ("tests/fixtures/samplepdf/jingzhou-ftu-2020-08.reportlab.pdf", "荆州市总工会"),
    (None, "bulletin: <stdin>: empty file"),
]


@pytest.mark.parametrize("given,expected", STDIN_CASES, ids=["text", "pdf", "empty"])
def test_a_dash_reads_standard_input(given, expected):
    data = (ROOT / given).read_bytes() if given else b""
    run = run_cli("extract", "-", input=data, timeout=120)  # bytes as given: the command reads sys.stdin.buffer
    if given:
        doc = json.loads(run.stdout_bytes)
        assert run.exit_code == 0 and doc["issuer"] == expected and doc["source"]["path"] == "<stdin>"
        assert doc["text"] == json.loads(run_cli("extract", ROOT / given).stdout_bytes)["text"]
    else:
        assert run.exit_code == 1 and run.stderr.strip() == expected


def test_the_commands_choices_are_the_packages_own():
    from extract import cli
    from extract.read import OCR_MODES
    from extract.read import ENGINES

    assert [e.value for e in cli.OcrEngineName] == list(ENGINES)
    assert [m.value for m in cli.OcrMode] == list(OCR_MODES)


# shell completion as the shell asks for it (the words typed, the word being completed) → what it offers
COMPLETIONS = [
    ("bulletin ba", 1, ["batch"]),
    ("bulletin extract --ocr ", 3, ["auto", "always", "never"]),
    ("bulletin batch --executor ", 3, ["local", "dask"]),
]


@pytest.mark.parametrize("words,cword,offered", COMPLETIONS, ids=[c[0] for c in COMPLETIONS])
def test_the_shell_completes_commands_and_choices(words, cword, offered, cli_env):
    # a process: click answers the shell's completion request from the environment, at start
    env = {**cli_env, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_BULLETIN_COMPLETE": "complete_bash"}
    bulletin = Path(sys.executable).parent / "bulletin"
    run = subprocess.run([str(bulletin)], capture_output=True, text=True, env=env, timeout=60)
    assert run.stdout.split() == offered


def test_completion_installs_for_the_users_shell(cli_env):
    bulletin = Path(sys.executable).parent / "bulletin"
    # a process: the installed console script, whose own name the completion script binds
    run = subprocess.run([str(bulletin), "--show-completion", "bash"], capture_output=True, text=True, env=cli_env,
                         timeout=60)
    assert run.returncode == 0 and "complete -o default -F _bulletin_completion bulletin" in run.stdout


def test_verbose_says_what_each_document_gave(tmp_path, cli_env):
    """-v: one line per document on stderr, its counts as the JSON has them, then each warning."""
    from extract import cli
    from typer.testing import CliRunner

    sample = ROOT / "samples" / "jingzhou-ftu-2020-08.txt"
    run = CliRunner().invoke(cli.app, ["extract", "-v", str(sample), "-o", str(tmp_path / "out.json")])
    assert run.exit_code == 0, run.output
    line = run.stderr.splitlines()[0]
    # 2 parts, 15 top and nested sections, 9 of them with a task: counted by hand in the sample
    assert line.startswith(f"extract: {sample}: 2 parts, 15 sections, ")
    assert ", 9 tasks, " in line and line.endswith(" s)")
