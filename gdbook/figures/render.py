"""把一张登记过的图画成文件内容（bytes），不碰磁盘上的输出目录。

可复现：SVG 的 id 由固定的 ``svg.hashsalt`` 决定，不写日期和生成器；PNG 不写 Software；
GIF 逐帧由 Pillow 写出。同样的代码和数据，两次画出的字节完全相同。

画图时的任何警告（例如 "Glyph … missing"）和 matplotlib 记录的 WARNING 都当作错误：
构建失败，并指出是哪张图。
"""
import contextlib
import io
import logging
import re
import warnings

from matplotlib.animation import AbstractMovieWriter
from PIL import Image

from gdbook.figures.errors import FigureError
from gdbook.figures.style import context

SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}
CSS_DPI = 96           # 页面上 1 英寸 = 96 CSS px（SVG 的 1 pt 就是 4/3 px）：每个文件都按这个尺寸显示
PNG_DPI = 200          # 像素图约按显示尺寸的 2 倍存，高分屏上也清楚
GIF_DPI = 2 * CSS_DPI  # 动画正好 2 倍
GIF_COLORS = 24


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def strict(figure_id):
    """在这段代码里，警告即错误；matplotlib 的 WARNING 日志也算。"""
    handler = _Collect()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                yield
            except Warning as w:
                raise FigureError(figure_id, f"画图时出现警告：{w}") from None
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise FigureError(figure_id, "画图时出现警告：" + "；".join(handler.messages))


# matplotlib names each SVG clip path after a hash of its rectangle. Layout arithmetic can
# differ in the last bit of a float from one draw to the next (NumPy's SIMD sums depend on
# memory alignment), which changes the hash but nothing visible. Number them in order instead.
_CLIP_ID = re.compile(rb"\bp[0-9a-f]{10}\b")


def _stable_clip_ids(svg):
    names = {}
    return _CLIP_ID.sub(lambda m: names.setdefault(m[0], b"clip%d" % (len(names) + 1)), svg)


# matplotlib indents its SVG and ends every path command with a newline. None of that
# whitespace is drawn (the figures have no <text>: glyphs are paths, svg.fonttype = path),
# so it is dropped: the same picture in ~13% fewer bytes.
_PATH_DATA = re.compile(rb' d="([^"]*)"')
_PATH_SPACE = re.compile(rb"\s*([MLQCZz])\s*|\s+")


def _compact_path(match):
    data = _PATH_SPACE.sub(lambda m: m[1] or b" ", match[1])
    return b' d="' + data.strip() + b'"'


def _compact_svg(svg):
    if b"<text" in svg:          # whitespace inside text is drawn: leave such a file alone
        return svg
    svg = _PATH_DATA.sub(_compact_path, svg)
    return re.sub(rb">\s+<", b"><", svg)


def _save(fig, fmt):
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
        return _compact_svg(_stable_clip_ids(buffer.getvalue()))
    else:
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


class _GifWriter(AbstractMovieWriter):
    """把动画的每一帧收成 GIF，每帧有自己的停留时间（毫秒）：停顿不必靠重复画同一帧。

    每帧只画一次：``Animation.save`` 在调用 :meth:`grab_frame` 之前已经用 ``draw_idle``
    把这一帧画在 Agg 画布上（Agg 的 ``draw_idle`` 立即就画），这里直接读画布的像素，
    不再像 ``PillowWriter`` 那样用 ``savefig`` 把同一帧按另一个 dpi 再画一遍。为此
    :meth:`setup` 把图的 dpi 设成 GIF 的 dpi，像素与 ``savefig(dpi=GIF_DPI)`` 画出的完全相同。
    """

    def __init__(self, durations):
        super().__init__(fps=1000 / min(durations))
        self.durations = list(durations)
        self.data = None

    def setup(self, fig, outfile, dpi=None):
        super().setup(fig, outfile, dpi=dpi)
        fig.set_dpi(self.dpi)
        self._frames = []

    def grab_frame(self, **savefig_kwargs):
        canvas = self.fig.canvas
        if canvas.get_width_height() != self.frame_size:    # 没按 GIF 的 dpi 画：重画一次
            canvas.draw()
        self._frames.append(Image.frombuffer("RGBA", canvas.get_width_height(),
                                             bytes(canvas.buffer_rgba()), "raw", "RGBA", 0, 1)
                            .convert("RGB"))

    def finish(self):
        # 所有帧共用一套 GIF_COLORS 色的调色板、不抖动：线条图用不了更多颜色，文件小一半
        palette = self._frames[-1].quantize(GIF_COLORS, dither=Image.Dither.NONE)
        frames = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in self._frames]
        buffer = io.BytesIO()
        frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:],
                       duration=self.durations, loop=0)
        self.data = buffer.getvalue()


def _save_gif(animated, pal):
    """``animated`` 是 (FuncAnimation, 每帧毫秒数)。"""
    anim, durations = animated
    writer = _GifWriter(durations)
    # 文件名只用来满足 Animation.save 的接口：GIF 写进内存，不落盘
    anim.save("frames.gif", writer=writer, dpi=GIF_DPI, savefig_kwargs={"facecolor": pal.bg})
    return writer.data


def drawn_texts(fig):
    """图真正画出的每一段文字：[(文字, 字号 pt, Text 对象)]——画一遍，记下渲染器收到的每一次 draw_text。

    所以看不见的、空的、画在图外被裁掉之前的文字都按 matplotlib 自己的判断处理：
    刻度数字、图例、色条、标题、注释，画了就算。这一遍也让版式引擎先排好版，保存的字节
    依赖它（试过保存时顺便记下字号、省掉这一遍：有几张图的字节变了）。
    """
    renderer = fig.canvas.get_renderer()
    texts = []
    draw_text = renderer.draw_text

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        texts.append((s, prop.get_size_in_points(), mtext))
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = record
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
    return texts


def _meta(fig, texts):
    """清单里记下的尺寸：最小的字（pt）、图宽（pt）和页面上的显示尺寸（CSS px）。"""
    width, height = fig.get_size_inches()
    return {"min_text_pt": round(min(size for _, size, _ in texts), 2),
            "width_pt": round(width * 72, 2),
            "size_px": [round(width * CSS_DPI), round(height * CSS_DPI)]}


def _layout(spec, layout):
    """画图函数的版式参数：只有一种版式的图不收 ``layout``。"""
    return {} if layout == "wide" and not spec.narrow else {"layout": layout}


def render_palette(spec, inputs, pal):
    """按一套配色画出 ``spec`` 的文件（每种版式各一张）：返回 ({文件名: 内容}, {文件名: 尺寸})。
    两套配色互不相干，可以分开画。"""
    names = spec.files()
    out, meta = {}, {}
    with strict(spec.id), context(pal):
        for layout in spec.layouts:
            key = pal.name if layout == "wide" else f"narrow-{pal.name}"
            fig = spec.draw(pal, **_layout(spec, layout), **inputs)
            meta[names[key]] = _meta(fig, drawn_texts(fig))
            out[names[key]] = _save(fig, spec.fmt)
            if spec.animate is not None:
                animated = spec.animate(pal, **_layout(spec, layout), **inputs)
                out[names[f"anim-{key}"]] = _save_gif(animated, pal)
                anim_fig = animated[0]._fig
                meta[names[f"anim-{key}"]] = _meta(anim_fig, drawn_texts(anim_fig))
    return out, meta

