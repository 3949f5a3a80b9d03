"""第 5 层：网页里的“运行”按钮在浏览器中（Pyodide）做什么。

页面上的三种代码块都能运行，用的就是测试检查的同一份 gdbook 代码（构建网站时打包，见
:mod:`gdbook.pagezip`）：

* ``>>>`` 例子：当作 doctest 运行，每个例子列出期望的输出和实际的输出，标上 ✓ 或 ✗；
* ``python -m gdbook …`` 命令：交给 :func:`gdbook.cli.main`，打印终端会打印的一切和退出码；
* 嵌入的程序清单：读者改过的代码放回它在 gdbook 源码里的位置，再运行这一页的命令。

这里只用标准库，不导入 NumPy：浏览器里只有 Python 的核心。结果都是纯文本，页面把它当文本显示。
"""
import contextlib
import difflib
import doctest
import importlib
import io
import json
import shlex
import sys
import traceback
from pathlib import Path

from gdbook.cache import write_atomic

PACKAGE = Path(__file__).resolve().parent
COMMAND_PREFIX = ["python", "-m", "gdbook"]


# ---------------------------------------------------------------- commands

def command_lines(text):
    """代码块里能在页面上运行的命令行（``python -m gdbook …``），去掉行尾的注释。

    >>> command_lines("python -m pip install -e .\\npython -m gdbook list   # 四个清单")
    ['python -m gdbook list']
    """
    return [shlex.join(COMMAND_PREFIX + args) for args in map(_gdbook_args, text.splitlines())
            if args is not None]


def _gdbook_args(line):
    """``python -m gdbook ARGS`` 的 ARGS（列表，去掉注释）；不是这样一行时是 None。"""
    words = shlex.split(line, comments=True)
    return words[3:] if words[:3] == COMMAND_PREFIX else None


def run_command(line):
    """像终端那样运行一条 ``python -m gdbook …``：返回 ``(输出, 退出码)``。

    stdout 和 stderr 按写出的先后合在一起，和终端里看到的一样。程序错误照常留下 traceback。

    >>> out, code = run_command("python -m gdbook run multi-output")
    >>> print(out, end=""); code
    Weights:[0.293825, 0.25655, 0.868475]
    Weight Deltas:[0.061750000000000006, -0.5655, 0.3152500000000001]
    0
    """
    args = _gdbook_args(line)
    if args is None:
        raise ValueError(f"不是 gdbook 的命令：{line!r}")
    cli = importlib.import_module("gdbook.cli")       # 每次现取：清单可能刚被改过
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = cli.main(args)
        except SystemExit as exc:                     # argparse 的 --help 和用法错误
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:                             # 程序错误：和终端一样打印 traceback
            traceback.print_exc()
            code = 1
    return out.getvalue(), code


def format_command(line, output, code):
    """一条命令的运行结果，排成终端的样子。"""
    return f"$ {line}\n{output}{'' if not output or output.endswith(chr(10)) else chr(10)}（退出码 {code}）\n"


def run_commands(text):
    """运行代码块里的每条 gdbook 命令，返回 ``(文本, 全部退出码)``。"""
    parts, codes = [], []
    for line in command_lines(text):
        output, code = run_command(line)
        parts.append(format_command(line, output, code))
        codes.append(code)
    return "\n".join(parts), codes


# ---------------------------------------------------------------- doctests

class _Recorder(doctest.DocTestRunner):
    """记下每个例子的期望输出、实际输出和对错，不往 stdout 打印报告。"""

    def __init__(self):
        super().__init__(verbose=False)
        self.results = []

    def report_start(self, out, test, example):
        pass

    def report_success(self, out, test, example, got):
        self.results.append((example, got, True))

    def report_failure(self, out, test, example, got):
        self.results.append((example, got, False))

    def report_unexpected_exception(self, out, test, example, exc_info):
        got = "".join(traceback.format_exception_only(*exc_info[:2]))
        self.results.append((example, "Traceback (most recent call last):\n  ...\n" + got, False))


