"""第 2 层：本章的三种学习规则，每一步都记下来。

三种网络只差在形状上：

* 多输入（第 1、2 节）：输入是向量，输出是一个数，权重是向量；
* 多输出（第 3 节）：输入是一个数，输出是向量，权重是向量；
* 多输入多输出（第 4 节）：输入、输出都是向量，权重是矩阵（行 = 输出，列 = 输入）。

规则却是同一条：``pred`` 与 ``target`` 之差是 ``delta``，
每个权重的 ``weight_delta`` 等于它所连的 ``delta`` 乘以它所连的输入，
然后 ``weight -= alpha * weight_delta``。被冻结的权重，``weight_delta`` 记为 ``0``。

每种网络两个函数：``*_step`` 只学一步（页面上展示的就是它）；``*_descent`` 检查参数，
反复调用 ``*_step``，返回 :class:`Run`：参数加上一串 :class:`Step`。打印、画图、JSON
都只读这个记录，从不重新计算。
"""
import math
from dataclasses import dataclass, field

from gdbook import checks
from gdbook.arith import outer, scale, vector_matrix, weighted_sum

MAX_ITERATIONS = 100_000


@dataclass(frozen=True)
class Step:
    """一次迭代：预测、比较、学习三个阶段的全部数字。``weights`` 是更新前的权重。"""

    iteration: int
    input: object
    target: object
    weights: object
    pred: object
    error: object
    delta: object
    weight_deltas: object
    weights_after: object


@dataclass(frozen=True)
class Divergence:
    """学习发散的证据和补救办法。

    ``iteration``：误差第一次变大的那次迭代；``overflow_at``：数字溢出、训练停止的那次迭代
    （没有溢出时为 ``None``）；
    ``largest_input``：绝对值最大的（未冻结的）输入的下标；``critical_alpha``：
    超过它误差就会越来越大（``2 / Σ x²``，只计未冻结的输入）；``suggested_alpha``：
    不超过 ``1 / Σ x²`` 的最大的 1、2、5 × 10ⁿ。
    """

    iteration: int
    overflow_at: int | None
    largest_input: int
    critical_alpha: float
    suggested_alpha: float


@dataclass(frozen=True)
class Run:
    """一次训练的完整记录。"""

    kind: str
    alpha: float
    iterations: int
    frozen: tuple
    steps: list = field(default_factory=list)
    diverged: Divergence | None = None

    @property
    def final_weights(self):
        """最后一步更新之后的权重。"""
        return self.steps[-1].weights_after if self.steps else None


# ---------------------------------------------------------------- input checks

def _settings(alpha, iterations, frozen, n_weights, what):
    """三种规则共同的参数：学习率、迭代次数、冻结的下标（检查写在 :mod:`gdbook.checks`）。"""
    return (checks.alpha(alpha), checks.count(iterations, "iterations", MAX_ITERATIONS),
            checks.frozen(frozen, n_weights, what))


# ---------------------------------------------------------------- divergence

def _nice_alpha_below(limit):
    """不超过 limit 的最大的 1、2、5 × 10ⁿ。"""
    exponent = math.floor(math.log10(limit))
    for mantissa in (5, 2, 1):
        candidate = mantissa * 10.0 ** exponent
        if candidate <= limit:
            return float(f"{candidate:.1g}")
    return float(f"{10.0 ** (exponent - 1):.1g}")


def _divergence(iteration, overflow_at, learning_inputs):
    """learning_inputs：连到同一个输出的各个权重的输入，冻结的记作 0。

    对单个样本，一个输出的误差每步乘以 (1 - alpha·Σx²)²，Σ 只取连到该输出、正在学习的输入；
    三种网络里每个输出看到的 Σx² 都相同，所以一个输出的输入就够了。
    """
    energy = weighted_sum(learning_inputs, learning_inputs)
    largest = max(range(len(learning_inputs)), key=lambda i: abs(learning_inputs[i]))
    return Divergence(iteration=iteration, overflow_at=overflow_at, largest_input=largest,
                      critical_alpha=2 / energy, suggested_alpha=_nice_alpha_below(1 / energy))


def _flat(value):
    if isinstance(value, list):
        for item in value:
            yield from _flat(item)
    else:
        yield value


