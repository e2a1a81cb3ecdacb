"""Word segmentation: a blank spaCy `zh` pipeline with the jieba segmenter, loaded once, lazily.

The statistical zh models are not installable offline, so segmentation is jieba's and everything
above it is rules. jieba's dictionary cache goes to a writable cache folder and its log is silenced
so the CLI stays quiet.
"""
from __future__ import annotations

import logging
import os
import pickle
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


def _load_jieba_dictionary(jieba) -> None:
    """Initialize jieba's prefix dictionary from a pickle cache.

    jieba's own cache is a marshal dump that takes about 1.5 s to load here; the same dictionary as a
    pickle loads in about 0.45 s, which is most of a cold start. The cache is keyed by jieba's version
    and its dictionary file, written atomically, and rebuilt by jieba itself when missing or stale.
    """
    dt = jieba.dt
    if dt.initialized:
        return
    dict_path = dt.get_dict_file().name if dt.dictionary is None else dt.dictionary
    try:
        st = os.stat(dict_path)
        key = f"{jieba.__version__}-{st.st_size}-{int(st.st_mtime)}"
    except OSError:
        key = None
    path = os.path.join(_cache_dir(), f"jieba-{key}.pickle") if key else None
    if path and os.path.exists(path):
        try:
            with open(path, "rb") as fh:
                freq, total = pickle.load(fh)
            with dt.lock:
                dt.FREQ, dt.total, dt.initialized = freq, total, True
            return
        except Exception:  # a damaged cache is rebuilt below
            pass
    dt.initialize()
    if path:
        try:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((dt.FREQ, dt.total), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass


@lru_cache(maxsize=1)
def nlp():
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = _cache_dir()
    _load_jieba_dictionary(jieba)
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