def run_doctest(text, globs, name="page"):
    """运行 ``text`` 里的 ``>>>`` 例子（在 ``globs`` 里，前面的例子定义的名字后面能用）。

    返回 ``[(例子的源码, 期望, 实际, 对不对), …]``。
    """
    test = doctest.DocTestParser().get_doctest(text, globs, name, None, 0)
    runner = _Recorder()
    runner.run(test, out=lambda s: None, clear_globs=False)
    globs.update(test.globs)                  # DocTest 运行的是 globs 的副本
    return [(ex.source, ex.want, got, ok) for ex, got, ok in runner.results]


def _indent(text, prefix):
    return "".join(prefix + line for line in text.splitlines(True)) or prefix.rstrip() + "\n"


def format_doctest(results):
    """每个例子：✓ 或 ✗、源码，再把期望与实际的输出上下对齐，没有输出时写（无）。"""
    blocks = []
    for source, want, got, ok in results:
        lines = source.rstrip("\n").split("\n")
        block = f"{'✓' if ok else '✗'} >>> {lines[0]}\n" + "".join(f"  ... {s}\n" for s in lines[1:])
        block += "  期望：\n" + (_indent(want, "    ") if want else "    （无）\n")
        block += "  实际：\n" + (_indent(got, "    ") if got else "    （无）\n")
        blocks.append(block)
    passed = sum(r[3] for r in results)
    summary = f"{passed} / {len(results)} 个例子通过" if results else "这一块里没有 >>> 例子"
    return "\n".join(blocks + [summary + "\n"])


def run_page_doctest(blocks):
    """运行一页的第 ``len(blocks)`` 块例子：先在同一个命名空间里静静地跑完前面各块
    （页面上的例子和 pytest 里一样接着用前面定义的名字），再报告最后一块。

    返回 ``(文本, 是否全部通过)``。
    """
    globs = {"__name__": "__page__"}
    for text in blocks[:-1]:
        run_doctest(text, globs)
    results = run_doctest(blocks[-1], globs)
    return format_doctest(results), all(r[3] for r in results)


# ---------------------------------------------------------------- edited listings

def _segments(original, sources):
    """页面上的代码块由 gdbook 源码里哪几段拼成：``[(路径, 源码起始行, 代码块起始行, 行数), …]``。

    一个代码块可以嵌入几段（例如 vector_matrix、outer 和 multi_in_out），段与段之间只有空行。
    有一行在源码里找不到时返回 None。
    """
    lines, i, found = original.split("\n"), 0, []
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        best = None
        for path, text in sources.items():
            src = text.split("\n")
            for j, line in enumerate(src):
                n = 0
                while i + n < len(lines) and j + n < len(src) and lines[i + n] == src[j + n]:
                    n += 1
                if n and (best is None or n > best[3]):
                    best = (path, j, i, n)
        if best is None:
            return None
        found.append(best)
        i += best[3]
    return found


def patch_sources(original, edited, sources, segments=None):
    """把读者改过的代码（``edited``）放回原文（``original``）在 ``sources``（路径 → 源码）里的位置。

    返回 ``{路径: 新源码}``，只含改过的文件；原文不是 gdbook 源码的片段时返回 None。
    ``segments``：已经找好的 ``_segments(original, sources)``（省得再逐行比对一遍）。

    >>> src = {"m.py": "import x\\n\\ndef f():\\n    return 1\\n"}
    >>> patch_sources("def f():\\n    return 1\\n", "def f():\\n    return 2\\n", src)
    {'m.py': 'import x\\n\\ndef f():\\n    return 2\\n'}
    """
    original, edited = original.rstrip("\n"), edited.rstrip("\n")
    segments = segments or _segments(original, sources)
    if not segments:
        return None
    old, new = original.split("\n"), edited.split("\n")
    owner = [None] * len(old)                 # 代码块的每一行属于哪一段；段间的空行属于前一段
    for k, (_, _, start, n) in enumerate(segments):
        owner[start:start + n] = [k] * n
    inside = [o is not None for o in owner]
    for i in range(len(owner)):
        owner[i] = owner[i] if owner[i] is not None else (owner[i - 1] if i else 0)
    replaced = [[] for _ in segments]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if inside[i]:
                    replaced[owner[i]].append(new[j])
        else:                                 # 改、删、插入：归到原文这个位置所在的那一段
            at = i1 if i1 < i2 else max(i1 - 1, 0)          # 插入：接在前一行所在的段里
            replaced[owner[min(at, len(old) - 1)]].extend(new[j1:j2])
    patched = {}
    for k in sorted(range(len(segments)), key=lambda k: -segments[k][1]):   # 从后往前改，行号不乱
        path, src_start, _, n = segments[k]
        text = patched.get(path, sources[path]).split("\n")
        text[src_start:src_start + n] = replaced[k]
        patched[path] = "\n".join(text)
    return {p: t for p, t in patched.items() if t != sources[p]}


