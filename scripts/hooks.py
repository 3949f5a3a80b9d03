"""MkDocs hook: draw the chapter's figures into docs/figures/ before every build.

Thin on purpose: the work is `gdbook.figures.build` (also `python -m gdbook figures`).
It redraws only figures whose code or data changed and writes a file only when its bytes
change, so `mkdocs serve` (which watches docs/ and gdbook/) settles after one rebuild.
A figure that fails — including any warning while drawing, such as a missing glyph — is
logged as an error, so `mkdocs build --strict` fails and names the figure; `serve` keeps
running with the previous image. docs/figures/ is generated and never committed.

Fast path: after a successful build the hook records a stamp (in the gdbook cache
directory, not in docs/, so `serve` does not see it change): a hash of everything that can
change a figure — every file under gdbook/ (code and data), the Python, NumPy, matplotlib
and Pillow versions — and the name, size and mtime of every file in docs/figures/. When
the next build finds the same stamp, it skips the figure package entirely: no matplotlib
import, no listing runs, no MNIST. Anything else falls through to `gdbook.figures.build`,
whose per-figure content keys decide what to redraw.
"""
import hashlib
import importlib
import importlib.metadata
import json
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imported here, at the top: MkDocs resets sys.path once this file is loaded. Only the
# package itself (no NumPy, no matplotlib); gdbook.figures is imported when it is needed.
import gdbook  # noqa: E402,F401
from gdbook.cache import cache_root, write_atomic  # noqa: E402

log = logging.getLogger("mkdocs.hooks.figures")
MANIFEST = "figures/figures.json"
STAMP_VERSION = 1
LIBRARIES = ("numpy", "matplotlib", "pillow")


def _source_stamp():
    return {p: p.stat().st_mtime_ns for p in (ROOT / "gdbook").rglob("*.py")}


_stamp = _source_stamp()


def _figures():
    """The figure package, re-imported if gdbook's code changed during `mkdocs serve`.

    Cache keys hash the source that is actually running, so without this an edited
    figure would keep being drawn by the old code until serve restarts.
    """
    global _stamp
    stamp = _source_stamp()
    if stamp != _stamp:
        _stamp = stamp
        for name in [n for n in sys.modules if n == "gdbook" or n.startswith("gdbook.")]:
            del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("gdbook.figures")


# ---------------------------------------------------------------- the fast path

def _inputs_digest():
    """Everything that can change a figure's bytes, hashed: gdbook's files and the libraries."""
    h = hashlib.sha256(f"gdbook-figures-stamp/{STAMP_VERSION}|{sys.version}".encode())
    for lib in LIBRARIES:
        h.update(f"{lib}={importlib.metadata.version(lib)};".encode())
    package = ROOT / "gdbook"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(package).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _outputs_state(out):
    """Name, size and mtime of every file in the output directory."""
    try:
        entries = sorted(os.scandir(out), key=lambda e: e.name)
    except FileNotFoundError:
        return None
    return [[e.name, e.stat().st_size, e.stat().st_mtime_ns] for e in entries if e.is_file()]


def _stamp_path(out):
    root = cache_root()
    where = hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:16]
    return Path(root) / "figures" / f"stamp-{where}.json"


def _read_stamp(out):
    try:
        return json.loads(_stamp_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_stamp(out, digest, count):
    path = _stamp_path(out)
    data = {"inputs": digest, "outputs": _outputs_state(out), "figures": count}
    try:
        write_atomic(path, json.dumps(data).encode("utf-8"))
    except OSError as exc:          # no stamp only means no fast path next time
        log.debug(f"figure stamp not written: {exc}")


def _clear_stamp(out):
    try:
        _stamp_path(out).unlink()
    except OSError:
        pass


def on_pre_build(config):
    out = Path(config.docs_dir) / "figures"
    digest = _inputs_digest()
    stamp = _read_stamp(out)
    if stamp and stamp.get("inputs") == digest and stamp.get("outputs") == _outputs_state(out):
        log.info(f"图形：{stamp.get('figures')} 张，代码、数据和文件都没变，全部沿用")
        return
    figures = _figures()
    try:
        results = figures.build(out, progress=log.debug)
    except figures.FigureBuildError as exc:
        _clear_stamp(out)
        for failure in exc.failures:
            log.error(str(failure))
        return
    _write_stamp(out, digest, len(results))
    drawn = sum(r.status == "drawn" for r in results)
    log.info(f"图形：{len(results)} 张，重画 {drawn} 张，沿用缓存 {len(results) - drawn} 张")


def on_files(files, config):
    # The manifest is the build's cache and the figures/*.md files are snippets that pages
    # include (`--8<-- "docs/figures/ID.md"`): neither is a page or an asset of the site.
    for file in list(files):
        if file.src_uri == MANIFEST or (file.src_uri.startswith("figures/")
                                        and file.src_uri.endswith(".md")):
            files.remove(file)
    return files
