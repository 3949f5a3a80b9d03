"""第 5–7 节的图：MNIST 数字、784→10 网络、权重图、点积（书中图 94-1 至 97-1）。

数据来自 :func:`gdbook.datasets.load_mnist`，权重来自 :func:`gdbook.mnist.trained_weights`
（有磁盘缓存）。两者都在 ``inputs`` 里才导入：只画第 1–4 节的图时，不必读 MNIST。
缓存键包含这些数组的每一个字节，数据或训练参数一变，图就重画。
"""
import numpy as np
from matplotlib.colors import CenteredNorm

from gdbook.arith import weighted_sum
from gdbook.figures.draw import blank, column, edge, heatmap, image_grid, new_figure, node
from gdbook.figures.registry import figure
from gdbook.figures.style import num

SAMPLE_COUNT = 20          # mnist-samples：前 20 张训练图
HIGHLIGHT = (2, 1)         # weight-images：页面上要讲的两个数字
VECTOR_EXAMPLES = (        # dot-products：小向量的例子，重合越多，点积越大
    ([0, 1, 0, 1], [1, 0, 1, 0]),
    ([0, 1, 0, 1], [0, 1, 1, 0]),
    ([0, 1, 0, 1], [0, 1, 0, 1]),
    ([0, 1, 0, 1], [0, -1, 0, -1]),
)


def _train_images(limit):
    from gdbook.datasets import load_mnist
    images, labels = load_mnist("train", limit=limit)
    return images, labels


def _weights():
    from gdbook.mnist import trained_weights
    return trained_weights()


def _as_image(x):
    return np.asarray(x).reshape(28, 28)


@figure("mnist-samples", fmt="png",
        caption="MNIST 训练集的前 20 张图，上方是各自的标签。每张图 28×28 个像素。",
        alt="两行十列的手写数字灰度图，每张图上方写着它的标签，第一行从 5、0、4、1、9 开始。",
        inputs=lambda: dict(zip(("images", "labels"), _train_images(SAMPLE_COUNT))))
def mnist_samples(pal, images, labels):
    fig = new_figure(8.0, 2.0)
    axes = fig.subplots(2, SAMPLE_COUNT // 2)
    image_grid(axes, [_as_image(x) for x in images], pal, titles=[str(k) for k in labels],
               cmap=pal.gray)
    return fig


@figure("mnist-network",
        caption="一张 28×28 的图摊平成 784 个输入，每个输入连到全部 10 个输出（数字 0–9）："
                "权重是一个 10×784 的矩阵。",
        alt="左边是一张手写数字图，箭头指向一列输入节点 x_0、x_1、…、x_783，"
            "每个输入节点都有边连到右边一列 10 个输出节点 0 到 9。",
        inputs=lambda: dict(zip(("images", "labels"), _train_images(1))))
def mnist_network(pal, images, labels):
    fig = new_figure(7.6, 3.6)
    picture, net = fig.subplots(1, 2, width_ratios=[1, 2.3])
    picture.imshow(_as_image(images[0]), cmap=pal.gray, interpolation="nearest")
    picture.set_xticks([0, 27], ["0", "27"])
    picture.set_yticks([0, 27], ["0", "27"])
    picture.set_title(f"28 $\\times$ 28,  label = {labels[0]}", fontsize=9.5)

    shown = [0, 1, 2, None, 782, 783]              # None：中间省略的 778 个输入
    left = column(len(shown), 0.0, spacing=0.62)
    right = column(10, 2.6, spacing=0.36)
    for (i, xy) in zip(shown, left):
        if i is None:
            continue
        for out in right:
            edge(net, xy, out, pal, color=pal.muted, radius=0.15, width=0.5, arrow=False)
    for i, xy in zip(shown, left):
        if i is None:
            net.text(*xy, "$\\vdots$", ha="center", va="center", fontsize=14)
        else:
            node(net, xy, "", pal, f"$x_{{{i}}}$", side="left", radius=0.15)
    for k, xy in enumerate(right):
        node(net, xy, str(k), pal, radius=0.15)
    net.text(1.3, -2.0, "pred = W @ x,   W: 10 $\\times$ 784", ha="center", va="top",
             fontsize=9.5)
    net.set_title("784 inputs $\\rightarrow$ 10 outputs", fontsize=9.5)
    blank(net)
    net.set_xlim(-1.0, 3.0)
    net.set_ylim(-2.45, 1.9)
    picture.annotate("", xy=(1.32, 0.5), xycoords="axes fraction", xytext=(1.04, 0.5),
                     arrowprops=dict(arrowstyle="-|>", color=pal.fg, lw=1.5))
    picture.text(1.18, 0.56, "reshape(784)", transform=picture.transAxes, ha="center",
                 va="bottom", fontsize=8.5)
    return fig


@figure("weight-images", fmt="png",
        caption="训练后每个输出的 784 个权重排回 28×28：红色为正（这些像素亮，更像这个数字），"
                "蓝色为负，0 是中性色。2 和 1 的轮廓最容易认出来。",
        alt="两行五列的热图，对应数字 0 到 9 的权重。颜色以 0 为中心，正权重为暖色、负权重为冷色；"
            "数字 2 和 1 的两幅加了框，能看出模糊的 2 和 1 的形状。",
        inputs=lambda: {"weights": _weights()})
def weight_images(pal, weights):
    fig = new_figure(8.0, 3.6)
    axes = fig.subplots(2, 5)
    norm = CenteredNorm(0.0, float(np.abs(weights).max()))
    shown = image_grid(axes, [_as_image(w) for w in weights], pal,
                       titles=[str(k) for k in range(10)], cmap=pal.diverging, norm=norm,
                       highlight=HIGHLIGHT)
    bar = fig.colorbar(shown, ax=axes, shrink=0.8, label="weight")
    bar.ax.tick_params(labelsize=8)
    return fig


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
