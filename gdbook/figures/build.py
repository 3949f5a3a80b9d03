"""构建全部图形：按内容缓存，原子写入，写出清单 ``figures.json``。

缓存键（每张图一个）由这些东西的 SHA-256 组成：

* 画图函数的源文本、它用到的本包函数和常量，以及共享的样式、零件、渲染模块的源文本
  （见 :func:`~gdbook.figures.registry.figure_sources`）；
* 这张图画的数据（``inputs()`` 的结果：清单运行记录的每个数字、MNIST 数组的字节）——
  所以改了清单的 alpha、换了数据，图就重画；
* matplotlib、numpy、Pillow 的版本。

键和每个文件的 SHA-256 记在输出目录的 ``figures.json`` 里。键相同、文件都在且内容没被改过，
这张图就不重画。文件只在字节真的变了时才写，且先写临时文件再 ``os.replace``：
``mkdocs serve`` 的监视器不会因此反复重建，中途被打断也不会留下半个文件。

要重画的图按（图, 配色）分成小任务，在几个子进程里同时画（``jobs``，默认用上全部 CPU 核；
环境变量 ``GDBOOK_FIGURE_JOBS`` 可改）。子进程由 fork 得到，画图用的正是算缓存键时已导入的
代码和已算好的数据；画好的字节交回主进程，由主进程按原来的方式写文件。画出的字节与一个进程
依次画完全相同。
"""
import concurrent.futures
import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdbook.cache import write_if_changed
from gdbook.figures.registry import FIGURES, figure_sources, get_figure
from gdbook.figures.render import FigureError, render_palette
from gdbook.figures.style import PALETTES

MANIFEST = "figures.json"
FORMAT_VERSION = 1
STALE_TEMP_SECONDS = 60        # 比这更旧的临时文件属于被打断的构建，可以删
LIBRARIES = ("matplotlib", "numpy", "pillow")
JOBS_ENV = "GDBOOK_FIGURE_JOBS"
_ignore_missing = contextlib.suppress(FileNotFoundError)


class FigureBuildError(Exception):
    """有图没画成。``failures`` 是每张失败的图的 :class:`FigureError`。"""

    def __init__(self, failures):
        self.failures = list(failures)
        super().__init__("；".join(str(f) for f in self.failures))


@dataclass(frozen=True)
class Built:
    """一张图的构建结果：``status`` 是 ``"drawn"``（重画了）或 ``"cached"``（沿用）。"""

    id: str
    status: str
    bytes: int
    seconds: float
    files: tuple


# ---------------------------------------------------------------- cache keys

def _feed(h, obj):
    """把 obj 的内容（不是它在内存里的地址）喂给哈希。"""
    if isinstance(obj, np.ndarray):
        h.update(f"ndarray{obj.dtype.str}{obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            h.update(f.name.encode())
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(b"{")
        for k in sorted(obj):
            _feed(h, k)
            _feed(h, obj[k])
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"[")
        for item in obj:
            _feed(h, item)
        h.update(b"]")
    elif obj is None or isinstance(obj, (bool, int, float, str, np.generic)):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    else:
        raise TypeError(f"不知道怎样为 {type(obj).__name__} 计算缓存键；"
                        f"请让 inputs() 只返回数字、字符串、列表、字典、数据类或 ndarray。")


def cache_key(spec, inputs):
    """这张图的缓存键：代码、数据、库版本，任何一样变了，键就变。"""
    h = hashlib.sha256(f"gdbook-figures/{FORMAT_VERSION}".encode())
    for lib in LIBRARIES:
        h.update(f"{lib}={importlib.metadata.version(lib)};".encode())
    _feed(h, [spec.id, spec.fmt, sorted(spec.files().values())])
    for source in figure_sources(spec):
        _feed(h, source)
    _feed(h, inputs)
    return h.hexdigest()


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- files

def _remove_stale_temps(out):
    now = time.time()
    for tmp in out.glob(".*.tmp"):
        with _ignore_missing:
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()


def _read_manifest(out):
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {e["id"]: e for e in data["figures"]} if data.get("version") == FORMAT_VERSION else {}
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return {}      # 没有或读不懂：当作没有缓存，全部重画


def _is_fresh(out, entry, key):
    if not entry or entry.get("key") != key:
        return False
    for name, digest in entry["sha256"].items():
        try:
            if _sha256((out / name).read_bytes()) != digest:
                return False
        except FileNotFoundError:
            return False
    return True


def _entry(spec, key, hashes, sizes):
    return {"id": spec.id, "caption": spec.caption, "alt": spec.alt, "format": spec.fmt,
            "files": spec.files(), "key": key, "sha256": hashes, "bytes": sizes}


# ---------------------------------------------------------------- the build

def _write(spec, out, old, blobs):
    for name, data in blobs.items():
        write_if_changed(out / name, data)
    for name in set(old.get("sha256", {}) if old else ()) - set(blobs):
        with _ignore_missing:
            (out / name).unlink()          # 文件名变了（例如 svg 改成 png）：删掉旧文件


def default_jobs():
    """同时画图的进程数：环境变量 ``GDBOOK_FIGURE_JOBS``，否则是本进程可用的 CPU 核数。"""
    value = os.environ.get(JOBS_ENV, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"环境变量 {JOBS_ENV} 应当是正整数，收到 {value!r}。") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                  # 没有 sched_getaffinity 的系统
        return max(1, os.cpu_count() or 1)


# fork 出的子进程从这里取要画的图和它的数据（fork 时原样继承，不必 pickle 画图函数或数据）
_PENDING = {}


