"""命令行：``python -m gdbook list``、``python -m gdbook run NAME`` 与 ``python -m gdbook figures``。

退出码：成功 0；用法错误 2（中文说明加用法，不打印 traceback）；训练溢出、数据文件坏了、
有图画失败 1；Ctrl-C 130。只有 :class:`gdbook.checks.UsageError` 算用法错误：
别的异常都是程序错误，照常显示 traceback（退出码 1）。
"""
import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from gdbook import checks
from gdbook.checks import UsageError
from gdbook.listings import (LISTINGS, MNIST, MNIST_ALPHA, MNIST_EPOCHS, MNIST_MAX_EPOCHS,
                             explain_divergence, format_run, get_listing, run_to_dict)
from gdbook.rules import MAX_ITERATIONS

# ---------------------------------------------------------------- argparse in Chinese

# argparse 自己的文字（Python 3.11 的 gettext 消息 id）。没列出的保持原样：tests/test_cli.py
# 检查每条路径的输出里没有英文，换了 Python 版本、多出新文字时测试会失败。
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示这段帮助并退出",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r 不存在；可选：%(choices)s。",
    "expected one argument": "后面需要一个值。",
    "expected at most one argument": "后面最多一个值。",
    "expected at least one argument": "后面需要至少一个值。",
    "expected %s argument": "后面需要 %s 个值。",
    "expected %s arguments": "后面需要 %s 个值。",
    "ignored explicit argument %r": "不接受值，收到 %r。",
    "unrecognized arguments: %s": "不认识这些参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能和 %s 一起用。",
    "one of the arguments %s is required": "%s 必须给出一个。",
}


def _gettext(message):
    return _ZH.get(message, message)


def _ngettext(singular, plural, n):
    return _gettext(singular if n == 1 else plural)


@contextlib.contextmanager
def _chinese():
    """argparse 在用到文字时才查 ``argparse._``：只在我们的解析器工作时换成中文，用完还原。"""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseParser(argparse.ArgumentParser):
    """说中文的 ArgumentParser：帮助、用法和错误都是中文；错误先说原因，再给用法。"""

    def __init__(self, *args, **kwargs):
        with _chinese():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with _chinese():
            return super().format_usage()

    def format_help(self):
        with _chinese():
            return super().format_help()

    def report(self, message):
        """打印一个用法错误：第一行说原因，接着是用法。"""
        sys.stderr.write(f"{self.prog}: 错误：{message}\n{self.format_usage()}")

    def error(self, message):
        self.report(message)
        self.exit(2)


# 取一个数的选项。argparse 只把 -1、-0.5 这样的写法当作负数，-inf、-1e5 会被当成选项，
# 于是报“后面需要一个值”；把它们连成 --alpha=-inf，交给数值检查说出真正的问题。
_NUMBER_OPTIONS = ("--alpha", "--iterations", "--epochs")


def _attach_negative_numbers(argv):
    result = []
    for token in argv:
        if result and result[-1] in _NUMBER_OPTIONS and token.startswith("-") and _is_number(token):
            result[-1] += "=" + token
        else:
            result.append(token)
    return result


def _is_number(text):
    try:
        float(checks.text(text))
    except ValueError:
        return False
    return True


def _freeze_help():
    """--freeze 的帮助：每个清单能冻结什么，名字取自 gdbook/listings.py。"""
    groups = {}
    for listing in LISTINGS.values():
        groups.setdefault((listing.freeze_kind, listing.freeze_names), []).append(listing.name)
    lines = ["冻结这些权重，写名字或下标（0 起）："]
    for (kind, weight_names), names in groups.items():
        letters = "abcdefghijklmnopqrstuvwxyz"[:len(weight_names)]
        also = "" if "".join(weight_names) == letters else f"（或 {'、'.join(letters)}）"
        lines.append(f"  {'、'.join(names)}：{kind} {'、'.join(weight_names)}{also}")
    return "\n".join(lines + ["freeze-a 默认冻结 a"])


def build_parser():
    parser = ChineseParser(prog="gdbook", description="《深度学习图解》第 5 章的配套代码：运行书中的程序清单。")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
    commands.required = True
    parser.commands = commands.choices          # 命令名 → 它的解析器（报用法错误时用）
    commands.add_parser("list", help="列出全部程序清单及其所在小节")
    # 帮助按我们写的换行排版：argparse 自动折行会在 multi-output 的连字符处断开
    run = commands.add_parser("run", help="运行一个清单，打印与书上相同的数字",
                              formatter_class=argparse.RawTextHelpFormatter)
    run.add_argument("name", metavar="NAME", help=f"清单名：{'、'.join((*LISTINGS, MNIST))}")
    run.add_argument("--alpha", metavar="A", help="学习率，大于 0（默认用书中的值）")
    run.add_argument("--iterations", metavar="N",
                     help=f"迭代次数，1 到 {MAX_ITERATIONS}（默认用书中的值）")
    run.add_argument("--freeze", nargs="+", metavar="W", help=_freeze_help())
    run.add_argument("--epochs", metavar="N",
                     help=f"只用于 mnist：把 1000 张训练图过几遍，1 到 {MNIST_MAX_EPOCHS}（默认 {MNIST_EPOCHS}）")
    run.add_argument("--json", action="store_true", help="以 JSON 输出每一步的全部数字")
    figures = commands.add_parser("figures", help="画出网站用的全部图形（浅色、深色各一份）")
    figures.add_argument("--out", default="docs/figures", metavar="DIR",
                         help="输出文件夹，不存在就创建（默认 docs/figures）")
    figures.add_argument("--only", nargs="+", metavar="ID", help="只画这些图（图 id 见 figures.json）")
    figures.add_argument("--force", action="store_true", help="不看缓存，全部重画")
    return parser


