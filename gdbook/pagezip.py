"""第 5 层：把 gdbook 的纯 Python 部分打成一个 zip，让网页里的 Python（Pyodide）导入它。

读者在页面上按“运行”时，浏览器里运行的就是测试检查的这份代码，而不是另写的一份：
zip 在每次构建网站时从 ``gdbook/`` 的源码打包（插件的 ``on_pre_build``），写在
``docs/javascripts/generated/gdbook-py.zip``，不提交进仓库。

字节是确定的：条目按名字排序，时间戳固定为 1980-01-01，权限固定；内容不变就不写文件。
只收不需要 NumPy、matplotlib 的模块（浏览器里只有 Python 的核心），
``tests/test_pagezip.py`` 在屏蔽了 NumPy 的 Python 里导入并运行它们。
"""
import io
import re
import zipfile
from functools import cache
from pathlib import Path

from gdbook.cache import write_if_changed

PACKAGE = Path(__file__).resolve().parent
PAGE_ZIP_PATH = Path("javascripts") / "generated" / "gdbook-py.zip"

# 命令行、四个清单和它们的 doctest 需要的全部模块；第 3、4 层（MNIST、图形）要 NumPy，不收。
PAGE_MODULES = ("__init__.py", "__main__.py", "arith.py", "cache.py", "checks.py", "cli.py",
                "listings.py", "pagerun.py", "rules.py")
# 要 NumPy 的命令（``python -m gdbook`` 之后的部分）：它们导入 zip 里没有的模块。
NUMPY_COMMANDS = ("run mnist", "figures")
_EPOCH = (1980, 1, 1, 0, 0, 0)     # zip 能表示的最早时间：字节不随文件的修改时间变


def page_zip():
    """zip 的字节：``gdbook/<模块>.py``，按名字排序。"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(PAGE_MODULES):
            info = zipfile.ZipInfo(f"gdbook/{name}", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (PACKAGE / name).read_bytes(), compresslevel=9)
    return buffer.getvalue()


def missing_modules():
    """gdbook 里不在 zip 中的模块和子包（网页里的 Python 导入不到它们）。"""
    have = {Path(name).stem for name in PAGE_MODULES}
    names = {p.stem for p in PACKAGE.glob("*.py")} | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return sorted(names - have)


@cache
def _needs_numpy():
    modules = "|".join(missing_modules())
    commands = "|".join(re.escape(c) for c in NUMPY_COMMANDS)
    return re.compile(rf"\bnumpy\b|\bnp\.|\bgdbook\.(?:{modules})\b"
                      rf"|\bfrom gdbook import [^\n]*\b(?:{modules})\b|\bgdbook (?:{commands})\b")


def needs_numpy(code):
    """网页里的 Python 运行不了这段代码吗：它用到 NumPy、zip 里没有的 gdbook 模块或要 NumPy 的命令。
    （hooks/run_bars.py 据此在构建时标出这样的代码块，页面上它们没有“运行”按钮。）

    >>> needs_numpy(">>> from gdbook.rules import multi_input_step")
    False
    >>> needs_numpy(">>> from gdbook import mnist"), needs_numpy("python -m gdbook run mnist")
    (True, True)
    >>> needs_numpy("python -m gdbook run multi-input"), needs_numpy(">>> import numpy as np")
    (False, True)
    """
    return bool(_needs_numpy().search(code))


def write_page_zip(docs_dir):
    """写出 ``docs_dir/javascripts/generated/gdbook-py.zip``；字节不变就不写，返回是否写了。"""
    return write_if_changed(Path(docs_dir) / PAGE_ZIP_PATH, page_zip())
