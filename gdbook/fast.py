"""第 2 层的 NumPy 版：同样的学习规则，向量化。

所有形状都归结为“多输入多输出”：权重矩阵 ``W`` 形状为 (输出数, 输入数)，
``pred = W @ x``，``delta = pred - y``，``weight_deltas = outer(delta, x)``。
多输入是只有一行的矩阵，多输出是只有一列的矩阵。

一步学习只写在 :func:`update` 里：:func:`descend` 和第 5 节 MNIST 网络的
:func:`gdbook.mnist.one_epoch` 都调用它；误差曲线的图用 :func:`error_curve`。
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trace:
    """每次迭代的数组，第 0 维是迭代次数。``weights[k]`` 是第 k+1 次更新之前的权重。"""

    pred: np.ndarray           # (n, 输出数)
    error: np.ndarray          # (n, 输出数)
    delta: np.ndarray          # (n, 输出数)
    weights: np.ndarray        # (n + 1, 输出数, 输入数)，最后一项是训练后的权重
    weight_deltas: np.ndarray  # (n, 输出数, 输入数)


# --8<-- [start:update]
def update(W, x, y, alpha, learn=None):
    """一步梯度下降，就地更新权重矩阵 ``W``；返回这一步的 ``(pred, delta)``。

    ``learn`` 与 ``W`` 同形：1 = 学习，0 = 冻结；``None`` 表示全部学习
    （MNIST 每张图都走这里，省掉一次乘法）。alpha 先乘进 delta
    （每个输出一个数），比乘整个矩阵少扫一遍权重。

    >>> W, x, y = np.zeros((2, 2)), np.array([1.0, 2.0]), np.array([1.0, 0.0])
    >>> pred, delta = update(W, x, y, 0.5)
    >>> delta.tolist(), W.tolist()
    ([-1.0, 0.0], [[0.5, 1.0], [0.0, 0.0]])
    """
    pred = W @ x                                       # 预测
    delta = pred - y                                   # 比较
    change = np.outer(alpha * delta, x)                # 学习：外积，含 alpha
    W -= change if learn is None else change * learn   # 更新：冻结处乘 0
    return pred, delta
# --8<-- [end:update]


# --8<-- [start:descend]
def descend(x, W, y, alpha, iterations, frozen=(), frozen_outputs=()):
    """在一个样本 (x, y) 上做 ``iterations`` 次梯度下降，每一步都记下来。

    ``frozen``：被冻结的输入下标（整列权重不学）；``frozen_outputs``：被冻结的输出下标（整行）。

    >>> t = descend([8.5, 0.65, 1.2], [[0.1, 0.2, -0.1]], [1.0], 0.01, 3)
    >>> t.delta.ravel().round(4).tolist()
    [-0.14, -0.0362, -0.0094]
    """
    x = np.asarray(x, dtype=float)
    W = np.array(W, dtype=float, ndmin=2)
    y = np.asarray(y, dtype=float).reshape(-1)
    learn = np.ones_like(W)
    learn[:, list(frozen)] = 0.0
    learn[list(frozen_outputs), :] = 0.0
    pred = np.empty((iterations, len(y)))
    delta = np.empty((iterations, len(y)))
    weights = np.empty((iterations + 1, *W.shape))
    weights[0] = W
    for k in range(iterations):
        weights[k + 1] = weights[k]
        pred[k], delta[k] = update(weights[k + 1], x, y, alpha, learn)
    weight_deltas = delta[:, :, None] * x * learn     # 记录：delta × 输入（冻结的记 0）
    return Trace(pred, delta * delta, delta, weights, weight_deltas)
# --8<-- [end:descend]


def error_curve(x, W, y, output, index, grid):
    """第 ``output`` 个输出的误差，作为第 ``index`` 个权重的函数（其余权重不动）。

    这是书中“误差曲线”：误差曲面沿一个权重方向切下的一刀。

    >>> error_curve([2.0], [[0.0]], [1.0], 0, 0, [0.0, 0.5, 1.0]).tolist()
    [1.0, 0.0, 1.0]
    """
    x = np.asarray(x, dtype=float)
    w = np.array(W, dtype=float, ndmin=2)[output]
    grid = np.asarray(grid, dtype=float)
    rest = w @ x - w[index] * x[index]
    d = rest + grid * x[index] - np.asarray(y, dtype=float).reshape(-1)[output]
    return d * d
