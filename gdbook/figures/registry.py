"""图形登记表：目录里的每个 id 对应一个画图函数，外加中文图注、替代文字和文件格式。

画图函数的样子::

    @figure("multi-input-update", caption="…", alt="…",
            inputs=lambda: {"run": run_listing("multi-input", iterations=1)})
    def multi_input_update(pal, run):
        ...
        return fig

``inputs`` 给出这张图要画的全部数据（清单的运行记录、MNIST 数组……）。构建时先算出它，
连同画图代码的源文本一起算出缓存键：数据或代码一变，图就重画。

“画图代码”按函数算，不按整个模块算（:func:`figure_sources`）：画图函数自己的源文本，
它用到的本包里的函数（递归）和模块级常量，再加上共享的样式、零件、渲染模块。改了一张图的
函数，只重画这一张；改了几张图共用的辅助函数，重画用到它的那几张。
"""
import difflib
import importlib.util
import inspect
import types
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
    animation_caption: str = ""   # 动画的中文图注与替代文字
    animation_alt: str = ""
    sources: tuple = field(default=(), repr=False)   # 另外要算进缓存键的源文本（一般不用）

    def snippets(self):
        """页面用的 Markdown 片段：{片段文件名: 内容}。页面写 ``--8<-- "docs/figures/ID.md"``。

        浅色、深色各一张（mkdocs-material 按配色只显示一张），``loading=lazy`` 让浏览器
        不下载隐藏的那一张；替代文字和图注只在这里写一次。
        """
        files = self.files()
        parts = {f"{self.id}.md": (self.alt, self.caption, files["light"], files["dark"])}
        if self.animate is not None:
            parts[f"{self.id}-anim.md"] = (self.animation_alt, self.animation_caption,
                                           files["anim-light"], files["anim-dark"])
        return {name: _figure_markdown(*part) for name, part in parts.items()}

    def files(self):
        """这张图写出的文件名：{主题: 文件名}。"""
        names = {pal: f"{self.id}.{pal}.{self.fmt}" for pal in ("light", "dark")}
        if self.animate is not None:
            names.update({f"anim-{pal}": f"{self.id}-anim.{pal}.gif" for pal in ("light", "dark")})
        return names


_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _plain(value):
    """能用 repr 稳定地写进缓存键的值：数字、字符串，以及由它们组成的元组、列表、字典。"""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (tuple, list, frozenset)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _names(code):
    """代码对象（连同其中嵌套的函数、lambda）读取的全局名字。"""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _block(func):
    """函数（连同装饰器）的源文本，取自 :func:`module_source` 记下的模块源文本。"""
    try:
        lines = module_source(func.__module__).splitlines(keepends=True)
        start = func.__code__.co_firstlineno - 1
        return "".join(inspect.getblock(lines[start:])) if lines else ""
    except Exception:        # 找不到源文本（例如交互式定义的函数）：只能用字节码
        return repr(func.__code__.co_code)


def _ours(module):
    return module == "gdbook" or str(module).startswith("gdbook.")


def figure_sources(spec):
    """算进 ``spec`` 缓存键的源文本：共享模块，加上画图函数及其依赖（见模块说明）。"""
    parts, seen = {}, set()
    stack = [f for f in (spec.draw, spec.animate) if f is not None]
    while stack:
        func = stack.pop()
        if func in seen:
            continue
        seen.add(func)
        parts[f"def {func.__module__}.{func.__qualname__}"] = _block(func)
        for name in _names(func.__code__):
            if name not in func.__globals__:
                continue                              # 内置名字
            value = func.__globals__[name]
            if isinstance(value, types.ModuleType):
                if _ours(value.__name__):
                    parts[f"module {value.__name__}"] = module_source(value.__name__)
            elif isinstance(value, types.FunctionType):
                if _ours(value.__module__) and value.__module__ not in SHARED_MODULES:
                    stack.append(value)
            elif _plain(value):
                parts[f"const {func.__module__}.{name}"] = repr(value)
            elif _ours(getattr(value, "__module__", None)) \
                    or _ours(getattr(type(value), "__module__", None)):
                # 本包里的类或对象：把定义它的模块整个算进去
                module = getattr(value, "__module__", None)
                module = module if isinstance(module, str) else type(value).__module__
                if module not in SHARED_MODULES:
                    parts[f"module {module}"] = module_source(module)
            elif isinstance(value, type) or callable(value):
                pass                                  # 库里的类和函数：库的版本已在键里
            else:                                     # 说不清的对象：整个模块都算进去
                parts[f"module {func.__module__}"] = module_source(func.__module__)
    shared = tuple(module_source(n) for n in SHARED_MODULES)
    return shared + tuple(f"{k}\n{parts[k]}" for k in sorted(parts)) + tuple(spec.sources)


def _figure_markdown(alt, caption, light, dark):
    return (f'<figure markdown="span">\n'
            f'  ![{alt}](figures/{light}#only-light){{ loading=lazy }}\n'
            f'  ![{alt}](figures/{dark}#only-dark){{ loading=lazy }}\n'
            f'  <figcaption>{caption}</figcaption>\n'
            f'</figure>\n')


def figure(id, *, caption, alt, fmt="svg", inputs=dict):
    """装饰器：把画图函数登记到 ``FIGURES[id]``。"""
    if fmt not in ("svg", "png"):
        raise ValueError(f"图 {id} 的格式只能是 svg 或 png，收到 {fmt!r}。")

    def register(draw):
        old = FIGURES.get(id)
        if old is not None and old.draw.__qualname__ != draw.__qualname__:
            raise ValueError(f"图 id {id!r} 已经登记给 {old.draw.__qualname__}。")
        FIGURES[id] = Figure(id, draw, caption, alt, fmt, inputs)
        return draw
    return register


def animation(id, *, caption, alt):
    """装饰器：给已登记的图 ``id`` 加一段动画（写成 GIF），有自己的中文图注和替代文字。"""
    def register(animate):
        FIGURES[id] = replace(FIGURES[id], animate=animate, animation_caption=caption,
                              animation_alt=alt)
        return animate
    return register


def get_figure(id):
    """按 id 找图；找不到时给出最接近的 id。"""
    if id in FIGURES:
        return FIGURES[id]
    close = difflib.get_close_matches(str(id), FIGURES, n=1, cutoff=0.5)
    hint = f"你是不是想输入 {close[0]}？" if close else ""
    raise ValueError(f"没有 id 为 {id!r} 的图。{hint}全部图 id：{', '.join(FIGURES)}。")

