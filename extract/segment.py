"""Word segmentation: a blank spaCy `zh` pipeline with the jieba segmenter, loaded once, lazily.

The statistical zh models are not installable offline, so segmentation is jieba's and everything
above it is rules. jieba's dictionary is cached in this user's private cache folder (never in the shared
temporary folder) and its log is silenced so the CLI stays quiet.
"""
from __future__ import annotations

import logging
import os
import pickle
import re
import tempfile
from bisect import bisect_left
from functools import lru_cache


CACHE_ENV = "BULLETIN_CACHE"  # a folder for the dictionary cache instead of the platform's user cache


def private_cache_dir() -> str | None:
    """The folder for caches: $BULLETIN_CACHE, else the platform's user cache folder
    (platformdirs: ~/.cache/bulletin-extract on Linux). None unless it is this user's own and writable by
    no one else: a cache that another user could plant is never loaded (it is a pickle)."""
    import platformdirs

    path = os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("bulletin-extract", appauthor=False)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        return path if _private(path) and os.access(path, os.W_OK) else None
    except OSError:
        return None


def _private(path: str) -> bool:
    """Owned by this user and writable by no one else."""
    st = os.stat(path)
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _dictionary_key(dict_path: str) -> str | None:
    """jieba's version and the dictionary's content hash: every virtual environment with the same
    dictionary shares one cache file."""
    import hashlib

    import jieba

    try:
        with open(dict_path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return None
    return f"{jieba.__version__}-{digest}"


def _load_jieba_dictionary(jieba) -> None:
    """Initialize jieba's prefix dictionary from a pickle cache in the private cache folder.

    jieba's own cache is a marshal dump that takes about 1.5 s to load here (and goes to a predictable
    name in the shared temporary folder); the same dictionary as a pickle loads in about 0.45 s, which
    is most of a cold start. The cache is keyed by jieba's version and its dictionary's content, written
    atomically, loaded only from a folder and file no other user can write, and older caches are
    removed. Without a usable folder the dictionary is built in memory and nothing is written.
    """
    dt = jieba.dt
    if dt.initialized:
        return
    if dt.dictionary is None:
        with dt.get_dict_file() as fh:
            dict_path = fh.name
    else:
        dict_path = dt.dictionary
    folder = private_cache_dir()
    key = _dictionary_key(dict_path) if folder else None
    path = os.path.join(folder, f"jieba-{key}.pickle") if folder and key else None
    if path and os.path.isfile(path) and _private(path):
        try:
            with open(path, "rb") as fh:
                freq, total = pickle.load(fh)
            with dt.lock:
                dt.FREQ, dt.total, dt.initialized = freq, total, True
            return
        except Exception:  # a damaged cache is rebuilt below
            pass
    with dt.lock:
        with dt.get_dict_file() as fh:
            dt.FREQ, dt.total = dt.gen_pfdict(fh)
        dt.initialized = True
    if path:
        _write_cache(path, (dt.FREQ, dt.total))


def _write_cache(path: str, value) -> None:
    folder = os.path.dirname(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")  # mode 0600
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return
    for old in os.listdir(folder):  # caches of other jieba versions or dictionaries
        if old.startswith("jieba-") and old.endswith(".pickle") and old != os.path.basename(path):
            try:
                os.unlink(os.path.join(folder, old))
            except OSError:
                pass


@lru_cache(maxsize=1)
def nlp():
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
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


def jieba_cut(text: str) -> list[str]:
    """The words of a text, as the spaCy pipeline's jieba segmenter cuts them."""
    return [t.text for t in nlp()(text) if not t.is_space]