def _square(d):
    """误差 = delta 的平方。书上写 ``(pred - true) ** 2``；这里用 ``d * d``：

    IEEE 乘法保证正确舍入，而 ``** 2`` 走 C 库的 ``pow()``，极少数情况下差最后一位，且因平台而异。
    在书中的全部参数上二者逐位相同（tests/test_listings.py 核对），网页里的 JavaScript 版也用乘法。
    溢出时 ``d * d`` 得到 inf，由训练循环处理。
    """
    return d * d


def _total(errors):
    """各输出误差之和，仅用于判断误差是否在变大；和本身溢出时记作 inf。"""
    try:
        return math.fsum(_flat(errors))
    except OverflowError:
        return math.inf


# --8<-- [start:train_loop]
def _train(kind, step, inputs, weights, targets, alpha, iterations, frozen, learning_inputs):
    """共用的训练循环：逐次调用一步的函数 ``step``，把每一步记成 :class:`Step`。

    误差第一次变大时记下发散；数字溢出时停止。``learning_inputs`` 只用于发散的诊断。
    """
    steps, diverged, previous = [], None, None
    for it in range(1, iterations + 1):
        pred, error, delta, weight_deltas, after = step(inputs, weights, targets, alpha, frozen)
        if not all(math.isfinite(x) for x in _flat([pred, error, after])):
            first = diverged.iteration if diverged else it
            diverged = _divergence(first, it, learning_inputs)
            break
        steps.append(Step(it, inputs, targets, _copy(weights), pred, error, delta,
                          weight_deltas, after))
        total = _total(error)
        if diverged is None and previous is not None and total > previous:
            diverged = _divergence(it, None, learning_inputs)
        previous = total
        weights = after
    return Run(kind, alpha, iterations, frozen, steps, diverged)
# --8<-- [end:train_loop]


def _copy(weights):
    """权重（向量或矩阵）的副本：记录里每一步的权重各用各的列表。"""
    return [list(w) if isinstance(w, list) else w for w in weights]


# ---------------------------------------------------------------- one update step of each network
# 每个函数只做一步：预测、比较、学习，返回 (pred, error, delta, weight_deltas, 新的权重)。
# 不检查参数、不记录、不循环：这些在下面的 *_descent 和 _train 里。

# --8<-- [start:multi_input_step]
def multi_input_step(inputs, weights, target, alpha, frozen=()):
    """多输入网络学习一步：一个 delta，分给每个输入的权重。"""
    pred = weighted_sum(inputs, weights)        # 预测：加权和
    delta = pred - target                       # 比较：高了多少
    error = _square(delta)                      # 比较：误差是 delta²
    weight_deltas = scale(delta, inputs)        # 学习：delta × 每个输入
    for i in frozen:
        weight_deltas[i] = 0                    # 冻结的权重不学
    # 更新：每个权重减去 alpha × 它的 weight_delta
    weights = [w - alpha * wd for w, wd in zip(weights, weight_deltas)]
    return pred, error, delta, weight_deltas, weights
# --8<-- [end:multi_input_step]


# --8<-- [start:multi_output_step]
def multi_output_step(input, weights, targets, alpha, frozen=()):
    """多输出网络学习一步：每个输出有自己的 delta，都乘以同一个输入。"""
    pred = scale(input, weights)                     # 预测：各输出的 pred
    delta = [p - t for p, t in zip(pred, targets)]   # 比较：各输出的 delta
    error = [_square(d) for d in delta]              # 比较：各输出的误差
    weight_deltas = scale(input, delta)              # 学习：输入 × 各 delta
    for i in frozen:
        weight_deltas[i] = 0                         # 冻结的权重不学
    # 更新：每个权重减去 alpha × 它的 weight_delta
    weights = [w - alpha * wd for w, wd in zip(weights, weight_deltas)]
    return pred, error, delta, weight_deltas, weights
# --8<-- [end:multi_output_step]


