"""dot-products.md 的图：点积是粗略的相似度；一张测试图与每个数字的权重图的点积（书中图 97-1）。

权重来自 :func:`gdbook.mnist.trained_weights`，测试图来自 :func:`gdbook.datasets.load_mnist`。
"""
import numpy as np
from matplotlib.colors import CenteredNorm

from gdbook.arith import weighted_sum
from gdbook.figures.digits import _as_image, _weights
from gdbook.figures.draw import heatmap, image_grid, new_figure
from gdbook.numbers import num
from gdbook.figures.registry import figure


VECTOR_EXAMPLES = (        # dot-products：小向量的例子，重合越多，点积越大
    ([0, 1, 0, 1], [1, 0, 1, 0]),
    ([0, 1, 0, 1], [0, 1, 1, 0]),
    ([0, 1, 0, 1], [0, 1, 0, 1]),
    ([0, 1, 0, 1], [0, -1, 0, -1]),
)


def _vector_panel(ax, a, b, pal):
    """两行小格子：a 在上、b 在下，逐项相乘再相加。"""
    heatmap(ax, [a, b], ["a", "b"], [], pal, norm=CenteredNorm(0.0, 1.8), digits=2)
    ax.set_title(f"a $\\cdot$ b = {num(weighted_sum(a, b))}", fontsize=10)


@figure("dot-products", fmt="png",
        caption="点积是粗略的相似度：两个向量重合的位置越多，点积越大，正负相反则为负。"
                "下方把一张测试图和每个数字的权重图逐像素相乘再相加，得分最高的就是网络的预测。",
        alt="上方四组小向量，每组两行四格，写出点积 0、1、2、−2。下方左边是一张手写的 7，"
            "右边十幅图是它与数字 0 到 9 的权重逐像素相乘的结果，每幅图下写着点积得分，7 的得分最高并加了框。",
        inputs=lambda: {"weights": _weights(), "image": _test_image()})
def dot_products(pal, weights, image):
    fig = new_figure(8.6, 3.3)
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.25])
    for ax, (a, b) in zip(top.subplots(1, len(VECTOR_EXAMPLES)), VECTOR_EXAMPLES):
        _vector_panel(ax, a, b, pal)
    scores = weights @ image
    best = int(np.argmax(scores))
    axes = bottom.subplots(1, 11, width_ratios=[1.3] + [1] * 10)
    axes[0].imshow(_as_image(image), cmap=pal.gray, interpolation="nearest")
    axes[0].set_title("x", fontsize=10)
    axes[0].set_axis_off()
    products = [_as_image(w * image) for w in weights]
    image_grid(axes[1:], products, pal, titles=[str(k) for k in range(10)], cmap=pal.diverging,
               norm=CenteredNorm(0.0, float(np.abs(products).max())), highlight=(best,))
    for ax, score in zip(axes[1:], scores):
        ax.set_xlabel(num(score, 2), fontsize=9)
    bottom.suptitle("x $\\cdot$ W[k]  (pixel by pixel, then sum)", fontsize=9.5)
    return fig


def _test_image():
    from gdbook.datasets import load_mnist
    images, _ = load_mnist("test", limit=1)
    return images[0]
