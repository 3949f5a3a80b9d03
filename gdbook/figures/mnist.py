"""mnist.md 的图：MNIST 训练集的数字和 784→10 网络（书中图 94-1 至 95-1）。

数据来自 :func:`gdbook.datasets.load_mnist`，在 ``inputs`` 里才导入：只画第 1–4 节的图时，
不必读 MNIST。缓存键包含数组的每一个字节，数据一变，图就重画。
"""
from gdbook.figures.digits import _as_image
from gdbook.figures.draw import blank, column, edge, image_grid, layout_figure, new_figure, node
from gdbook.figures.registry import figure
from gdbook.figures.style import NARROW, SMALL


SAMPLE_COUNT = 20          # mnist-samples：前 20 张训练图


def _train_images(limit):
    from gdbook.datasets import load_mnist
    images, labels = load_mnist("train", limit=limit)
    return images, labels


@figure("mnist-samples", fmt="png",
        caption="MNIST 训练集的前 20 张图，上方是各自的标签。每张图 28×28 个像素。",
        alt="两行十列的手写数字灰度图，每张图上方写着它的标签，第一行从 5、0、4、1、9 开始。",
        inputs=lambda: dict(zip(("images", "labels"), _train_images(SAMPLE_COUNT))), narrow=True)
def mnist_samples(pal, images, labels, layout="wide"):
    rows = 2 if layout == "wide" else 4
    fig = layout_figure(layout, 1.9, 4.2)
    axes = fig.subplots(rows, SAMPLE_COUNT // rows)
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
    fig = new_figure(NARROW, 3.0)
    picture, net = fig.subplots(1, 2, width_ratios=[1, 1.9])
    picture.imshow(_as_image(images[0]), cmap=pal.gray, interpolation="nearest")
    picture.set_xticks([0, 27], ["0", "27"])
    picture.set_yticks([0, 27], ["0", "27"])
    picture.set_title(f"28 $\\times$ 28\nlabel = {labels[0]}", fontsize=SMALL)

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
    net.text(1.3, -2.0, "pred = W @ x\nW: 10 $\\times$ 784", ha="center", va="top",
             fontsize=SMALL)
    net.set_title("784 inputs $\\rightarrow$ 10 outputs", fontsize=SMALL)
    blank(net)
    net.set_xlim(-1.0, 3.0)
    net.set_ylim(-2.75, 1.9)
    picture.annotate("", xy=(1.32, 0.5), xycoords="axes fraction", xytext=(1.04, 0.5),
                     arrowprops=dict(arrowstyle="-|>", color=pal.fg, lw=1.5))
    picture.set_xlabel("reshape(784)", fontsize=SMALL)
    return fig