# --8<-- [start:multi_in_out_step]
def multi_in_out_step(inputs, weights, targets, alpha, frozen=()):
    """多输入多输出网络学习一步。权重矩阵：行 = 输出，列 = 输入。

    第 5 节 MNIST 网络的纯 Python 版也用它。
    """
    pred = vector_matrix(inputs, weights)            # 预测：每行一次加权和
    delta = [p - t for p, t in zip(pred, targets)]   # 比较：各输出的 delta
    error = [_square(d) for d in delta]              # 比较：各输出的误差
    weight_deltas = outer(delta, inputs)             # 学习：外积，行 = 输出
    for row in weight_deltas:
        for j in frozen:
            row[j] = 0                               # 冻结：第 j 列不学
    # 更新：每个权重减去 alpha × 它的 weight_delta
    weights = [[w - alpha * wd for w, wd in zip(w_row, wd_row)]
               for w_row, wd_row in zip(weights, weight_deltas)]
    return pred, error, delta, weight_deltas, weights
# --8<-- [end:multi_in_out_step]


# ---------------------------------------------------------------- the three networks, trained

# --8<-- [start:multi_input]
def multi_input_descent(inputs, weights, target, alpha, iterations, frozen=()):
    """第 1、2 节的网络：若干输入汇到一个输出，用梯度下降学习。

    每个权重的 ``weight_delta = delta * input``；``frozen`` 里的权重不学习。

    >>> run = multi_input_descent([8.5, 0.65, 1.2], [0.1, 0.2, -0.1], 1, 0.01, 3)
    >>> run.steps[0].pred, run.steps[0].delta
    (0.8600000000000001, -0.1399999999999999)
    """
    inputs = checks.vector(inputs, "inputs")
    weights = checks.vector(weights, "weights")
    checks.same_length(inputs, weights, "inputs", "weights")
    target = checks.number(target, "target")
    alpha, iterations, frozen = _settings(alpha, iterations, frozen, len(weights), "权重")
    learning = [0.0 if i in frozen else x for i, x in enumerate(inputs)]
    return _train("multi-input", multi_input_step, inputs, weights, target,
                  alpha, iterations, frozen, learning)
# --8<-- [end:multi_input]


# --8<-- [start:multi_output]
def multi_output_descent(input, weights, targets, alpha, iterations, frozen=()):
    """第 3 节的网络：一个输入分给若干输出，每个输出各有自己的 ``delta``。

    第 i 个权重的 ``weight_delta = input * delta[i]``。

    >>> run = multi_output_descent(0.65, [0.3, 0.2, 0.9], [0.1, 1, 0.1], 0.1, 1)
    >>> [round(d, 4) for d in run.steps[0].delta]
    [0.095, -0.87, 0.485]
    """
    input = checks.number(input, "input")
    weights = checks.vector(weights, "weights")
    targets = checks.vector(targets, "targets")
    checks.same_length(weights, targets, "weights", "targets")
    alpha, iterations, frozen = _settings(alpha, iterations, frozen, len(weights), "权重")
    # 每个输出只有一个权重，只连着这一个输入：一步是否越过谷底只取决于 input²
    learning = [0.0 if len(frozen) == len(weights) else input]
    return _train("multi-output", multi_output_step, input, weights, targets,
                  alpha, iterations, frozen, learning)
# --8<-- [end:multi_output]


# --8<-- [start:multi_in_out]
def multi_in_out_descent(inputs, weights, targets, alpha, iterations, frozen=()):
    """第 4 节的网络：若干输入、若干输出全部相连。权重矩阵：行 = 输出，列 = 输入。

    ``weight_deltas = outer(delta, inputs)``，即第 i 行第 j 列是 ``delta[i] * inputs[j]``。
    ``frozen`` 里是输入的下标：冻结该输入连出的整列权重。

    >>> run = multi_in_out_descent([1.0, 2.0], [[0.5, 0.0], [0.0, 0.5]], [1.0, 0.0], 0.1, 1)
    >>> run.steps[0].weight_deltas
    [[-0.5, -1.0], [1.0, 2.0]]
    """
    inputs = checks.vector(inputs, "inputs")
    targets = checks.vector(targets, "targets")
    weights = checks.matrix(weights, "weights", len(targets), len(inputs))
    alpha, iterations, frozen = _settings(alpha, iterations, frozen, len(inputs), "输入")
    learning = [0.0 if j in frozen else x for j, x in enumerate(inputs)]
    return _train("multi-in-out", multi_in_out_step, inputs, weights, targets,
                  alpha, iterations, frozen, learning)
# --8<-- [end:multi_in_out]
