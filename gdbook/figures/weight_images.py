"""weight-images.md 的图：训练好的 10×784 权重，每个数字一张 28×28 的权重图（书中图 96-1）。

权重来自 :func:`gdbook.mnist.trained_weights`（有磁盘缓存），见 :mod:`gdbook.figures.digits`。
"""
import numpy as np
from matplotlib.colors import CenteredNorm

from gdbook.figures.digits import _as_image, _weights
from gdbook.figures.draw import image_grid, new_figure
from gdbook.figures.registry import figure


HIGHLIGHT = (2, 1)         # weight-images：页面上要讲的两个数字


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