def _forget_gdbook():
    """让下一次 import 重新读 gdbook 的源码（这个模块自己除外）。"""
    for name in [n for n in sys.modules if (n == "gdbook" or n.startswith("gdbook.")) and n != __name__]:
        del sys.modules[name]
    importlib.invalidate_caches()


@contextlib.contextmanager
def _patched(files):
    """临时把改过的源码写进包目录；用完写回原样，之后的运行用的又是原来的代码。

    只在网页里的 Python（或测试解压出的副本）中这样做：仓库里的源码从不被改写。
    """
    if (PACKAGE.parent / "pyproject.toml").exists():
        raise RuntimeError(f"{PACKAGE} 是仓库里的源码：只在网页里的 Python 或解压出的副本中改写它")
    saved = {path: path.read_bytes() for path in files}
    try:
        for path, text in files.items():
            write_atomic(path, text.encode("utf-8"))
        _forget_gdbook()
        yield
    finally:
        for path, data in saved.items():
            write_atomic(path, data)
        _forget_gdbook()


def _run_script(code):
    """不是 gdbook 源码片段的代码块（例如练习里的几行）：当作一段脚本运行，打印它的输出。"""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            exec(compile(code, "<页面上的代码>", "exec"), {"__name__": "__main__"})
        except Exception:
            traceback.print_exc()
    return out.getvalue() or "（运行完毕，没有输出）\n"


def run_listing(original, edited, command=None):
    """运行一个程序清单（可能被读者改过）：先运行清单里的 ``>>>`` 例子，再运行这一页的命令。

    改动放回 gdbook 源码里对应的位置（在包目录里临时改，运行完还原），所以依赖它的一切——
    清单、命令行、发散的说明——用的都是改过的代码。返回文本。
    """
    sources = {str(p): p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py"))}
    segments = _segments(original.rstrip("\n"), sources)
    if not segments:
        return _run_script(edited)
    files = patch_sources(original, edited, sources, segments)
    first = Path(segments[0][0]).stem              # 清单的例子在这个模块里运行
    files = {Path(p): t for p, t in files.items()}
    parts = ["（代码没有改动）\n" if not files else
             "已换上改过的代码：" + "、".join(f"gdbook/{p.name}" for p in files) + "\n"]
    with _patched(files):
        try:
            module = importlib.import_module(f"gdbook.{first}")
        except Exception:                     # 改出了语法错误之类：说清楚是哪一行
            return parts[0] + "".join(traceback.format_exception_only(*sys.exc_info()[:2]))
        examples = run_doctest(edited, dict(vars(module)), "listing")
        if examples:
            parts.append(format_doctest(examples))
        if command:
            parts.append(format_command(command, *run_command(command)))
    return "\n".join(parts)


# ---------------------------------------------------------------- the page's requests

def handle(request):
    """网页 worker 的一次请求（JSON 文本）→ 回答（JSON 文本）``{"text": 输出, "status": 状态}``。

    请求的 ``kind``：``doctest``（``blocks``：这一页到这一块为止的 ``>>>`` 代码块）、
    ``command``（``code``：含 ``python -m gdbook …`` 的代码块）、``listing``（``original``、
    ``code``：原来的和改过的清单，``command``：这一页的命令，可以没有）。

    >>> json.loads(handle(json.dumps({"kind": "doctest", "blocks": [">>> 1 + 1\\n2\\n"]})))["status"]
    'passed'
    """
    job = json.loads(request)
    if job["kind"] == "doctest":
        text, ok = run_page_doctest(job["blocks"])
        status = "passed" if ok else "failed"
    elif job["kind"] == "command":
        text, status = run_commands(job["code"])[0], "done"
    elif job["kind"] == "listing":
        text, status = run_listing(job["original"], job["code"], job.get("command")), "done"
    else:
        raise ValueError(f"不认识的请求：{job['kind']!r}")
    return json.dumps({"text": text, "status": status}, ensure_ascii=False)
