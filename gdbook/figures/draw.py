"""共用的画图零件：网络图、误差曲线（带当前点和切线）、带数字的热图、图像网格。

每张图都是由这些零件拼成的短函数（见 ``multi_input.py``、``curves.py`` 等）。
零件只管画，不算数：数字全部由调用者从清单的运行记录里取来。
"""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import CenteredNorm, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from gdbook.figures.style import NARROW, SMALL, WIDE
from gdbook.numbers import num


RADIUS = 0.32    # 网络图里节点的半径（数据坐标）：圆圈里放得下 9 pt 的 "0.65"


def new_figure(width, height, **kwargs):
    """一张新图，明确使用 Agg 画布；不经过 pyplot，不碰全局状态。"""
    fig = Figure(figsize=(width, height), layout="constrained", **kwargs)
    FigureCanvasAgg(fig)
    return fig


def layout_figure(layout, wide_height, narrow_height):
    """版式 ``layout``（"wide" 或 "narrow"）的新图：宽版 :data:`~gdbook.figures.style.WIDE`、
    窄版 :data:`~gdbook.figures.style.NARROW` 英寸宽，高度由调用者按版式给出。"""
    if layout == "wide":
        return new_figure(WIDE, wide_height)
    return new_figure(NARROW, narrow_height)


def panels(fig, n, layout, ratios=None, **kwargs):
    """n 幅子图：宽版并排成一行，窄版竖排成一列（``ratios`` 是它们的相对宽/高）。"""
    if layout == "wide":
        return fig.subplots(1, n, width_ratios=ratios, squeeze=False, **kwargs)[0]
    return fig.subplots(n, 1, height_ratios=ratios, squeeze=False, **kwargs)[:, 0]


def blank(ax):
    """去掉坐标轴，只留画布（网络图用）。"""
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


# ---------------------------------------------------------------- network diagrams

def node(ax, xy, text, pal, label=None, side="left", color=None, radius=RADIUS):
    """一个节点：圆圈里写数值 ``text``，圆圈外（``side`` 一侧）写名字 ``label``。"""
    ax.add_patch(Circle(xy, radius, facecolor=pal.node, edgecolor=color or pal.fg, lw=1.6,
                        zorder=3))
    if text:
        ax.text(*xy, text, ha="center", va="center", fontsize=SMALL, zorder=4)
    if label:
        dx, dy, ha, va = {"left": (-radius - 0.06, 0, "right", "center"),
                          "right": (radius + 0.06, 0, "left", "center"),
                          "above": (0, radius + 0.05, "center", "bottom"),
                          "below": (0, -radius - 0.05, "center", "top")}[side]
        ax.text(xy[0] + dx, xy[1] + dy, label, ha=ha, va=va, fontsize=SMALL, zorder=4)


def edge(ax, start, end, pal, label=None, color=None, at=0.5, radius=RADIUS, width=1.4,
         arrow=True):
    """一条从 start 指向 end 的边（``arrow`` 时带箭头），可在 at 处写一个标签。"""
    color = color or pal.muted
    # 箭头停在圆圈边上：沿边的方向把两端各缩进一个半径
    (x0, y0), (x1, y1) = start, end
    ux, uy = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
    ax.add_patch(FancyArrowPatch((x0 + ux * radius, y0 + uy * radius),
                                 (x1 - ux * radius, y1 - uy * radius),
                                 arrowstyle="-|>" if arrow else "-",
                                 mutation_scale=11, lw=width, color=color, shrinkA=0, shrinkB=0,
                                 zorder=2))
    if label is not None:
        x = start[0] + (end[0] - start[0]) * at
        y = start[1] + (end[1] - start[1]) * at
        ax.text(x, y, label, ha="center", va="center", fontsize=SMALL, color=color, zorder=5,
                bbox=dict(boxstyle="round,pad=0.15", fc=pal.bg, ec="none"))


def column(n, x, spacing=0.7):
    """n 个节点竖排在 x 处，上下居中于 0。"""
    top = (n - 1) * spacing / 2
    return [(x, top - i * spacing) for i in range(n)]


def network(ax, pal, inputs, outputs, edges, spacing=0.7, width=1.6, label_at=0.5):
    """两层网络图。

    ``inputs`` / ``outputs``：[(名字, 圆圈里的文字或 None), …]；
    ``edges``：{(输入下标, 输出下标): (标签或 None, 颜色或 None)}。
    返回两列节点的坐标，方便调用者再加注释。
    """
    left = column(len(inputs), 0.0, spacing)
    right = column(len(outputs), width, spacing)
    for (i, j), (label, color) in edges.items():
        edge(ax, left[i], right[j], pal, label, color, at=label_at)
    for xy, (name, text) in zip(left, inputs):
        node(ax, xy, text, pal, name, side="left")
    for xy, (name, text) in zip(right, outputs):
        node(ax, xy, text, pal, name, side="right")
    blank(ax)
    return left, right


# ---------------------------------------------------------------- error curves

def error_curve(ax, grid, errors, w, e, slope, color, pal, alpha=1.0, tangent=0.06,
                label=None):
    """误差曲线、当前点 (w, e) 和该点的切线（斜率 ``slope``）。"""
    ax.plot(grid, errors, color=color, alpha=alpha, label=label)
    if slope is not None:
        span = np.array([-tangent, tangent]) / np.hypot(1.0, slope / 4)
        ax.plot(w + span, e + slope * span, color=pal.fg, lw=1.2, alpha=alpha, zorder=4)
    ax.plot([w], [e], "o", ms=6, color=color, mec=pal.fg, mew=0.8, alpha=alpha, zorder=5)


# ---------------------------------------------------------------- heat maps and images

def _readable_on(rgb):
    """白字还是黑字：按底色的亮度选。"""
    r, g, b = to_rgb(rgb)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def heatmap(ax, matrix, rows, cols, pal, title=None, norm=None):
    """带数字的热图：发散色图以 0 为中心；矩形是矢量（pcolormesh），小矩阵的 SVG 很省。"""
    matrix = np.asarray(matrix, dtype=float)
    norm = norm or CenteredNorm(0.0)
    mesh = ax.pcolormesh(matrix, cmap=pal.diverging, norm=norm, edgecolors=pal.bg, linewidth=2)
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j + 0.5, i + 0.5, num(value), ha="center", va="center", fontsize=SMALL,
                color=_readable_on(mesh.cmap(mesh.norm(value))))
    ax.set_xticks(np.arange(len(cols)) + 0.5, cols)
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows)
    ax.invert_yaxis()
    ax.tick_params(length=0)
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title)
    return mesh


def image_grid(axes, images, pal, titles=(), cmap=None, norm=None, highlight=()):
    """一排或一格图像：每个轴画一张 28×28 的图，可加标题；``highlight`` 里的下标加框。"""
    shown = None
    for k, ax in enumerate(np.ravel(axes)):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= len(images):
            ax.set_axis_off()
            continue
        shown = ax.imshow(images[k], cmap=cmap or pal.gray, norm=norm, interpolation="nearest")
        if k < len(titles):
            ax.set_title(titles[k], fontsize=SMALL, pad=3)
        for spine in ax.spines.values():
            spine.set_visible(k in highlight)
            spine.set_color(pal.accent)
            spine.set_linewidth(2.5)
    return shown
