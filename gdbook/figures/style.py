"""图形的共同样式：一套浅色调色板、一套深色调色板，以及画图时生效的 rcParams。

网站用 mkdocs-material 的两种配色（default / slate）；每张图按两套调色板各画一遍，
页面用 ``#only-light`` / ``#only-dark`` 显示其中一张。

图里的文字只用代码里的标识符、数字和数学记号，字体用 matplotlib 自带的 DejaVu Sans，
所以构建图形不需要任何中文字体。
"""
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.style


@dataclass(frozen=True)
class Palette:
    """一套配色。``weights`` 是权重 a、b、c 的固定颜色，各图之间保持一致。"""

    name: str
    fg: str            # 文字、坐标轴
    muted: str         # 次要文字、网格、淡出的旧迭代
    bg: str            # 页面背景（Material 的 default / slate 底色），也是图文件的底色
    node: str          # 网络图中节点的填充
    accent: str        # 强调：delta、当前点
    good: str          # 收敛
    bad: str           # 发散
    weights: tuple     # a, b, c（Okabe–Ito 色盲友好色）
    diverging: str     # 以 0 为中心的发散色图（正 = 暖色，负 = 冷色）
    gray: str = "gray"  # MNIST 数字：按数据的约定，0 是黑底、笔画是白的，两种配色都一样


LIGHT = Palette(
    name="light", fg="#1f2328", muted="#8c959f", bg="#ffffff", node="#f3f4f6",
    accent="#cc3311", good="#009e73", bad="#cc3311",
    weights=("#d55e00", "#0072b2", "#009e73"),
    diverging="RdBu_r",
)

DARK = Palette(
    name="dark", fg="#e6e8ec", muted="#7d8590", bg="#1e2129", node="#2b303b",
    accent="#ff7b5c", good="#3fd6a5", bad="#ff7b5c",
    weights=("#ff9a4d", "#56b4e9", "#3fd6a5"),
    # 中心是白色的发散色图，深色页面上也一样：接近 0 的弱权重是浅色，不会沉进暗色的背景里
    diverging="RdBu_r",
)

PALETTES = (LIGHT, DARK)


# 字号（pt）。页面上字的大小 = 显示宽度 × 字号 / 图宽，所以字号和图宽一起定：
# 宽版 7.2 英寸（518 pt），在 1280 px 屏幕约 690 px 的正文栏里原样显示，9 pt = 12 px；
# 窄版 4.6 英寸（331 pt），在 390 px 手机约 358 px 的正文栏里缩小显示，9 pt ≈ 9.7 px。
# 单独一幅的图直接画成窄版那么宽，不必有两种版式。浏览器测试逐图量这两个数。
SMALL = 9              # 图里最小的字：刻度数字、表格、节点里的数
TEXT = 10              # 标题、轴标签
WIDE = 7.2             # 宽版的宽（英寸）
NARROW = 4.6           # 窄版和单幅图的宽（英寸）


def rc(pal):
    """画图时生效的 rcParams（叠加在 matplotlib 出厂默认值之上，见 :func:`context`）。"""
    return {
        "svg.hashsalt": "gdbook",          # SVG 里的 id 不随运行变化
        "svg.fonttype": "path",            # 字形写成路径：浏览器无需任何字体
        "font.family": "DejaVu Sans",
        "mathtext.fontset": "dejavusans",
        "font.size": TEXT,
        "axes.titlesize": TEXT,
        "axes.labelsize": TEXT,
        "xtick.labelsize": SMALL,
        "ytick.labelsize": SMALL,
        "legend.fontsize": SMALL,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "savefig.transparent": False,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        # 文件里有页面的底色（页面上看不出来）：单独打开原尺寸的深色图时，浅色的字不落在
        # 浏览器的白底上
        "savefig.facecolor": pal.bg,
        "text.color": pal.fg,
        "axes.labelcolor": pal.fg,
        "axes.edgecolor": pal.muted,
        "xtick.color": pal.muted,
        "ytick.color": pal.muted,
        "xtick.labelcolor": pal.fg,
        "ytick.labelcolor": pal.fg,
        "grid.color": pal.muted,
        "grid.alpha": 0.25,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "lines.linewidth": 1.8,
        "path.simplify": True,
    }


def context(pal):
    """先回到出厂默认值（不受用户 matplotlibrc 影响），再套上本站样式。"""
    return mpl.style.context(["default", rc(pal)])
