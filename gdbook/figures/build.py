"""构建全部图形：什么都没变就直接沿用；否则按内容缓存，只重画变了的图，原子写入。

三步，一步比一步贵：

1. 记号（:mod:`~gdbook.figures.stamp`）：上次完整构建之后，gdbook 的文件、库和输出目录都没变，
   就什么都不导入、不算，直接沿用——``python -m gdbook figures`` 和网站构建都走这条捷径；
2. 缓存键（:mod:`~gdbook.figures.keys`）：导入画图代码，算出每张图的数据和键，与输出目录里
   ``figures.json``（:mod:`~gdbook.figures.manifest`）记下的键相同、文件也没被改过的图沿用；
3. 其余的图在几个子进程里同时画（:mod:`~gdbook.figures.pool`），画好一张写一张。

文件只在字节真的变了时才写，且先写临时文件再 ``os.replace``：``mkdocs serve`` 的监视器
不会因此反复重建，中途被打断也不会留下半个文件。每张图还写出页面用的片段
（:mod:`~gdbook.figures.snippets`）。
"""
import contextlib
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from gdbook.cache import write_if_changed
from gdbook.figures import manifest, stamp
from gdbook.figures.errors import FigureBuildError, FigureError
from gdbook.figures.registry import check_id, first_on_page, known_ids, load
from gdbook.figures.snippets import snippets

STALE_TEMP_SECONDS = 60        # 比这更旧的临时文件属于被打断的构建，可以删
_ignore_missing = contextlib.suppress(FileNotFoundError)


@dataclass(frozen=True)
class Built:
    """一张图的构建结果。``status``：``"drawn"``（重画了）、``"cached"``（缓存键没变，沿用）
    或 ``"unchanged"``（什么都没变，连缓存键都不必算）。"""

    id: str
    status: str
    bytes: int
    seconds: float
    files: tuple


def build(out_dir="docs/figures", only=None, force=False, progress=print, jobs=None):
    """画出（或沿用）图形，写出 ``figures.json`` 和页面片段，返回每张图的 :class:`Built`。

    ``only``：只构建这些 id（未知的 id 抛出 :class:`~gdbook.checks.UsageError`，并提示最接近的 id，一张也不画）；
    ``force``：不看记号和缓存，全部重画；``progress``：每张图调用一次，参数是一行进度文字；
    ``jobs``：同时画图的进程数（默认 :func:`gdbook.figures.pool.default_jobs`）。
    有图失败时，其余的图照常写出，最后抛出 :class:`FigureBuildError`。
    """
    ids = [check_id(i) for i in only] if only else known_ids()
    out = Path(out_dir)
    digest = stamp.inputs_digest()
    if not force and stamp.unchanged(out, digest, ids):
        entries = manifest.read_manifest(out)
        if all(id in entries for id in ids):
            return [_done(progress, entries[id], "unchanged", 0.0) for id in ids]
    try:
        results = _redraw(out, ids if only else None, force, progress, jobs)
    except FigureBuildError:
        stamp.clear(out)
        raise
    if not only:
        stamp.record(out, digest, [r.id for r in results])
    return results


def _done(progress, entry, status, seconds):
    size = sum(entry["bytes"].values())
    word = "画好" if status == "drawn" else "缓存"
    progress(f"{word}  {entry['id']:<24} {size / 1024:8.1f} KB  {seconds:6.2f} s")
    return Built(entry["id"], status, size, seconds, tuple(entry["files"].values()))


def _redraw(out, only, force, progress, jobs):
    # 只在这里才导入画图代码（连同 matplotlib、numpy）：走捷径的构建用不着它们
    from gdbook.figures import keys, pool

    figures = load()
    ids = only or list(figures)
    jobs = pool.default_jobs() if jobs is None else max(1, int(jobs))
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(out)
    entries = manifest.read_manifest(out)
    built, errors, stale = {}, {}, {}

    def failed(error):
        errors[error.figure_id] = error
        entries.pop(error.figure_id, None)
        progress(f"失败  {error.figure_id:<24} {error.message}")

    # 先在本进程里算出每张图的数据和缓存键：键没变的直接沿用
    for id in ids:
        spec, start = figures[id], time.perf_counter()
        try:
            inputs = spec.inputs()
            key = keys.cache_key(spec, inputs)
        except Exception as exc:             # 数据准备出错：记下是哪张图，接着处理别的
            failed(FigureError(id, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        old = entries.get(id)
        if not force and manifest.is_fresh(out, old, key):
            entries[id] = manifest.entry(spec, key, old["sha256"], old["bytes"], old)
            built[id] = _done(progress, entries[id], "cached", time.perf_counter() - start)
        else:
            stale[id] = (spec, inputs, key, time.perf_counter() - start)

    # 再画要重画的：几张图、两套配色同时画，画好一张写一张
    drawn = pool.draw_all({id: (spec, inputs) for id, (spec, inputs, _, _) in stale.items()}, jobs)
    with contextlib.closing(drawn):
        for id, blobs, meta, seconds, error in drawn:
            spec, _, key, prepare = stale[id]
            if error is not None:
                failed(error)
                continue
            _write(out, entries.get(id), blobs)
            entries[id] = manifest.entry(spec, key, {n: manifest.sha256(d) for n, d in blobs.items()},
                                         {n: len(d) for n, d in blobs.items()}, meta)
            built[id] = _done(progress, entries[id], "drawn", prepare + seconds)

    firsts = first_on_page(figures)
    for id in built:                     # 页面嵌入用的片段：图注、替代文字只写在登记表里
        for name, text in snippets(figures[id], entries[id], first=id in firsts).items():
            write_if_changed(out / name, text.encode("utf-8"))
    manifest.write_manifest(out, {i: entries[i] for i in figures if i in entries})
    if errors:
        raise FigureBuildError(errors[id] for id in ids if id in errors)
    return [built[id] for id in ids if id in built]


def _remove_stale_temps(out):
    now = time.time()
    for tmp in out.glob(".*.tmp"):
        with _ignore_missing:
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()


def _write(out, old, blobs):
    for name, data in blobs.items():
        write_if_changed(out / name, data)
    for name in set(old.get("sha256", {}) if old else ()) - set(blobs):
        with _ignore_missing:
            (out / name).unlink()          # 文件名变了（例如 svg 改成 png）：删掉旧文件
