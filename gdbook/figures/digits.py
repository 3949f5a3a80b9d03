"""MNIST 图的共用零件（mnist.md、weight-images.md、dot-products.md 的图都用）。

权重来自 :func:`gdbook.mnist.trained_weights`（有磁盘缓存），在 ``inputs`` 里才导入：
只画第 1–4 节的图时，不必读 MNIST。缓存键包含这些数组的每一个字节，数据或训练参数一变，图就重画。
"""
from gdbook.datasets import as_images


def _weights():
    from gdbook.mnist import trained_weights
    return trained_weights()


def _as_image(x):
    """784 个像素（或权重）排回 28×28。"""
    return as_images(x)
