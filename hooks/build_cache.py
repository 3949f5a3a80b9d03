"""MkDocs hook: two caches that make a rebuild with nothing (or one page) changed fast.

Both live in the gdbook cache directory (`.gdbook-cache/`, or `$GDBOOK_CACHE_DIR`), never in
docs/, and neither changes a byte of the site (scripts/bench.py and the browser tests build
with them; deleting the directory only makes the next build slower).

* Chinese search segmentation. mkdocs-material's search plugin cuts Chinese text into words
  with jieba, and to do so loads jieba's dictionary (~0.9 s, every build) when its on_config
  loads our user dictionary (search-words.txt). Here `jieba.load_userdict` only
  records the file, and `jieba.cut` is memoised: a text seen before gets the words it got
  then, and jieba itself is initialised (and the user dictionary loaded) only when a text is
  new. The memo is keyed by the jieba version and the bytes of the user dictionaries, and
  keeps only the texts of the last build. The search plugin is the only user of jieba here;
  it calls `jieba.cut` with the default options, the only ones memoised.
* Jinja bytecode. The theme's templates are compiled from source on every build (~0.3 s);
  a `FileSystemBytecodeCache` keeps the compiled code, checked against each template's source.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import jinja2

from gdbook.cache import cache_root, write_atomic

log = logging.getLogger("mkdocs.hooks.build_cache")


SEGMENTS_VERSION = 1


# ---------------------------------------------------------------- jieba

class _Segments:
    """The memo behind the patched `jieba.cut`; one per process (installed once, whatever
    MkDocs does with the hook module between `serve` rebuilds)."""

    def __init__(self, jieba):
        self.jieba = jieba
        self.cut = jieba.cut                   # the real ones
        self.load_userdict = jieba.load_userdict
        self.userdicts: list[str] = []         # recorded, loaded into jieba on the first miss
        self.loaded: set[tuple[str, str]] = set()
        self.path: Path | None = None
        self.memo: dict[str, list[str]] = {}
        self.used: dict[str, list[str]] = {}
        self.hits = self.misses = 0

    # jieba.load_userdict(path)
    def record_userdict(self, f):
        if not isinstance(f, (str, os.PathLike)):      # a file object: nothing to key on
            self.disable()
            return self.load_userdict(f)
        path = os.fspath(f)
        if path not in self.userdicts:
            self.userdicts.append(path)
        self.path = None                               # the key changed: reopen the memo

    # jieba.cut(sentence, cut_all=False, HMM=True, use_paddle=False)
    def cached_cut(self, sentence, *args, **kwargs):
        if args or kwargs:                             # not the search plugin's call
            self._load_userdicts()
            return self.cut(sentence, *args, **kwargs)
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else str(sentence)
        self._open()
        words = self.memo.get(text)
        if words is None:
            self.misses += 1
            self._load_userdicts()
            words = list(self.cut(sentence))
            self.memo[text] = words
        else:
            self.hits += 1
        self.used[text] = words
        return iter(words)

    def _key(self):
        h = hashlib.sha256(f"segments/{SEGMENTS_VERSION}|jieba={self.jieba.__version__}|"
                           f"dict={self.jieba.dt.dictionary}".encode())
        for path in self.userdicts:
            h.update(Path(path).read_bytes())
        return h.hexdigest()[:16]

    def _open(self):
        if self.path is not None:
            return
        self.path = cache_root() / "search" / f"jieba-{self._key()}.json"
        try:
            self.memo = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.memo = {}
        self.used = {}

    def _load_userdicts(self):
        for path in self.userdicts:
            stamp = (path, self._key())
            if stamp not in self.loaded:
                self.load_userdict(path)               # initialises jieba the first time
                self.loaded.add(stamp)

    def save(self):
        """Keep the texts of this build; write only if they differ from what is on disk."""
        if self.path is None or not self.used:
            return
        if self.used != self.memo or not self.path.exists():
            try:
                write_atomic(self.path, json.dumps(self.used, ensure_ascii=False).encode("utf-8"))
            except OSError as exc:
                log.debug(f"search segmentation cache not written: {exc}")
        log.debug(f"jieba: {self.hits} texts from the cache, {self.misses} segmented")
        self.memo, self.used = self.used, {}
        self.hits = self.misses = 0

    def disable(self):
        self.jieba.cut, self.jieba.load_userdict = self.cut, self.load_userdict
        self._load_userdicts()


def _install_segments():
    try:
        import jieba
    except ImportError:
        return None
    segments = getattr(jieba, "_gdbook_segments", None)
    if segments is None:                # once per process, even if the hook module is loaded again
        segments = _Segments(jieba)
        jieba._gdbook_segments = segments
        jieba.cut = segments.cached_cut
        jieba.load_userdict = segments.record_userdict
    return segments


# Patched when MkDocs loads this hook (config validation), before the search plugin's
# on_config calls jieba.load_userdict.
_segments = _install_segments()


def on_post_build(config):
    if _segments is not None:
        _segments.save()


# ---------------------------------------------------------------- Jinja

def on_env(env, config, files):
    if env.bytecode_cache is None:
        folder = cache_root() / "jinja"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return env
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
