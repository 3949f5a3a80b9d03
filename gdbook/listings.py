"""本章的四个程序清单：书中的数据、参数，以及与书上一模一样的打印格式。

每个清单都是 :mod:`gdbook.rules` 里某个通用函数的一次调用；这里只放书给的数字。
"""
import difflib
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Listing:
    """一个清单：名字、所在小节、书中的参数，以及怎样运行它。"""

    name: str
    section: int
    title: str
    alpha: float
    iterations: int
    frozen: tuple
    weight_kind: str      # --freeze 的下标指的是什么
    weight_names: tuple   # 每个可冻结下标的名字（用于解释）

    def run(self, alpha=None, iterations=None, frozen=None):
        """用书中的参数运行；给出的参数覆盖书中的参数。"""
        alpha = self.alpha if alpha is None else alpha
        iterations = self.iterations if iterations is None else iterations
        frozen = self.frozen if frozen is None else tuple(frozen)
        return _RUNNERS[self.name](alpha, iterations, frozen)


# --8<-- [start:listings]
def _multi_input(alpha, iterations, frozen):
    inputs = [toes[0], wlrec[0], nfans[0]]
    return multi_input_descent(inputs, [0.1, 0.2, -0.1], win_or_lose_binary[0],
                               alpha, iterations, frozen)


def _multi_output(alpha, iterations, frozen):
    targets = [hurt[0], win[0], sad[0]]
    return multi_output_descent(wlrec[0], [0.3, 0.2, 0.9], targets, alpha, iterations, frozen)


def _multi_in_out(alpha, iterations, frozen):
    inputs = [toes[0], wlrec[0], nfans[0]]
    targets = [hurt[0], win[0], sad[0]]
    weights = [[0.1, 0.1, -0.3],   # hurt?  行 = 输出
               [0.1, 0.2, 0.0],    # win?   列 = 输入（toes, wlrec, nfans）
               [0.0, 1.3, 0.1]]    # sad?
    return multi_in_out_descent(inputs, weights, targets, alpha, iterations, frozen)
# --8<-- [end:listings]


_RUNNERS = {"multi-input": _multi_input, "freeze-a": _multi_input,
            "multi-output": _multi_output, "multi-in-out": _multi_in_out}

LISTINGS = {
    "multi-input": Listing("multi-input", 1, "多输入梯度下降", 0.01, 3, (), "权重", WEIGHT_NAMES),
    "freeze-a": Listing("freeze-a", 2, "冻结一个权重", 0.3, 3, (0,), "权重", WEIGHT_NAMES),
    "multi-output": Listing("multi-output", 3, "多输出梯度下降", 0.1, 1, (), "权重", OUTPUT_NAMES),
    "multi-in-out": Listing("multi-in-out", 4, "多输入多输出", 0.01, 1, (), "输入", INPUT_NAMES),
}


# 第 5 节的网络不是这里的清单（它在第 3 层的 gdbook.mnist），但命令行同样能运行它
MNIST = "mnist"


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


def explain_divergence(name, run):
    """用中文解释为什么发散、该怎么办。"""
    d = run.diverged
    listing = get_listing(name)
    inputs = run.steps[0].input if run.steps else None
    if isinstance(inputs, list):
        if len(inputs) == len(INPUT_NAMES):
            who = f"输入 {INPUT_NAMES[d.largest_input]}（值 {inputs[d.largest_input]}）"
        else:
            who = f"第 {d.largest_input} 个输入（值 {inputs[d.largest_input]}）"
        cause = f"每个权重的改变量是 alpha × delta × 它的输入，{who}最大，它的权重一步改得最多"
        energy, remedy = "各个参与学习的输入的平方和", "；或者先把输入缩放到相近的范围（归一化）"
    else:       # 第 3 节：只有一个输入，每个权重都乘它
        cause = f"每个权重的改变量是 alpha × delta × 输入（值 {inputs}），alpha 太大，每个权重一步都改得太多"
        energy, remedy = "输入的平方", ""
    what = f"从第 {d.iteration} 次迭代起误差越来越大：学习发散了。"
    if d.overflow_at is not None:
        what += f"到第 {d.overflow_at} 次迭代，数字溢出成了无穷大，训练已停止。"
    return (
        f"{what}\n"
        f"原因：{cause}，冲过了误差的最低点，落到更高的另一侧；下一步 delta 更大，改得更多。\n"
        f"对这个样本，alpha 超过 {d.critical_alpha:.4g}（= 2 / {energy}）就会发散，"
        f"当前 alpha = {run.alpha}。\n"
        f"建议：alpha 不大于 {d.suggested_alpha:g}，例如 "
        f"python -m gdbook run {listing.name} --alpha {d.suggested_alpha:g}{remedy}。"
    )
