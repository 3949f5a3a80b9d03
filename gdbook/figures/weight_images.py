"""weight-images.md 的图：训练好的 10×784 权重，每个数字一张 28×28 的权重图（书中图 96-1）。

权重来自 :func:`gdbook.mnist.trained_weights`（有磁盘缓存），见 :mod:`gdbook.figures.digits`。
"""
import numpy as np
from matplotlib.colors import CenteredNorm

from gdbook.figures.digits import _as_image, _weights
from gdbook.figures.draw import image_grid, layout_figure
from gdbook.figures.registry import figure


HIGHLIGHT = (2, 1)         # weight-images：页面上要讲的两个数字


@figure("weight-images", fmt="png",
        caption="训练后每个输出的 784 个权重排回 28×28：暖色为正（这个像素亮了，该数字的得分升高），"
                "冷色为负，0 是中性色。最清楚的是 1：正中一道暖色竖条，两侧是冷色；"
                "2 模糊得多，只看得出靠近下沿的一条暖色横带。",
        alt="两行五列的热图，对应数字 0 到 9 的权重。颜色以 0 为中心，正权重为暖色、负权重为冷色；"
            "数字 1 和 2 的两幅加了框：1 的正中是一道暖色竖条，两侧冷色；2 很模糊，下沿有一条暖色横带。",
        inputs=lambda: {"weights": _weights()}, narrow=True)
def weight_images(pal, weights, layout="wide"):
    wide = layout == "wide"
    fig = layout_figure(layout, 3.3, 6.0)
    axes = fig.subplots(2, 5) if wide else fig.subplots(4, 3)
    norm = CenteredNorm(0.0, float(np.abs(weights).max()))
    shown = image_grid(axes, [_as_image(w) for w in weights], pal,
                       titles=[str(k) for k in range(10)], cmap=pal.diverging, norm=norm,
                       highlight=HIGHLIGHT)
    fig.colorbar(shown, ax=axes, shrink=0.8, label="weight",
                 orientation="vertical" if wide else "horizontal")
    return fig
