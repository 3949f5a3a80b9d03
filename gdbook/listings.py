"""本章的四个程序清单：书中的数据、参数、名字，以及与书上一模一样的打印格式。

每个清单都是 :mod:`gdbook.rules` 里某个通用函数的一次调用；这里只放书给的数字和要说的话。
网页上的面板读的也是这里：``gdbook.pagedata`` 把清单、名字和文字模板原样导出给浏览器，
所以数据和说明只写这一次。
"""
import difflib
from dataclasses import dataclass, replace

from gdbook.checks import UsageError
from gdbook.rules import multi_in_out_descent, multi_input_descent, multi_output_descent

# --8<-- [start:data]
# 四场比赛的数据（第 1–4 节都只用第一场，下标 0）
toes = [8.5, 9.5, 9.9, 9.0]        # 球员平均脚趾数
wlrec = [0.65, 0.8, 0.8, 0.9]      # 胜率
nfans = [1.2, 1.3, 0.5, 1.0]       # 球迷人数（百万）
win_or_lose_binary = [1, 1, 0, 1]  # 赢了吗

hurt = [0.1, 0.0, 0.0, 0.1]        # 受伤的球员比例
win = [1, 1, 0, 1]                 # 赢了吗
sad = [0.1, 0.0, 0.1, 0.2]         # 伤心的球迷比例
# --8<-- [end:data]

INPUT_NAMES = ("toes", "wlrec", "nfans")
OUTPUT_NAMES = ("hurt", "win", "sad")
WEIGHT_NAMES = ("a", "b", "c")

_DESCENT = {"multi-input": multi_input_descent, "multi-output": multi_output_descent,
            "multi-in-out": multi_in_out_descent}


@dataclass(frozen=True)
class Listing:
    """一个清单：名字、所在小节、网络的形状（``kind``）、书中的初始数字和参数。

    ``inputs``、``targets`` 是一个数还是一串数，取决于形状：多输出网络只有一个输入，
    多输入网络只有一个目标。``freeze_names``：``--freeze`` 的每个下标指的是谁
    （多输入多输出网络冻结的是一个输入连出的整列权重）。
    """

    name: str
    section: int
    title: str
    kind: str
    inputs: object
    weights: list
    targets: object
    alpha: float
    iterations: int
    frozen: tuple
    freeze_names: tuple
    # 什么都不冻结时命令行运行哪个清单：``--freeze`` 后面至少要写一个下标，
    # 所以 freeze-a 的“取消冻结”只能写成 multi-input。None：就是这个清单本身。
    unfrozen: str | None = None

    def run(self, alpha=None, iterations=None, frozen=None):
        """用书中的参数运行；给出的参数覆盖书中的参数。"""
        alpha = self.alpha if alpha is None else alpha
        iterations = self.iterations if iterations is None else iterations
        frozen = self.frozen if frozen is None else tuple(frozen)
        return _DESCENT[self.kind](self.inputs, self.weights, self.targets,
                                   alpha, iterations, frozen)

    @property
    def freeze_args(self):
        """命令行 ``--freeze`` 后面怎样写每个下标：权重有书中的名字 a、b、c 就写名字，否则写下标。"""
        if self.freeze_names == WEIGHT_NAMES:
            return WEIGHT_NAMES
        return tuple(str(i) for i in range(len(self.freeze_names)))

    @property
    def freeze_kind(self):
        """``--freeze`` 冻结的是什么：多输入多输出网络冻结一个输入（它连出的整列权重），其余冻结一个权重。"""
        return "输入" if self.kind == "multi-in-out" else "权重"

    @property
    def explain_key(self):
        """发散说明用哪一套文字：几个输入（怪最大的那个）还是一个输入（只能怪 alpha）。"""
        return "inputs" if isinstance(self.inputs, list) else "one_input"


# 第 1–4 节的网络都只看第一场比赛（下标 0）
_game = [toes[0], wlrec[0], nfans[0]]
_outcome = [hurt[0], win[0], sad[0]]

_multi_input = Listing("multi-input", 1, "多输入梯度下降", "multi-input",
                       _game, [0.1, 0.2, -0.1], win_or_lose_binary[0],
                       alpha=0.01, iterations=3, frozen=(), freeze_names=WEIGHT_NAMES)

