"""Issue 13 item 4: the recognizers' word boundaries come from jieba directly, without importing spaCy;
they must be exactly the words spaCy's jieba segmenter makes (the design's pipeline, still used where a
Doc is needed), on every sample and real document."""
import subprocess
import sys

import pytest

from conftest import ROOT

TEXTS = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "realdocs").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_word_starts_are_spacys(path):
    from extract.read.text import read_text
    from extract.segment import _BLOCK_CHARS, nlp, tokenize

    text = read_text(str(path)).text
    tokens = tokenize(text)
    doc = nlp()(text)
    spacy_starts = {t.idx for t in doc if not t.is_space}
    inside_blocks = [i for i in range(len(text)) if _BLOCK_CHARS.match(text, i)]
    assert inside_blocks
    assert [i for i in inside_blocks if tokens.is_boundary(i)] == [i for i in inside_blocks if i in spacy_starts]


def test_a_text_extraction_imports_neither_spacy_nor_pkg_resources(tmp_path):
    code = ("import sys; from extract.pipeline import extract_file; "
            f"extract_file({str(ROOT / 'samples' / 'jingzhou-ftu-2020-08.txt')!r}); "
            "print(sorted(m for m in ('spacy', 'pkg_resources', 'thinc') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), check=True)
    assert run.stdout.strip() == "[]"