def _draw_task(id, pal_index):
    """子进程（或本进程）里画一张图的一套配色：返回 (文件内容, 秒数, 错误说明)。

    错误只以文字交回（例外对象未必能跨进程 pickle），由主进程还原成 :class:`FigureError`。
    """
    start = time.perf_counter()
    spec, inputs = _PENDING[id]
    try:
        blobs = render_palette(spec, inputs, PALETTES[pal_index])
    except FigureError as exc:
        return None, time.perf_counter() - start, str(exc).removeprefix(f"图 {id}：")
    except Exception as exc:             # 画图代码的错误：记下是哪张图，接着画别的
        return None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    return blobs, time.perf_counter() - start, None


def _cost(spec):
    """粗略的先后：动画最慢，像素图次之。先派慢的，两个核最后几乎同时空下来。"""
    return (spec.animate is not None, spec.fmt == "png")


def _draw_all(specs, jobs):
    """画出 ``specs``（{id: (spec, inputs)}）的全部配色，逐张图产出 (id, 文件, 秒数, 错误)。"""
    tasks = [(id, k) for id in sorted(specs, key=lambda i: _cost(specs[i][0]), reverse=True)
             for k in range(len(PALETTES))]
    _PENDING.clear()
    _PENDING.update(specs)
    parts = {id: [] for id in specs}
    pool = None
    try:
        if jobs > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            pool = concurrent.futures.ProcessPoolExecutor(
                min(jobs, len(tasks)), mp_context=multiprocessing.get_context("fork"))
            futures = {pool.submit(_draw_task, *task): task for task in tasks}
            finished = (futures[f] + (f.result(),)
                        for f in concurrent.futures.as_completed(futures))
        else:
            finished = (task + (_draw_task(*task),) for task in tasks)
        for id, _, part in finished:
            parts[id].append(part)
            if len(parts[id]) == len(PALETTES):
                yield (id, *_merge(parts[id]))
    finally:
        if pool is not None:                 # 被打断（例如 Ctrl-C）：不再开始新的任务
            pool.shutdown(wait=True, cancel_futures=True)
        _PENDING.clear()


def _merge(parts):
    blobs, seconds, errors = {}, 0.0, []
    for part_blobs, part_seconds, error in parts:
        seconds += part_seconds
        if error is not None:
            errors.append(error)
        else:
            blobs.update(part_blobs)
    return blobs, seconds, (errors[0] if errors else None)


def build(out_dir="docs/figures", only=None, force=False, progress=print, jobs=None):
    """画出（或沿用缓存的）图形，写出 ``figures.json``，返回每张图的 :class:`Built`。

    ``only``：只构建这些 id（未知的 id 抛出 ``ValueError``，并提示最接近的 id）；
    ``force``：不看缓存，全部重画；``progress``：每张图调用一次，参数是一行进度文字；
    ``jobs``：同时画图的进程数（默认 :func:`default_jobs`）。
    有图失败时，其余的图照常写出，最后抛出 :class:`FigureBuildError`。
    """
    ids = [get_figure(i).id for i in only] if only else list(FIGURES)
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(out)
    entries = _read_manifest(out)
    built, errors, stale = {}, {}, {}

    def done(id, status, seconds):
        size = sum(entries[id]["bytes"].values())
        built[id] = Built(id, status, size, seconds, tuple(entries[id]["files"].values()))
        word = "画好" if status == "drawn" else "缓存"
        progress(f"{word}  {id:<24} {size / 1024:8.1f} KB  {seconds:6.2f} s")

    def failed(id, error):
        errors[id] = error
        entries.pop(id, None)
        progress(f"失败  {id:<24} {error}")

    # 先在本进程里算出每张图的数据和缓存键：键没变的直接沿用
    for id in ids:
        spec, start = FIGURES[id], time.perf_counter()
        try:
            inputs = spec.inputs()
            key = cache_key(spec, inputs)
        except Exception as exc:             # 数据准备出错：记下是哪张图，接着处理别的
            failed(id, FigureError(id, f"{type(exc).__name__}: {exc}"))
            continue
        old = entries.get(id)
        if not force and _is_fresh(out, old, key):
            entries[id] = _entry(spec, key, old["sha256"], old["bytes"])
            done(id, "cached", time.perf_counter() - start)
        else:
            stale[id] = (spec, inputs, key, time.perf_counter() - start)

    # 再画要重画的：几张图、两套配色同时画，画好一张写一张
    drawn = _draw_all({id: (spec, inputs) for id, (spec, inputs, _, _) in stale.items()}, jobs)
    with contextlib.closing(drawn):
        for id, blobs, seconds, error in drawn:
            spec, _, key, prepare = stale[id]
            if error is not None:
                failed(id, FigureError(id, error))
                continue
            _write(spec, out, entries.get(id), blobs)
            entries[id] = _entry(spec, key, {n: _sha256(d) for n, d in blobs.items()},
                                 {n: len(d) for n, d in blobs.items()})
            done(id, "drawn", prepare + seconds)

    for id in built:                     # 页面嵌入用的片段：图注、替代文字只写在登记表里
        for name, text in FIGURES[id].snippets().items():
            write_if_changed(out / name, text.encode("utf-8"))
    manifest = {"version": FORMAT_VERSION,
                "figures": [entries[i] for i in FIGURES if i in entries]}
    write_if_changed(out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1,
                                                 sort_keys=True) + "\n").encode("utf-8"))
    if errors:
        raise FigureBuildError(errors[id] for id in ids if id in errors)
    return [built[id] for id in ids if id in built]
