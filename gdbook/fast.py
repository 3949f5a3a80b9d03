"""第 2 层的 NumPy 版：同样的学习规则，向量化。

所有形状都归结为“多输入多输出”：权重矩阵 ``W`` 形状为 (输出数, 输入数)，
``pred = W @ x``，``delta = pred - y``，``weight_deltas = outer(delta, x)``。
多输入是只有一行的矩阵，多输出是只有一列的矩阵。MNIST 网络和图形都用这里的函数。
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


# --8<-- [start:descend]
def descend(x, W, y, alpha, iterations, frozen=(), frozen_outputs=()):
    """在一个样本 (x, y) 上做 ``iterations`` 次梯度下降。

    ``frozen``：被冻结的输入下标（整列权重不学）；``frozen_outputs``：被冻结的输出下标（整行）。

    >>> t = descend([8.5, 0.65, 1.2], [[0.1, 0.2, -0.1]], [1.0], 0.01, 3)
    >>> t.delta.ravel().round(4).tolist()
    [-0.14, -0.0362, -0.0094]
    """
    x = np.asarray(x, dtype=float)
    W = np.array(W, dtype=float, ndmin=2)
    y = np.asarray(y, dtype=float).reshape(-1)
    n_out, n_in = W.shape
    learn = np.ones((n_out, n_in))
    learn[:, list(frozen)] = 0.0
    learn[list(frozen_outputs), :] = 0.0
    pred = np.empty((iterations, n_out))
    weights = np.empty((iterations + 1, n_out, n_in))
    weight_deltas = np.empty((iterations, n_out, n_in))
    weights[0] = W
    for k in range(iterations):
        pred[k] = weights[k] @ x
        weight_deltas[k] = np.outer(pred[k] - y, x) * learn
        weights[k + 1] = weights[k] - alpha * weight_deltas[k]
    delta = pred - y
    return Trace(pred, delta ** 2, delta, weights, weight_deltas)
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
    return (rest + grid * x[index] - np.asarray(y, dtype=float).reshape(-1)[output]) ** 2
