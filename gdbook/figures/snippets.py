"""页面嵌入图的 HTML 片段：页面写 ``--8<-- "docs/figures/ID.md"``。

每张图浅色、深色各一个链接（``gd-only-light`` / ``gd-only-dark``，extra.css 按配色只显示一个；
图片本身仍带 Material 的 ``#only-light`` / ``#only-dark``），链接指向原尺寸的图文件：点一下，
浏览器单独打开这张图，可以放大——不用任何脚本，离线也行。链接里是 ``<picture>``：有窄版的图在
窄屏（:data:`~gdbook.figures.registry.NARROW_MEDIA`）上换成竖排的窄版。

``<img>`` 和 ``<source>`` 都写明显示尺寸（清单里量出的 ``size_px``），图还没下载，版面就不会跳。
``loading=lazy``：隐藏的那一种配色不会被下载（display:none 的懒加载图片没有位置，永远不进视口）。

每页的第一张图（``first=True``）不懒加载，好让它尽早显示（LCP）。但立即加载的 ``<img>`` 不管
CSS 隐不隐藏都会下载，所以它不能按 Material 的配色（页面上的一个属性）二选一，只能用
``<source media="(prefers-color-scheme: dark)">`` 按系统的配色选一张：读者用的配色就是系统的
（Material 初次打开时按系统选）时，显示这张立即加载的图（``gd-figure--system``，两个链接里的
``<picture>`` 选的是同一个地址，只下载一次）；读者手动换成了另一种配色时，它被隐藏，改显示那种
配色的懒加载图（``gd-figure--chosen``）。后一种情况多下载一张首图，这是代价（浏览器测试量过）。

首图在页面开头（第一个二级标题之前，多半在第一屏里）时，它就是手机上的 LCP。``ID-preload.md``
是给 ``<head>`` 的 ``<link rel="preload">``：每种系统配色、每种屏宽一个，媒体条件互斥，选中的
文件和 ``<picture>`` 选的相同（插件把它放进这样的页面的 ``<head>``）。图片在 ``<head>`` 里就开始
下载，浏览器第一次绘制时它多半已经到了；否则 Material 的脚本（手机上约 0.4 s 的长任务）常常
排在它前面，LCP 晚半秒到一秒（Lighthouse 手机，multi-input/：中位数 87 → 96 分）。

替代文字和图注只在登记表里写一次，这里照抄。
"""
import html

from gdbook.figures.registry import NARROW_MEDIA, WIDE_MEDIA

# 每页都是 docs/NAME.md，发布在 NAME/ 下（use_directory_urls），图在站点根目录的 figures/ 里。
# 片段是原样的 HTML，MkDocs 不改写其中的地址，所以这里直接写相对于页面的地址。
URL = "../figures/"
DARK_SYSTEM = "(prefers-color-scheme: dark)"
SYSTEM = {"light": "(prefers-color-scheme: light)", "dark": DARK_SYSTEM}
PALETTES = ("light", "dark")


def snippets(spec, entry, first=False):
    """图 ``spec`` 的片段：{片段文件名: 内容}；有动画的图另有 ``ID-anim.md``。
    ``entry`` 是这张图在清单里的条目（显示尺寸）；``first``：它是页面上的第一张图（不懒加载）。"""
    parts = {f"{spec.id}.md": (spec.alt, spec.caption, "", first)}
    if spec.animate is not None:
        parts[f"{spec.id}-anim.md"] = (spec.animation_alt, spec.animation_caption, "anim-", False)
    out = {name: _figure(spec.files(), entry["size_px"], *part) for name, part in parts.items()}
    if first:
        out[f"{spec.id}-preload.md"] = _preloads(spec.files())
    return out


def _figure(files, sizes, alt, caption, kind, first):
    variants = {pal: _Variant(files, sizes, kind, pal) for pal in PALETTES}
    alt = html.escape(alt)
    links = ""
    if first:
        eager = _eager_picture(variants, alt)
        links = "".join(_link(variants[pal], "gd-figure--system", eager) for pal in PALETTES)
    extra = " gd-figure--chosen" if first else ""
    links += "".join(_link(variants[pal], extra.strip(), _lazy_picture(variants[pal], alt))
                     for pal in PALETTES)
    return (f'<figure class="gd-figure">\n{links}'
            f'  <figcaption>{html.escape(caption, quote=False)}</figcaption>\n'
            f'</figure>\n')


class _Variant:
    """一种配色的宽版文件、窄版文件（可能没有），和它们的显示尺寸。"""

    def __init__(self, files, sizes, kind, pal):
        self.pal = pal
        self.wide, self.narrow = files[f"{kind}{pal}"], files.get(f"{kind}narrow-{pal}")
        self.sizes = sizes

    def size(self, name):
        width, height = self.sizes[name]
        return f'width="{width}" height="{height}"'

    def source(self, media, name):
        return f'<source media="{media}" srcset="{URL}{name}" {self.size(name)}>'


def _link(variant, extra, picture):
    classes = " ".join(c for c in ("gd-figure__link", f"gd-only-{variant.pal}", extra) if c)
    return (f'  <a class="{classes}" href="{URL}{variant.wide}" title="打开原尺寸的图">'
            f'{picture}</a>\n')


def _lazy_picture(v, alt):
    source = v.source(NARROW_MEDIA, v.narrow) if v.narrow else ""
    return (f'<picture>{source}<img src="{URL}{v.wide}#only-{v.pal}" alt="{alt}" '
            f'{v.size(v.wide)} loading="lazy"></picture>')


def _preloads(files):
    """首图的 ``<link rel="preload">``：系统配色 × 屏宽，和 :func:`_eager_picture` 的选择一致。
    宽屏的条件是 Material 自己的断点 ``(min-width: 45em)``，和窄屏的条件之间只差 0.015625em。"""
    links = []
    for pal in PALETTES:
        widths = ([(f" and {NARROW_MEDIA}", files[f"narrow-{pal}"]), (f" and {WIDE_MEDIA}", files[pal])]
                  if f"narrow-{pal}" in files else [("", files[pal])])
        links += [f'<link rel="preload" as="image" href="{URL}{name}" media="{SYSTEM[pal]}{width}" '
                  f'fetchpriority="high">\n' for width, name in widths]
    return "".join(links)


def _eager_picture(variants, alt):
    """按系统配色二选一的 ``<picture>``：第一个媒体条件成立的 ``<source>`` 胜出。"""
    light, dark = variants["light"], variants["dark"]
    sources = []
    if dark.narrow:
        sources.append(dark.source(f"{DARK_SYSTEM} and {NARROW_MEDIA}", dark.narrow))
    sources.append(dark.source(DARK_SYSTEM, dark.wide))
    if light.narrow:
        sources.append(light.source(NARROW_MEDIA, light.narrow))
    return (f'<picture>{"".join(sources)}<img src="{URL}{light.wide}" alt="{alt}" '
            f'{light.size(light.wide)} fetchpriority="high"></picture>')
