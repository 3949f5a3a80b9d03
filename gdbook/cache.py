"""磁盘缓存放在哪里，以及怎样安全地写文件——MNIST 权重、图形和网站构建钩子共用这一份。

写文件一律先写同目录下的临时文件，再用 ``os.replace`` 原子地换上：别的进程（或被打断后的
下一次构建）要么看到旧文件，要么看到完整的新文件，绝不会读到写了一半的文件。
"""
import contextlib
import os
import tempfile
from pathlib import Path

CACHE_ENV = "GDBOOK_CACHE_DIR"


def cache_root():
    """缓存的根目录：``$GDBOOK_CACHE_DIR``；否则在仓库里是根目录下的 ``.gdbook-cache``，
    作为普通的包安装时是用户的缓存目录（``~/.cache/gdbook``）。"""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").is_file():
        return repo / ".gdbook-cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gdbook"


def write_atomic(path, data):
    """把 ``data``（bytes）原子地写到 ``path``；目录不存在就建。出错时不留临时文件。"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_if_changed(path, data):
    """内容变了才（原子地）写，返回是否写了：字节不变就不碰文件，``mkdocs serve`` 不会因此重建。"""
    try:
        if Path(path).read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True
