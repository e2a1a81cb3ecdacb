"""Word segmentation: a blank spaCy `zh` pipeline with the jieba segmenter, loaded once, lazily.

The statistical zh models are not installable offline, so segmentation is jieba's and everything
above it is rules. jieba's dictionary cache goes to a writable cache folder and its log is silenced
so the CLI stays quiet.
"""
from __future__ import annotations

import logging
import os
import tempfile
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache


def _cache_dir() -> str:
    base = os.environ.get("BULLETIN_CACHE") or os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "bulletin-extract")
    try:
        os.makedirs(path, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    return tempfile.gettempdir()


@lru_cache(maxsize=1)
def nlp():
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = _cache_dir()
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return pipeline


@lru_cache(maxsize=1)
def word_freq():
    """jieba's dictionary frequency of a word (0 when unknown)."""
    import jieba

    nlp()  # configures jieba's cache and logging first
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    return lambda w: freq.get(w, 0)


@dataclass(frozen=True)
class Tokens:
    """Token boundaries of a text, for offset checks without holding the spaCy Doc."""

    text: str
    starts: list[int]
    lengths: list[int]

    def _index(self, offset: int) -> int | None:
        i = bisect_left(self.starts, offset)
        return i if i < len(self.starts) and self.starts[i] == offset else None

    def is_boundary(self, offset: int) -> bool:
        return self._index(offset) is not None

    def token_at(self, offset: int) -> str | None:
        """The token that starts exactly at `offset`."""
        i = self._index(offset)
        return None if i is None else self.text[offset:offset + self.lengths[i]]


def tokenize(text: str) -> Tokens:
    from spacy.attrs import IDX, LENGTH

    doc = nlp()(text)
    # one array call instead of a Python Token object per word
    arr = doc.to_array([IDX, LENGTH])
    return Tokens(text, arr[:, 0].tolist(), arr[:, 1].tolist())
