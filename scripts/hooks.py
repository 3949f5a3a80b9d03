"""MkDocs hook: draw the chapter's figures into docs/figures/ before every build.

Thin on purpose: the work is `gdbook.figures.build` (also `python -m gdbook figures`).
It redraws only figures whose code or data changed and writes a file only when its bytes
change, so `mkdocs serve` (which watches docs/ and gdbook/) settles after one rebuild.
A figure that fails — including any warning while drawing, such as a missing glyph — is
logged as an error, so `mkdocs build --strict` fails and names the figure; `serve` keeps
running with the previous image. docs/figures/ is generated and never committed.
"""
import importlib
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imported here, at the top: MkDocs resets sys.path once this file is loaded.
import gdbook.figures  # noqa: E402

log = logging.getLogger("mkdocs.hooks.figures")
MANIFEST = "figures/figures.json"


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
    if stamp == _stamp:
        return gdbook.figures
    _stamp = stamp
    for name in [n for n in sys.modules if n == "gdbook" or n.startswith("gdbook.")]:
        del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("gdbook.figures")


def on_pre_build(config):
    figures = _figures()
    try:
        results = figures.build(Path(config.docs_dir) / "figures", progress=log.debug)
    except figures.FigureBuildError as exc:
        for failure in exc.failures:
            log.error(str(failure))
        return
    drawn = sum(r.status == "drawn" for r in results)
    log.info(f"图形：{len(results)} 张，重画 {drawn} 张，沿用缓存 {len(results) - drawn} 张")


def on_files(files, config):
    # The manifest is the build's cache, not a page asset: keep it out of the site.
    manifest = files.get_file_from_path(MANIFEST)
    if manifest is not None:
        files.remove(manifest)
    return files
