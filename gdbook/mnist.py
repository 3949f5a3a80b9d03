"""第 3 层：第 5 节的 784→10 网络——没有隐藏层，只有一个 10×784 的权重矩阵。

它和第 4 节的“多输入多输出”是同一个网络，只是大了许多：输入是一张图摊平后的
784 个像素（/ 255），输出是 10 个数，每个数字一个；目标是标签的独热向量。学习规则一字不改，
每张图学一次（逐个样本的梯度下降，平方误差）::

    pred = W @ x                        # 预测：每一行权重与输入做一次加权和
    delta = pred - y                    # 比较：每个输出一个 delta
    W -= alpha * outer(delta, x)        # 学习：weight_deltas[i][j] = delta[i] * x[j]

这里有两个实现，学习的一步都不在这里重写：:func:`descend_epochs` 经 :func:`one_epoch` 每张图调用一次
:func:`gdbook.fast.update`（NumPy），:func:`descend_epochs_python` 每张图调用一次
:func:`gdbook.rules.multi_in_out_step`（书中的列表算术，与第 4 节相同）；测试核对二者给出相同的权重。

默认参数为什么是这样（页面会解释）：

* ``alpha = 0.001``。第 1 节说过：输入越大，同样的 alpha 一步走得越远。这里一张图有 784 个输入，
  每张图的 Σx² 平均约 86，最亮的一张约 215；逐个样本学习时，一步不越过谷底要求
  ``alpha < 2 / Σx²``，对最亮的图约是 0.0093。0.01 正在这条线上（实测更差），0.02 起误差忽大忽小，
  0.05 就溢出了。0.001 约是界限的十分之一，学得稳。
* ``epochs = 10``（把 1000 张训练图过 10 遍，共 1 万次更新，一秒以内）。
  实测测试集准确率在 10 轮左右最高（约 77%），之后训练集越来越好、测试集反而变差：
  网络开始记住这 1000 张图本身，而不是数字的样子。
* 初始权重全为 0，而不是随机数。没有隐藏层，就没有需要随机数来打破的对称：每一行权重
  有自己的 delta，各学各的。更要紧的是第 1 节的“停止”效应：图片边缘的像素在每张图里都是 0，
  连着它们的权重永远学不动——随机初始化会让这些噪声原封不动地留在第 6 节的权重图里；
  从 0 出发，权重图里的每一点都是从数据学来的。全 0 也不需要随机种子，结果只由数据、alpha 和
  epochs 决定。（实测：均匀分布 ±0.1 初始化 10 轮后测试准确率约 70%，全 0 约 77%。）

:func:`trained_weights` 把训练好的权重缓存在磁盘上（默认 ``.gdbook-cache/mnist/``），
供图形反复使用。
"""
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdbook import checks
from gdbook.cache import cache_root, write_atomic
from gdbook.datasets import SUBSET_SHA256, load_mnist, one_hot
from gdbook.fast import update
from gdbook.listings import MNIST_ALPHA, MNIST_EPOCHS, MNIST_MAX_EPOCHS
from gdbook.rules import multi_in_out_step

DEFAULT_ALPHA = MNIST_ALPHA
DEFAULT_EPOCHS = MNIST_EPOCHS
MAX_EPOCHS = MNIST_MAX_EPOCHS
# 平均误差超过它就算爆炸，训练停止。权重全为 0 时每张图的误差是 1（独热目标的平方和），
# 能学会的 alpha 从不超过几；爆炸的 alpha 第一轮就到 1e20 以上，再算下去只是更大的数，直到溢出。
EXPLODED = 1e6


@dataclass(frozen=True)
class MnistResult:
    """一次训练的结果。``train_error[k]`` 是第 k+1 轮里每张图平方误差（10 个输出之和）的平均，
    在每次更新之前量出（和书中一样）；准确率是 ``argmax(pred)`` 等于标签的比例。"""

    weights: np.ndarray        # (10, 784)：行 = 输出（数字 0–9），列 = 输入（像素）
    train_error: list
    train_accuracy: float
    test_accuracy: float
    alpha: float
    epochs: int


class DivergedError(ArithmeticError):
    """误差爆炸或溢出成了 inf、NaN：alpha 太大。不是用法错误（参数本身合法），命令行以退出码 1 结束。"""


# --8<-- [start:one_epoch]
def one_epoch(W, images, targets, alpha):
    """逐个样本的梯度下降：每张图学一次，就地更新 ``W``；返回平均平方误差。"""
    total = 0.0
    for x, y in zip(images, targets):
        pred, delta = update(W, x, y, alpha)      # 预测、比较、学习
        total += float(delta @ delta)             # 这张图的平方误差
    return total / len(images)
# --8<-- [end:one_epoch]


# --8<-- [start:descend_epochs]
def descend_epochs(images, targets, weights, alpha, epochs, progress=None):
    """逐个样本的梯度下降（NumPy 版），返回 ``(weights, errors)``，不改动传入的权重。

    ``errors[k]`` 是第 k+1 轮每张图的平均平方误差；``progress(epoch, error)`` 每轮调用一次。

    >>> x = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> w, errors = descend_epochs(x, np.eye(2), np.zeros((2, 2)), 0.5, 2)
    >>> w.tolist(), errors
    ([[0.75, 0.0], [0.0, 0.75]], [1.0, 0.25])
    """
    W = np.array(weights, dtype=float)
    errors = []
    for epoch in range(1, epochs + 1):
        with np.errstate(over="ignore", invalid="ignore"):   # 溢出在下面统一报告
            errors.append(one_epoch(W, images, targets, alpha))
        _stop_if_exploded(errors[-1], W, alpha, epoch, images)
        if progress is not None:
            progress(epoch, errors[-1])
    return W, errors