# ---------------------------------------------------------------- commands

def _list(args):

    for listing in LISTINGS.values():
        print(f"{listing.name:<14} 第 {listing.section} 节  {listing.title}"
              f"（alpha={listing.alpha}，{listing.iterations} 次迭代）")
    print(f"{MNIST:<14} 第 5 节  MNIST：784→10 网络（alpha={MNIST_ALPHA}，"
          f"{MNIST_EPOCHS} 轮，每轮 1000 张训练图）")
    return 0


def _run(args):
    alpha = None if args.alpha is None else checks.alpha(checks.parse_number(args.alpha, "--alpha"),
                                                        "--alpha")
    if args.name == MNIST:
        return _run_mnist(args, alpha)
    listing = get_listing(args.name)
    if args.epochs is not None:
        raise UsageError(f"--epochs 只用于 mnist；{listing.name} 请用 --iterations。")
    iterations = None if args.iterations is None else \
        checks.parse_count(args.iterations, "--iterations", MAX_ITERATIONS)
    frozen = None if args.freeze is None else [
        checks.weight_index(w, listing.freeze_names, listing.name, listing.freeze_kind)
        for w in args.freeze]
    run = listing.run(alpha, iterations, frozen)
    if args.json:
        print(json.dumps(run_to_dict(listing.name, run), ensure_ascii=False, allow_nan=False))
    else:
        sys.stdout.write(format_run(run))
    if run.diverged:
        sys.stdout.flush()
        print(explain_divergence(listing.name, run), file=sys.stderr)
        return 1 if run.diverged.overflow_at is not None else 0
    return 0


def _run_mnist(args, alpha):
    if args.freeze is not None or args.iterations is not None:
        raise UsageError("mnist 没有 --freeze 和 --iterations：用 --alpha 和 --epochs（把训练图过几遍）。")
    from gdbook import mnist
    from gdbook.datasets import MnistDataError

    epochs = MNIST_EPOCHS if args.epochs is None else \
        checks.parse_count(args.epochs, "--epochs", MNIST_MAX_EPOCHS)
    log = sys.stderr if args.json else sys.stdout   # --json 时 stdout 只放 JSON

    def progress(epoch, error):     # 4 位有效数字（# 保留末尾的 0，各轮对齐），爆炸的数也不会很长
        print(f"第 {epoch} 轮  平均误差 {error:#.4g}", file=log, flush=True)

    try:
        result = mnist.train(MNIST_ALPHA if alpha is None else alpha, epochs, progress)
    except BrokenPipeError:
        raise                       # 读的一方关了管道（… | head）：由 main 安静地结束
    except (OSError, MnistDataError, mnist.DivergedError) as exc:   # 数据或训练的问题：退出码 1
        print(f"gdbook: 错误：{exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"listing": MNIST, "alpha": result.alpha, "epochs": result.epochs,
                          "train_error": result.train_error,
                          "train_accuracy": result.train_accuracy,
                          "test_accuracy": result.test_accuracy}, allow_nan=False))
    else:
        print(f"训练集准确率 {result.train_accuracy:.1%}（前 1000 张训练图）")
        print(f"测试集准确率 {result.test_accuracy:.1%}（前 1000 张测试图）")
    return 0


def _check_out_dir(text):
    """``figures --out``：在导入 matplotlib、画任何图之前，确认这个文件夹能建、能写。"""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {path} 已经存在，但它是文件，不是文件夹。")
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise UsageError(f"--out {path} 无法创建：{existing} 是文件，不是文件夹。")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--out {path} 无法写入：没有 {existing} 的写入权限。")


def _figures(args):
    _check_out_dir(args.out)
    # 什么都没变时 build 不导入 matplotlib；未知的图 id、不合法的 GDBOOK_FIGURE_JOBS
    # 在画任何图之前就作为 UsageError 报出（附最接近的 id）
    from gdbook.figures import FigureBuildError, build
    try:
        results = build(args.out, only=args.only, force=args.force,
                        progress=lambda line: print(line, flush=True))
    except FigureBuildError as exc:
        for failure in exc.failures:
            print(f"gdbook: 错误：{failure}", file=sys.stderr)
        return 1
    drawn = sum(r.status == "drawn" for r in results)
    total = sum(r.bytes for r in results)
    print(f"共 {len(results)} 张图：重画 {drawn} 张，沿用缓存 {len(results) - drawn} 张，"
          f"合计 {total / 1024:.1f} KB，写在 {args.out}/")
    return 0


_COMMANDS = {"list": _list, "run": _run, "figures": _figures}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser()
        args = parser.parse_args(_attach_negative_numbers(argv))
        try:
            return _COMMANDS[args.command](args)
        except UsageError as exc:
            parser.commands[args.command].report(str(exc))
            return 2
    except KeyboardInterrupt:
        print("gdbook: 已中断（Ctrl-C）。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # 读的一方（例如 head）先关了管道：不再输出，也不让 Python 退出时再报一次错
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
