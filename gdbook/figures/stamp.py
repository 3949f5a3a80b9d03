"""“什么都没变”的记号：有了它，构建不导入 matplotlib、不算任何数据，就知道全部图都是新的。

一次完整而成功的构建之后，记下（在 gdbook 的缓存目录里，不在 docs/ 里，``mkdocs serve``
不会看到它变）：

* 能改变图的一切的哈希：gdbook/ 下的每个文件（代码与数据）、Python 与 numpy、matplotlib、
  Pillow 的版本；
* 输出目录里每个文件的名字、大小和修改时间；
* 画了哪些图。

下一次构建发现记号相同，就直接沿用；否则由每张图的缓存键（:mod:`gdbook.figures.keys`）
决定重画哪几张。记号只说明磁盘上的代码没变：在同一个进程里改了内存中的代码或数据
（测试会这样做）的人，要用 ``force`` 或换一个输出目录。
"""
import hashlib
import importlib.metadata
import json
import os
import sys
from pathlib import Path

from gdbook.cache import cache_root, write_atomic

STAMP_VERSION = 1
LIBRARIES = ("numpy", "matplotlib", "pillow")
PACKAGE = Path(__file__).resolve().parent.parent          # gdbook/


def inputs_digest():
    """能改变图的字节的一切，合成一个哈希：gdbook 的全部文件和库的版本。"""
    h = hashlib.sha256(f"gdbook-figures-stamp/{STAMP_VERSION}|{sys.version}".encode())
    for lib in LIBRARIES:
        h.update(f"{lib}={importlib.metadata.version(lib)};".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(PACKAGE).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _outputs_state(out):
    """输出目录里每个文件的名字、大小和修改时间。"""
    try:
        entries = sorted(os.scandir(out), key=lambda e: e.name)
    except FileNotFoundError:
        return None
    return [[e.name, e.stat().st_size, e.stat().st_mtime_ns] for e in entries if e.is_file()]


def _path(out):
    where = hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:16]
    return cache_root() / "figures" / f"stamp-{where}.json"


def unchanged(out, digest, ids):
    """上次完整构建之后，代码、库和输出目录都没变，且那次画了 ``ids`` 里的每一张图。"""
    try:
        stamp = json.loads(_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (stamp.get("inputs") == digest and stamp.get("outputs") == _outputs_state(out)
            and set(ids) <= set(stamp.get("figures", ())))


def record(out, digest, ids):
    """记下这次完整构建；写不成只意味着下次没有捷径。"""
    data = {"inputs": digest, "outputs": _outputs_state(out), "figures": list(ids)}
    try:
        write_atomic(_path(out), json.dumps(data).encode("utf-8"))
    except OSError:
        pass


def clear(out):
    try:
        _path(out).unlink()
    except OSError:
        pass