# --8<-- [end:descend_epochs]


def descend_epochs_python(images, targets, weights, alpha, epochs):
    """与 :func:`descend_epochs` 相同，但只用书中的列表算术（慢，用来核对）。

    >>> descend_epochs_python([[1.0, 0.0], [0.0, 1.0]], [[1, 0], [0, 1]], [[0.0, 0.0], [0.0, 0.0]], 0.5, 2)
    ([[0.75, 0.0], [0.0, 0.75]], [1.0, 0.25])
    """
    W = [list(map(float, row)) for row in weights]
    errors = []
    for _ in range(epochs):
        total = 0.0
        for x, y in zip(images, targets):
            _, error, _, _, W = multi_in_out_step(x, W, y, alpha)
            for e in error:
                total += e
        errors.append(total / len(images))
    return W, errors


def accuracy(weights, images, labels):
    """预测最大的那个输出就是网络猜的数字；返回猜对的比例。

    >>> accuracy(np.eye(2), np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]]), np.array([0, 1, 1]))
    0.6666666666666666
    """
    return float(np.mean((images @ np.asarray(weights).T).argmax(axis=1) == labels))


# --8<-- [start:train]
def train(alpha=DEFAULT_ALPHA, epochs=DEFAULT_EPOCHS, progress=None):
    """用前 1000 张训练图训练 784→10 网络，权重从全 0 出发；返回 :class:`MnistResult`。

    >>> result = train(epochs=1)
    >>> result.weights.shape, len(result.train_error), result.test_accuracy > 0.5
    ((10, 784), 1, True)
    """
    alpha, epochs = _check(alpha, epochs)
    images, labels = load_mnist("train")
    test_images, test_labels = load_mnist("test")
    weights, errors = descend_epochs(images, one_hot(labels, 10), np.zeros((10, 784)),
                                     alpha, epochs, progress)
    return MnistResult(weights, errors, accuracy(weights, images, labels),
                       accuracy(weights, test_images, test_labels), alpha, epochs)
# --8<-- [end:train]


def trained_weights(alpha=DEFAULT_ALPHA, epochs=DEFAULT_EPOCHS):
    """训练好的权重 (10, 784)，缓存在磁盘上；数据、参数或训练代码变了，就重新训练。

    缓存目录是仓库根目录下的 ``.gdbook-cache/mnist/``（不在仓库里时是 ``~/.cache/gdbook/mnist/``），
    可用环境变量 ``GDBOOK_CACHE_DIR`` 指定别的根目录。缓存文件坏了就当作没有，重新训练并覆盖它。
    """
    alpha, epochs = _check(alpha, epochs)
    path = cache_path(alpha, epochs)
    try:
        weights = np.load(path, allow_pickle=False)
        if weights.shape == (10, 784) and weights.dtype == np.float64 and np.isfinite(weights).all():
            return weights
    except (OSError, ValueError, EOFError):
        pass   # 没有缓存，或缓存坏了：重新训练
    weights = train(alpha, epochs).weights
    buffer = io.BytesIO()
    np.save(buffer, weights)
    write_atomic(path, buffer.getvalue())
    return weights


def cache_path(alpha=DEFAULT_ALPHA, epochs=DEFAULT_EPOCHS):
    """:func:`trained_weights` 的缓存文件：键是数据的校验和、参数，以及训练和读数据的代码的哈希。"""
    alpha, epochs = _check(alpha, epochs)
    root = cache_root()
    here = Path(__file__).resolve().parent
    code = hashlib.sha256(b"".join((here / name).read_bytes()       # fast.py：每一步的更新
                                   for name in ("mnist.py", "fast.py", "datasets.py"))).hexdigest()
    key = hashlib.sha256(f"{SUBSET_SHA256}|{alpha!r}|{epochs}|{code}".encode()).hexdigest()[:16]
    return Path(root) / "mnist" / f"weights-alpha{alpha!r}-epochs{epochs}-{key}.npy"


def _check(alpha, epochs):
    return checks.alpha(alpha), checks.count(epochs, "epochs", MAX_EPOCHS)


def _stop_if_exploded(error, W, alpha, epoch, images):
    """第 ``epoch`` 轮的平均误差爆炸或溢出时引发 :class:`DivergedError`，附上解释。"""
    if math.isfinite(error) and error <= EXPLODED and np.isfinite(W).all():
        return
    what = (f"平均误差 {error:.4g}，是不学习时的百万倍以上" if math.isfinite(error)
            else "误差或权重溢出成了 inf 或 NaN")
    brightest = float(max(np.dot(x, x) for x in images))
    raise DivergedError(
        f"alpha={alpha} 太大：第 {epoch} 轮{what}，训练已停止。最亮的一张图 Σx² ≈ {brightest:.0f}，"
        f"逐个样本学习要求 alpha < 2 / Σx² ≈ {2 / brightest:.4f}；试试 alpha={DEFAULT_ALPHA}（默认值）。")
