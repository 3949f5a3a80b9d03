"""命令行：``python -m gdbook list``、``python -m gdbook run NAME`` 与 ``python -m gdbook figures``。

用法错误（未知的清单、不合法的 alpha……）打印中文说明并以退出码 2 结束，从不打印 traceback。
"""
import argparse
import json
import math
import sys

from gdbook.listings import LISTINGS, explain_divergence, format_run, get_listing, run_to_dict


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 参数错误：{message}\n")


def _alpha(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--alpha 需要一个数，收到 {text!r}（例如 --alpha 0.01）")
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"--alpha 必须是大于 0 的有限数，收到 {text!r}")
    return value


def _positive_int(option, example):
    """argparse 的 type：正整数，出错时说出是哪个选项、该怎么写。"""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(
                f"{option} 需要一个正整数，收到 {text!r}（例如 {option} {example}）")
        return value
    return parse


def _index(text):
    """冻结的权重：下标 0、1、2…，也可以写书中的名字 a、b、c…"""
    if len(text) == 1 and text.isalpha():
        return ord(text.lower()) - ord("a")
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--freeze 需要权重的下标（0、1、2）或名字（a、b、c），收到 {text!r}")


def build_parser():
    parser = _Parser(prog="gdbook", description="《深度学习图解》第 5 章的配套代码：运行书中的程序清单。")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True
    commands.add_parser("list", help="列出全部程序清单及其所在小节")
    run = commands.add_parser("run", help="运行一个清单，打印与书上相同的数字")
    run.add_argument("name", metavar="NAME", help="清单名，见 python -m gdbook list")
    run.add_argument("--alpha", type=_alpha, help="学习率（默认用书中的值）")
    run.add_argument("--iterations", type=_positive_int("--iterations", 20),
                     help="迭代次数（默认用书中的值）")
    run.add_argument("--freeze", type=_index, nargs="+", metavar="I",
                     help="冻结这些权重（下标 0 起，或 a、b、c）；freeze-a 默认冻结 a")
    run.add_argument("--epochs", type=_positive_int("--epochs", 10),
                     help="只用于 mnist：把 1000 张训练图过几遍（默认 10）")
    run.add_argument("--json", action="store_true", help="以 JSON 输出每一步的全部数字")
    figures = commands.add_parser("figures", help="画出网站用的全部图形（浅色、深色各一份）")
    figures.add_argument("--out", default="docs/figures", metavar="DIR",
                         help="输出目录（默认 docs/figures）")
    figures.add_argument("--only", nargs="+", metavar="ID", help="只画这些图（图 id 见 figures.json）")
    figures.add_argument("--force", action="store_true", help="不看缓存，全部重画")
    return parser


def _list():
    for listing in LISTINGS.values():
        print(f"{listing.name:<14} 第 {listing.section} 节  {listing.title}"
              f"（alpha={listing.alpha}，{listing.iterations} 次迭代）")
    from gdbook.mnist import DEFAULT_ALPHA, DEFAULT_EPOCHS
    print(f"{'mnist':<14} 第 5 节  MNIST：784→10 网络（alpha={DEFAULT_ALPHA}，"
          f"{DEFAULT_EPOCHS} 轮，每轮 1000 张训练图）")
    return 0


def _run(args):
    if args.name == "mnist":
        return _run_mnist(args)
    if args.epochs is not None:
        raise ValueError(f"--epochs 只用于 mnist；{args.name} 请用 --iterations。")
    listing = get_listing(args.name)
    run = listing.run(args.alpha, args.iterations, args.freeze)
    if args.json:
        print(json.dumps(run_to_dict(listing.name, run), ensure_ascii=False, allow_nan=False))
    else:
        sys.stdout.write(format_run(run))
    if run.diverged:
        sys.stdout.flush()
        print(explain_divergence(listing.name, run), file=sys.stderr)
        return 1 if run.diverged.overflow_at is not None else 0
    return 0


def _run_mnist(args):
    if args.freeze is not None or args.iterations is not None:
        raise ValueError("mnist 没有 --freeze 和 --iterations：用 --alpha 和 --epochs（把训练图过几遍）。")
    from gdbook import mnist
    from gdbook.datasets import MnistDataError

    log = sys.stderr if args.json else sys.stdout   # --json 时 stdout 只放 JSON

    def progress(epoch, error):
        print(f"第 {epoch} 轮  平均误差 {error:.4f}", file=log, flush=True)

    alpha = mnist.DEFAULT_ALPHA if args.alpha is None else args.alpha
    epochs = mnist.DEFAULT_EPOCHS if args.epochs is None else args.epochs
    try:
        result = mnist.train(alpha, epochs, progress)
    except BrokenPipeError:
        raise
    except (OSError, MnistDataError, mnist.DivergedError) as exc:   # 不是用法错误：退出码 1
        print(f"gdbook: 错误：{exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"alpha": result.alpha, "epochs": result.epochs,
                          "train_error": result.train_error,
                          "train_accuracy": result.train_accuracy,
                          "test_accuracy": result.test_accuracy}, allow_nan=False))
    else:
        print(f"训练集准确率 {result.train_accuracy:.1%}（前 1000 张训练图）")
        print(f"测试集准确率 {result.test_accuracy:.1%}（前 1000 张测试图）")
    return 0


def _figures(args):
    # 什么都没变时 build 不导入 matplotlib；未知的 id 在画任何图之前就报错（附最接近的 id）
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


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            return _list()
        if args.command == "figures":
            return _figures(args)
        return _run(args)
    except (ValueError, TypeError) as exc:
        print(f"gdbook: 错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
