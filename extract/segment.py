"""Word segmentation: a blank spaCy `zh` pipeline with the jieba segmenter, loaded once, lazily.

The statistical zh models are not installable offline, so segmentation is jieba's and everything
above it is rules. jieba's dictionary cache goes to a writable cache folder and its log is silenced
so the CLI stays quiet.
"""
from __future__ import annotations

import logging
import os
import pickle
import re
import tempfile
from bisect import bisect_left
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


# jieba cuts each run of these characters on its own (jieba.re_han_default): segmenting one run gives
# exactly the tokens that segmenting the whole text gives there.
_BLOCK_CHARS = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]")


class Tokens:
    """Word boundaries of a text, segmented on demand one jieba block at a time.

    Recognizers ask about a few offsets (does a numeral start a word? which word follows a figure?),
    so only the blocks they touch go through spaCy; the answers equal those of a whole-text Doc.
    """

    def __init__(self, text: str):
        self.text = text
        self._blocks: dict[int, tuple[list[int], list[int]]] = {}

    def _block_at(self, offset: int) -> tuple[list[int], list[int]] | None:
        text = self.text
        if not 0 <= offset < len(text) or not _BLOCK_CHARS.match(text, offset):
            return None
        a = offset
        while a > 0 and _BLOCK_CHARS.match(text, a - 1):
            a -= 1
        if a not in self._blocks:
            b = offset + 1
            while b < len(text) and _BLOCK_CHARS.match(text, b):
                b += 1
            self._blocks[a] = _segment(text[a:b], a)
        return self._blocks[a]

    def _index(self, offset: int) -> tuple[list[int], list[int], int] | None:
        block = self._block_at(offset)
        if block is None:
            return None
        starts, lengths = block
        i = bisect_left(starts, offset)
        return (starts, lengths, i) if i < len(starts) and starts[i] == offset else None

    def is_boundary(self, offset: int) -> bool:
        """A word starts at `offset` (any character outside a jieba block stands alone)."""
        if self._block_at(offset) is None:
            return True
        return self._index(offset) is not None

    def token_at(self, offset: int) -> str | None:
        """The word that starts exactly at `offset`."""
        found = self._index(offset)
        if found is None:
            return None
        starts, lengths, i = found
        return self.text[offset:offset + lengths[i]]


def _segment(block: str, base: int) -> tuple[list[int], list[int]]:
    from spacy.attrs import IDX, LENGTH

    arr = nlp()(block).to_array([IDX, LENGTH])
    return [base + int(x) for x in arr[:, 0]], [int(x) for x in arr[:, 1]]


def tokenize(text: str) -> Tokens:
    return Tokens(text)
