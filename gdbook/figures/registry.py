"""图形登记表：目录里的每个 id 对应一个画图函数，外加中文图注、替代文字和文件格式。

画图函数的样子::

    @figure("multi-input-update", caption="…", alt="…",
            inputs=lambda: {"run": run_listing("multi-input", iterations=1)})
    def multi_input_update(pal, run):
        ...
        return fig

``inputs`` 给出这张图要画的全部数据（清单的运行记录、MNIST 数组……）。构建时先算出它，
连同画图代码的源文本一起算出缓存键：数据或代码一变，图就重画。
"""
import difflib
import importlib.util
from dataclasses import dataclass, field, replace

FIGURES = {}                     # id -> Figure，按登记顺序（即目录顺序）

# 每张图都依赖的共享代码：它们一变，所有图都要重画
SHARED_MODULES = ("gdbook.figures.style", "gdbook.figures.draw", "gdbook.figures.render")

_SOURCES = {}


def module_source(name):
    """模块的源文本，在第一次需要时读入并记住——与此刻已导入、正在运行的代码一致。"""
    if name not in _SOURCES:
        spec = importlib.util.find_spec(name)
        _SOURCES[name] = spec.loader.get_source(name) or ""
    return _SOURCES[name]


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
    sources: tuple = field(default=(), repr=False)   # 画图代码所在模块的源文本

    def files(self):
        """这张图写出的文件名：{主题: 文件名}。"""
        names = {pal: f"{self.id}.{pal}.{self.fmt}" for pal in ("light", "dark")}
        if self.animate is not None:
            names.update({f"anim-{pal}": f"{self.id}-anim.{pal}.gif" for pal in ("light", "dark")})
        return names


def _sources_of(func):
    names = (func.__module__,) + SHARED_MODULES
    return tuple(module_source(n) for n in names)


def figure(id, *, caption, alt, fmt="svg", inputs=dict):
    """装饰器：把画图函数登记到 ``FIGURES[id]``。"""
    if fmt not in ("svg", "png"):
        raise ValueError(f"图 {id} 的格式只能是 svg 或 png，收到 {fmt!r}。")

    def register(draw):
        old = FIGURES.get(id)
        if old is not None and old.draw.__qualname__ != draw.__qualname__:
            raise ValueError(f"图 id {id!r} 已经登记给 {old.draw.__qualname__}。")
        FIGURES[id] = Figure(id, draw, caption, alt, fmt, inputs, sources=_sources_of(draw))
        return draw
    return register


def animation(id):
    """装饰器：给已登记的图 ``id`` 加一段动画（写成 GIF）。"""
    def register(animate):
        FIGURES[id] = replace(FIGURES[id], animate=animate,
                              sources=FIGURES[id].sources + (module_source(animate.__module__),))
        return animate
    return register


def get_figure(id):
    """按 id 找图；找不到时给出最接近的 id。"""
    if id in FIGURES:
        return FIGURES[id]
    close = difflib.get_close_matches(str(id), FIGURES, n=1, cutoff=0.5)
    hint = f"你是不是想输入 {close[0]}？" if close else ""
    raise ValueError(f"没有 id 为 {id!r} 的图。{hint}全部图 id：{', '.join(FIGURES)}。")

