"""Word segmentation: jieba, and the blank spaCy `zh` pipeline with the jieba segmenter, both loaded
lazily.

The statistical zh models are not installable offline, so segmentation is jieba's and everything
above it is rules. The recognizers ask only where words start (`Tokens`), which jieba answers directly
with exactly the words spaCy's jieba segmenter makes (a test holds them equal); spaCy's import (about
half a second) is paid only by stages that need its pipeline (`nlp`, `jieba_cut`).

jieba's dictionary is kept in this user's private cache folder (never in the shared temporary folder)
as an SQLite table read word by word: a single bulletin looks up a few thousand words, where loading
the whole dictionary costs a quarter of a second; after SWAP_AFTER lookups (a batch) the whole table
is read into jieba's own dict. jieba's log is silenced so the CLI stays quiet.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import sys
import tempfile
import threading
from bisect import bisect_left
from functools import lru_cache


CACHE_ENV = "BULLETIN_CACHE"  # a folder for the dictionary cache instead of the platform's user cache
SWAP_AFTER = 20_000  # lookups after which the whole dictionary is read into memory (a batch is running)


def private_cache_dir() -> str | None:
    """The folder for caches: $BULLETIN_CACHE, else the platform's user cache folder
    (platformdirs: ~/.cache/bulletin-extract on Linux). None unless it is this user's own and writable by
    no one else: a cache another user could plant is never read."""
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


@lru_cache(maxsize=1)
def configured_jieba():
    """jieba, configured. jieba imports pkg_resources (a tenth of a second) only to open its own data
    files; imported while pkg_resources cannot be, it opens them by path, the same files."""
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        # None in sys.modules makes an import of it raise ImportError (the import system's documented rule)
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    _load_jieba_dictionary(jieba)
    return jieba


def _dictionary_key(dict_path: str, version: str) -> str | None:
    """jieba's version and the dictionary's content hash: every virtual environment with the same
    dictionary shares one cache file."""
    import hashlib

    try:
        with open(dict_path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return None
    return f"{version}-{digest}"


def _load_jieba_dictionary(jieba) -> None:
    """Give jieba its prefix dictionary from the cache (built and written atomically the first time;
    without a usable folder it is built in memory and nothing is written)."""
    dt = jieba.dt
    if dt.initialized:
        return
    if dt.dictionary is None:
        with dt.get_dict_file() as fh:
            dict_path = fh.name
    else:
        dict_path = dt.dictionary
    folder = private_cache_dir()
    key = _dictionary_key(dict_path, jieba.__version__) if folder else None
    path = os.path.join(folder, f"jieba-{key}.sqlite") if folder and key else None
    if path and os.path.isfile(path) and _private(path):
        try:
            stored = StoredFrequencies(path, dt)
            with dt.lock:
                dt.FREQ, dt.total, dt.initialized = stored, stored.total, True
            return
        except sqlite3.Error:  # a damaged cache is rebuilt below
            pass
    with dt.lock:
        with dt.get_dict_file() as fh:
            dt.FREQ, dt.total = dt.gen_pfdict(fh)
        dt.initialized = True
    if path:
        _write_cache(path, dt.FREQ, dt.total)


class StoredFrequencies:
    """jieba's FREQ (word or word prefix → frequency) read from the SQLite cache one word at a time,
    remembered; after SWAP_AFTER lookups the whole table becomes the tokenizer's own dict. jieba only
    asks `in`, `[]` and `get` of it."""

    def __init__(self, path: str, tokenizer):
        self._path, self._tokenizer = path, tokenizer
        self._lock = threading.Lock()
        self._connect()
        self.total = self._db.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0]
        self._memo: dict[str, int | None] = {}

    def _connect(self) -> None:
        # read-only; a process forked from this one opens its own connection (see _lookup)
        self._db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
        self._pid = os.getpid()

    def _lookup(self, word: str) -> int | None:
        with self._lock:
            if self._pid != os.getpid():
                self._connect()
            row = self._db.execute("SELECT freq FROM freq WHERE word = ?", (word,)).fetchone()
        value = self._memo[word] = row[0] if row else None
        if len(self._memo) >= SWAP_AFTER:
            self._swap()
        return value

    def _swap(self) -> None:
        with self._lock:
            whole = dict(self._db.execute("SELECT word, freq FROM freq"))
        self._tokenizer.FREQ = whole

    def get(self, word: str, default=None):
        """The frequency of a word or word prefix, `default` when the table lacks it; each word looked up once."""
        value = self._memo[word] if word in self._memo else self._lookup(word)
        return default if value is None else value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value


def _write_cache(path: str, freq: dict, total: int) -> None:
    folder = os.path.dirname(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")  # mode 0600
        os.close(fd)
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", sorted(freq.items()))
            db.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
        db.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        return
    for old in os.listdir(folder):  # caches of other jieba versions or dictionaries, or the old pickle
        if old.startswith("jieba-") and old != os.path.basename(path):
            try:
                os.unlink(os.path.join(folder, old))
            except OSError:
                pass


@lru_cache(maxsize=1)
def nlp():
    """The blank spaCy zh pipeline with the jieba segmenter (jieba configured first)."""
    configured_jieba()
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@lru_cache(maxsize=1)
def word_freq():
    """jieba's dictionary frequency of a word (0 when unknown)."""
    dt = configured_jieba().dt
    return lambda w: dt.FREQ.get(w, 0)


# jieba cuts each run of these characters on its own (jieba.re_han_default): segmenting one run gives
# exactly the tokens that segmenting the whole text gives there.
_BLOCK_CHARS = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]")


class Tokens:
    """Word boundaries of a text, segmented on demand one jieba block at a time.

    Recognizers ask about a few offsets (does a numeral start a word? which word follows a figure?),
    so only the blocks they touch are segmented; the answers equal those of a whole-text spaCy Doc.
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
        return self.text[offset : offset + lengths[i]]


def _segment(block: str, base: int) -> tuple[list[int], list[int]]:
    """Word starts and lengths in a block, as spaCy's jieba segmenter cuts it: jieba.cut with its
    defaults (a block holds no space, so spaCy's words are jieba's words)."""
    starts, lengths = [], []
    at = base
    for word in configured_jieba().cut(block):
        if word:
            starts.append(at)
            lengths.append(len(word))
            at += len(word)
    return starts, lengths


def tokenize(text: str) -> Tokens:
    """The text's word boundaries, segmented only where a recognizer asks."""
    return Tokens(text)


def jieba_cut(text: str) -> list[str]:
    """The words of a text, as the spaCy pipeline's jieba segmenter cuts them."""
    return [t.text for t in nlp()(text) if not t.is_space]