LISTINGS = {
    "multi-input": _multi_input,
    # 第 2 节：同一个网络、同样的数据，冻结权重 a，alpha 大一些
    "freeze-a": replace(_multi_input, name="freeze-a", section=2, title="冻结一个权重",
                        alpha=0.3, frozen=(0,), unfrozen="multi-input"),
    "multi-output": Listing("multi-output", 3, "多输出梯度下降", "multi-output",
                            wlrec[0], [0.3, 0.2, 0.9], _outcome,
                            alpha=0.1, iterations=1, frozen=(), freeze_names=OUTPUT_NAMES),
    "multi-in-out": Listing("multi-in-out", 4, "多输入多输出", "multi-in-out",
                            _game, [[0.1, 0.1, -0.3],    # hurt?  行 = 输出
                                    [0.1, 0.2, 0.0],     # win?   列 = 输入（toes, wlrec, nfans）
                                    [0.0, 1.3, 0.1]],    # sad?
                            _outcome,
                            alpha=0.01, iterations=1, frozen=(), freeze_names=INPUT_NAMES),
}


# 第 5 节的网络不是这里的清单（它在第 3 层的 gdbook.mnist，要用 NumPy），但命令行同样能运行它。
# 它的参数写在这里：不导入 NumPy 也读得到（命令行的帮助、网页里的纯 Python）。
MNIST = "mnist"
MNIST_ALPHA = 0.001         # 为什么这样选，见 gdbook.mnist 的说明
MNIST_EPOCHS = 10
MNIST_MAX_EPOCHS = 1000


def get_listing(name):
    """按名字找清单；找不到时给出最接近的名字。

    >>> get_listing("multi-inpt")
    Traceback (most recent call last):
    ...
    gdbook.checks.UsageError: 没有名为 'multi-inpt' 的清单。你是不是想输入 multi-input？可用的清单：multi-input、freeze-a、multi-output、multi-in-out、mnist。
    """
    if name in LISTINGS:
        return LISTINGS[name]
    known = (*LISTINGS, MNIST)
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f"你是不是想输入 {close[0]}？" if close else ""
    raise UsageError(f"没有名为 {name!r} 的清单。{hint}可用的清单：{'、'.join(known)}。")


def run_listing(name, alpha=None, iterations=None, frozen=None):
    """运行一个清单，返回 :class:`gdbook.rules.Run`。

    >>> run_listing("freeze-a").steps[0].weight_deltas[0]
    0
    """
    return get_listing(name).run(alpha, iterations, frozen)


# ---------------------------------------------------------------- printing

def format_run(run):
    """按书上的格式打印一次运行（``str()`` 打印浮点数，每次迭代后空一行）。

    >>> print(format_run(run_listing("multi-output")), end="")
    Weights:[0.293825, 0.25655, 0.868475]
    Weight Deltas:[0.061750000000000006, -0.5655, 0.3152500000000001]
    """
    if run.kind == "multi-input":
        lines = []
        for s in run.steps:
            lines += [f"Iteration:{s.iteration}", f"Pred:{s.pred}", f"Error:{s.error}",
                      f"Delta:{s.delta}", f"Weights:{s.weights}", "Weight_Deltas:",
                      f"{s.weight_deltas}", ""]
        return "\n".join(lines) + "\n" if lines else ""
    blocks = []
    for s in run.steps:
        if run.kind == "multi-output":
            block = [f"Weights:{s.weights_after}", f"Weight Deltas:{s.weight_deltas}"]
        else:
            block = ["Weights:"] + [str(row) for row in s.weights_after]
        if run.iterations > 1:
            block = [f"Iteration:{s.iteration}"] + block + [""]
        blocks += block
    return "\n".join(blocks) + "\n" if blocks else ""


def run_to_dict(name, run):
    """``--json`` 的内容：全部数字保持完整精度。"""
    d = run.diverged
    return {
        "listing": name, "alpha": run.alpha, "iterations": run.iterations,
        "frozen": list(run.frozen),
        "steps": [{"pred": s.pred, "error": s.error, "delta": s.delta, "weights": s.weights,
                   "weight_deltas": s.weight_deltas, "weights_after": s.weights_after}
                  for s in run.steps],
        "diverged": None if d is None else {
            "iteration": d.iteration, "overflow_at": d.overflow_at, "largest_input": d.largest_input,
            "critical_alpha": d.critical_alpha, "suggested_alpha": d.suggested_alpha},
    }


# ---------------------------------------------------------------- what to say when learning diverges

# Python 与网页共用的文字模板（``str.format`` 的写法，网页里的 JavaScript 按同样的规则填写）。
# 只用这几种占位符：``{name}``（整数原样，浮点数按 ``repr``）、``{name:g}``、``{name:.4g}``。
COMMAND_TEXT = {
    "run": "python -m gdbook run {name}",
    "alpha": " --alpha {alpha}",
    "iterations": " --iterations {iterations}",
    "freeze": " --freeze {frozen}",
}

