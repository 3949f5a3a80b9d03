"""图形登记表：目录里的每个 id 对应一个画图函数，外加中文图注、替代文字和文件格式。

画图函数的样子::

    @figure("multi-input-update", caption="…", alt="…",
            inputs=lambda: {"run": run_listing("multi-input", iterations=1)})
    def multi_input_update(pal, run):
        ...
        return fig

``inputs`` 给出这张图要画的全部数据（清单的运行记录、MNIST 数组……）。

多幅并排的宽图在手机上字太小：登记时写 ``narrow=True``，画图函数就还会以 ``layout="narrow"``
再被调用一次，画一张竖排的窄版（``ID.narrow.light.svg``……），页面在窄屏上用它
（媒体条件 :data:`NARROW_MEDIA`，见 :mod:`~gdbook.figures.snippets`）。宽版以 ``layout="wide"`` 画。

目录的顺序写在 :data:`CATALOGUE` 里，画图函数在 :data:`MODULES` 列出的模块里（按页面命名）。
导入本模块不会导入 matplotlib：画图模块由 :func:`load` 在第一次需要时才导入，所以什么都没变时，
构建只看目录和缓存，不画图。
"""
import difflib
import importlib
from dataclasses import dataclass, replace

from gdbook.checks import UsageError

# 全部图 id，按本章的顺序（chapter5.md 的 Figure catalogue）；测试与构建都用这一份
CATALOGUE = (
    "multi-input-steps", "multi-input-update", "single-vs-multi", "weight-perspective",
    "delta-to-weight-deltas", "error-curves", "alpha-divergence",     # multi-input.md
    "frozen-curves", "error-surface",                                  # freeze.md
    "multi-output",                                                    # multi-output.md
    "multi-in-out",                                                    # multi-in-out.md
    "mnist-samples", "mnist-network",                                  # mnist.md
    "weight-images",                                                   # weight-images.md
    "dot-products",                                                    # dot-products.md
)

# 画图模块，以它们所画的页面命名
MODULES = tuple(f"gdbook.figures.{name}" for name in (
    "multi_input", "freeze", "multi_output", "multi_in_out", "mnist", "weight_images",
    "dot_products"))

FIGURES = {}                     # id -> Figure；load() 之后按 CATALOGUE 的顺序

# 窄版在这样的屏幕上代替宽版：Material 在 60em（960 px）以下收起侧栏，正文栏随屏幕变窄；
# 宽版在 ≥ 45em 的屏幕上（正文栏 ≥ 约 680 px）字仍不小于 9 px（浏览器测试量的就是这个）
NARROW_MEDIA = "(max-width: 44.984375em)"
WIDE_MEDIA = "(min-width: 45em)"         # 其余的屏幕（Material 的断点也这样写）


@dataclass(frozen=True)
class Figure:
    """目录中的一张图。"""

    id: str
    draw: object                  # draw(pal, **inputs) -> matplotlib.figure.Figure
    caption: str                  # 中文图注
    alt: str                      # 中文替代文字
    fmt: str = "svg"              # 线条图用 svg，像素图用 png
    inputs: object = dict         # () -> dict：这张图画的数据
    animate: object = None        # animate(pal, **inputs) -> (FuncAnimation, 每帧毫秒数)，可选
    animation_caption: str = ""   # 动画的中文图注与替代文字
    animation_alt: str = ""
    narrow: bool = False          # 另画一张竖排的窄版（layout="narrow"），供窄屏使用

    @property
    def layouts(self):
        return ("wide", "narrow") if self.narrow else ("wide",)

    def files(self):
        """这张图写出的文件名：{键: 文件名}。键是 ``light``、``dark``，窄版 ``narrow-light``……，
        动画 ``anim-light``、``anim-narrow-light``……"""
        names = {}
        for kind, stem, fmt in (("", self.id, self.fmt), ("anim-", f"{self.id}-anim", "gif")):
            if kind and self.animate is None:
                continue
            for layout in self.layouts:
                part = "" if layout == "wide" else "narrow."
                for pal in ("light", "dark"):
                    key = f"{kind}{'' if layout == 'wide' else 'narrow-'}{pal}"
                    names[key] = f"{stem}.{part}{pal}.{fmt}"
        return names


def figure(id, *, caption, alt, fmt="svg", inputs=dict, narrow=False):
    """装饰器：把画图函数登记到 ``FIGURES[id]``；``id`` 必须在 :data:`CATALOGUE` 里。"""
    if id not in CATALOGUE:
        raise ValueError(f"图 id {id!r} 不在 CATALOGUE 里：先把它加进 gdbook/figures/registry.py。")
    if fmt not in ("svg", "png"):
        raise ValueError(f"图 {id} 的格式只能是 svg 或 png，收到 {fmt!r}。")

    def register(draw):
        old = FIGURES.get(id)
        if old is not None and old.draw.__qualname__ != draw.__qualname__:
            raise ValueError(f"图 id {id!r} 已经登记给 {old.draw.__qualname__}。")
        FIGURES[id] = Figure(id, draw, caption, alt, fmt, inputs, narrow=narrow)
        return draw
    return register


def animation(id, *, caption, alt):
    """装饰器：给已登记的图 ``id`` 加一段动画（写成 GIF），有自己的中文图注和替代文字。"""
    def register(animate):
        FIGURES[id] = replace(FIGURES[id], animate=animate, animation_caption=caption,
                              animation_alt=alt)
        return animate
    return register


def load():
    """导入全部画图模块（matplotlib 随之导入），返回按 CATALOGUE 排好的 :data:`FIGURES`。"""
    for name in MODULES:
        importlib.import_module(name)
    missing = [id for id in CATALOGUE if id not in FIGURES]
    if missing:
        raise RuntimeError(f"CATALOGUE 里的图没有画图函数：{', '.join(missing)}")
    # 另外登记的图（测试里临时加的）排在目录之后
    order = {id: k for k, id in enumerate(CATALOGUE)}
    ordered = sorted(FIGURES.items(), key=lambda item: order.get(item[0], len(order)))
    FIGURES.clear()
    FIGURES.update(ordered)
    return FIGURES


def first_on_page(figures):
    """每个页面的第一张图的 id：画图模块以页面命名，页面按 :data:`CATALOGUE` 的顺序放图，所以是
    每个模块登记的第一张（tests/test_figures.py 核对页面确实如此）。它不懒加载，见 snippets。"""
    firsts = {}
    for id, spec in figures.items():
        firsts.setdefault(spec.draw.__module__, id)
    return set(firsts.values())


def known_ids():
    """全部图 id（不导入画图模块）：目录，加上另外登记的。"""
    return list(CATALOGUE) + [id for id in FIGURES if id not in CATALOGUE]


def check_id(id):
    """``id`` 是一张图就原样返回；否则抛出 :class:`~gdbook.checks.UsageError`（用户打错了 id），
    给出最接近的 id。不导入画图模块。"""
    ids = known_ids()
    if id in ids:
        return id
    close = difflib.get_close_matches(str(id), ids, n=1, cutoff=0.5)
    hint = f"你是不是想输入 {close[0]}？" if close else ""
    raise UsageError(f"没有 id 为 {id!r} 的图。{hint}全部图 id：{', '.join(ids)}。")

