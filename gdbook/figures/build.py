"""构建全部图形：按内容缓存，原子写入，写出清单 ``figures.json``。

缓存键（每张图一个）由这些东西的 SHA-256 组成：

* 画图函数所在模块的源文本，以及共享的样式、零件、渲染模块的源文本；
* 这张图画的数据（``inputs()`` 的结果：清单运行记录的每个数字、MNIST 数组的字节）——
  所以改了清单的 alpha、换了数据，图就重画；
* matplotlib、numpy、Pillow 的版本。

键和每个文件的 SHA-256 记在输出目录的 ``figures.json`` 里。键相同、文件都在且内容没被改过，
这张图就不重画。文件只在字节真的变了时才写，且先写临时文件再 ``os.replace``：
``mkdocs serve`` 的监视器不会因此反复重建，中途被打断也不会留下半个文件。
"""
import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdbook.figures.registry import FIGURES, get_figure
from gdbook.figures.render import FigureError, render

MANIFEST = "figures.json"
FORMAT_VERSION = 1
STALE_TEMP_SECONDS = 60        # 比这更旧的临时文件属于被打断的构建，可以删
LIBRARIES = ("matplotlib", "numpy", "pillow")
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
    for source in spec.sources:
        _feed(h, source)
    _feed(h, inputs)
    return h.hexdigest()


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- files

def write_if_changed(path, data):
    """内容变了才写；先写同目录的临时文件，再原子地换上。返回是否写了。"""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with _ignore_missing:
            os.unlink(tmp)
        raise
    return True


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

def _build_one(spec, out, old, force):
    inputs = spec.inputs()
    key = cache_key(spec, inputs)
    if not force and _is_fresh(out, old, key):
        return "cached", _entry(spec, key, old["sha256"], old["bytes"])
    blobs = render(spec, inputs)
    for name, data in blobs.items():
        write_if_changed(out / name, data)
    for name in set(old.get("sha256", {}) if old else ()) - set(blobs):
        with _ignore_missing:
            (out / name).unlink()          # 文件名变了（例如 svg 改成 png）：删掉旧文件
    return "drawn", _entry(spec, key, {n: _sha256(d) for n, d in blobs.items()},
                           {n: len(d) for n, d in blobs.items()})


def build(out_dir="docs/figures", only=None, force=False, progress=print):
    """画出（或沿用缓存的）图形，写出 ``figures.json``，返回每张图的 :class:`Built`。

    ``only``：只构建这些 id（未知的 id 抛出 ``ValueError``，并提示最接近的 id）；
    ``force``：不看缓存，全部重画；``progress``：每张图调用一次，参数是一行进度文字。
    有图失败时，其余的图照常写出，最后抛出 :class:`FigureBuildError`。
    """
    ids = [get_figure(i).id for i in only] if only else list(FIGURES)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(out)
    entries = _read_manifest(out)
    results, failures = [], []
    for id in ids:
        spec, start = FIGURES[id], time.perf_counter()
        try:
            status, entries[id] = _build_one(spec, out, entries.get(id), force)
        except FigureError as exc:
            failures.append(exc)
        except Exception as exc:             # 画图代码的错误：记下是哪张图，接着画别的
            failures.append(FigureError(id, f"{type(exc).__name__}: {exc}"))
        else:
            size = sum(entries[id]["bytes"].values())
            results.append(Built(id, status, size, time.perf_counter() - start,
                                 tuple(entries[id]["files"].values())))
            word = "画好" if status == "drawn" else "缓存"
            progress(f"{word}  {id:<24} {size / 1024:8.1f} KB  {results[-1].seconds:6.2f} s")
            continue
        entries.pop(id, None)
        progress(f"失败  {id:<24} {failures[-1]}")
    manifest = {"version": FORMAT_VERSION,
                "figures": [entries[i] for i in FIGURES if i in entries]}
    write_if_changed(out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1,
                                                 sort_keys=True) + "\n").encode("utf-8"))
    if failures:
        raise FigureBuildError(failures)
    return results