DIVERGENCE_TEXT = {
    "title": "学习发散了",
    "grew": "从第 {iteration} 次迭代起误差越来越大：学习发散了。",
    "overflow": "到第 {overflow_at} 次迭代，数字溢出成了无穷大，训练已停止。",
    "text": ("{what}\n"
             "原因：{cause}，冲过了误差的最低点，落到更高的另一侧；下一步 delta 更大，改得更多。\n"
             "对这个样本，alpha 超过 {critical_alpha:.4g}（= 2 / {energy}）就会发散，"
             "当前 alpha = {alpha}。\n"
             "建议：alpha 不大于 {suggested_alpha:g}，例如 {command}{remedy}。"),
    # 几个输入：步子最大的是最大的那个输入的权重
    "inputs": {
        "cause": "每个权重的改变量是 alpha × delta × 它的输入，输入 {input_name}（值 {input_value}）最大，"
                 "它的权重一步改得最多",
        "energy": "各个参与学习的输入的平方和",
        "remedy": "；或者先把输入缩放到相近的范围（归一化）",
    },
    # 第 3 节：只有一个输入，每个权重都乘它，没有哪个输入“太大”可怪
    "one_input": {
        "cause": "每个权重的改变量是 alpha × delta × 输入（值 {input_value}），alpha 太大，"
                 "每个权重一步都改得太多",
        "energy": "输入的平方",
        "remedy": "",
    },
}


def _alpha_text(alpha):
    """命令行里的 alpha：``repr`` 能原样读回同一个浮点数；整数值不写多余的 ``.0``。"""
    text = repr(alpha)
    return text[:-2] if text.endswith(".0") else text


def command_line(name, alpha, iterations, frozen):
    """能重现这组设置的命令：总写出 alpha（本章讲的就是它），其余选项只在与书中参数不同时写出。

    >>> command_line("freeze-a", 0.3, 3, [1])
    'python -m gdbook run freeze-a --alpha 0.3 --freeze b'
    >>> command_line("freeze-a", 2.0, 20, [])
    'python -m gdbook run multi-input --alpha 2 --iterations 20'
    """
    listing = LISTINGS[name]
    frozen = tuple(frozen)
    if not frozen and listing.unfrozen:
        listing = LISTINGS[listing.unfrozen]
    text = COMMAND_TEXT["run"].format(name=listing.name)
    text += COMMAND_TEXT["alpha"].format(alpha=_alpha_text(alpha))
    if iterations != listing.iterations:
        text += COMMAND_TEXT["iterations"].format(iterations=iterations)
    if frozen != listing.frozen:
        text += COMMAND_TEXT["freeze"].format(frozen=" ".join(listing.freeze_args[i] for i in frozen))
    return text


def explain_divergence(name, run):
    """用中文解释为什么发散、该怎么办；建议的命令保留这次运行的其他设置。

    >>> print(explain_divergence("freeze-a", run_listing("freeze-a", alpha=2.0, frozen=[1])))
    从第 2 次迭代起误差越来越大：学习发散了。
    原因：每个权重的改变量是 alpha × delta × 它的输入，输入 toes（值 8.5）最大，它的权重一步改得最多，冲过了误差的最低点，落到更高的另一侧；下一步 delta 更大，改得更多。
    对这个样本，alpha 超过 0.02714（= 2 / 各个参与学习的输入的平方和）就会发散，当前 alpha = 2.0。
    建议：alpha 不大于 0.01，例如 python -m gdbook run freeze-a --alpha 0.01 --freeze b；或者先把输入缩放到相近的范围（归一化）。
    """
    listing, d = LISTINGS[name], run.diverged
    words = DIVERGENCE_TEXT[listing.explain_key]
    what = DIVERGENCE_TEXT["grew"].format(iteration=d.iteration)
    if d.overflow_at is not None:
        what += DIVERGENCE_TEXT["overflow"].format(overflow_at=d.overflow_at)
    if listing.explain_key == "inputs":
        cause = words["cause"].format(input_name=INPUT_NAMES[d.largest_input],
                                      input_value=listing.inputs[d.largest_input])
    else:
        cause = words["cause"].format(input_value=listing.inputs)
    return DIVERGENCE_TEXT["text"].format(
        what=what, cause=cause, energy=words["energy"], remedy=words["remedy"],
        critical_alpha=d.critical_alpha, alpha=run.alpha, suggested_alpha=d.suggested_alpha,
        command=command_line(name, d.suggested_alpha, run.iterations, run.frozen))
