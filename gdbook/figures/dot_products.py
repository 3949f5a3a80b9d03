"""dot-products.md 的图：点积是粗略的相似度；一张测试图与每个数字的权重图的点积（书中图 97-1）。

权重来自 :func:`gdbook.mnist.trained_weights`，测试图来自 :func:`gdbook.datasets.load_mnist`。
"""
import numpy as np
from matplotlib.colors import CenteredNorm

from gdbook.arith import weighted_sum
from gdbook.figures.digits import _as_image, _weights
from gdbook.figures.draw import heatmap, image_grid, layout_figure
from gdbook.figures.registry import figure
from gdbook.figures.style import SMALL
from gdbook.numbers import num


VECTOR_EXAMPLES = (        # dot-products：小向量的例子，重合越多，点积越大
    ([0, 1, 0, 1], [1, 0, 1, 0]),
    ([0, 1, 0, 1], [0, 1, 1, 0]),
    ([0, 1, 0, 1], [0, 1, 0, 1]),
    ([0, 1, 0, 1], [0, -1, 0, -1]),
)


def _vector_panel(ax, a, b, pal):
    """两行小格子：a 在上、b 在下，逐项相乘再相加。"""
    heatmap(ax, [a, b], ["a", "b"], [], pal, norm=CenteredNorm(0.0, 1.8))
    ax.set_title(f"a $\\cdot$ b = {num(weighted_sum(a, b))}")


@figure("dot-products", fmt="png",
        caption="点积是粗略的相似度：两个向量重合的位置越多，点积越大，正负相反则为负。"
                "下方把一张测试图和每个数字的权重图逐像素相乘再相加，得分最高的就是网络的预测。",
        alt="上方四组小向量，每组两行四格，写出点积 0、1、2、−2。下方左边是一张手写的 7，"
            "右边十幅图是它与数字 0 到 9 的权重逐像素相乘的结果，每幅图下写着点积得分，7 的得分最高并加了框。",
        inputs=lambda: {"weights": _weights(), "image": _test_image()}, narrow=True)
def dot_products(pal, weights, image, layout="wide"):
    wide = layout == "wide"
    fig = layout_figure(layout, 4.4, 5.6)
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 2] if wide else [1.1, 1])
    vectors = top.subplots(1, 4) if wide else top.subplots(2, 2).ravel()
    for ax, (a, b) in zip(vectors, VECTOR_EXAMPLES):
        _vector_panel(ax, a, b, pal)
    scores = weights @ image
    best = int(np.argmax(scores))
    axes = bottom.subplots(2, 6)       # x 在左上，十个数字排成两行五列
    x_ax, digit_axes = axes[0, 0], [*axes[0, 1:], *axes[1, 1:]]
    axes[1, 0].set_axis_off()
    x_ax.imshow(_as_image(image), cmap=pal.gray, interpolation="nearest")
    x_ax.set_title("x")
    x_ax.set_axis_off()
    products = [_as_image(w * image) for w in weights]
    image_grid(digit_axes, products, pal, titles=[str(k) for k in range(10)],
               cmap=pal.diverging, norm=CenteredNorm(0.0, float(np.abs(products).max())),
               highlight=(best,))
    for ax, score in zip(digit_axes, scores):
        ax.set_xlabel(num(score), fontsize=SMALL)
    bottom.suptitle("x $\\cdot$ W[k]  (pixel by pixel, then sum)", fontsize=SMALL)
    return fig


def _test_image():
    from gdbook.datasets import load_mnist
    images, _ = load_mnist("test", limit=1)
    return images[0]
