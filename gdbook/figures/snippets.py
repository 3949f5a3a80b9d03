"""页面嵌入图的 HTML 片段：页面写 ``--8<-- "docs/figures/ID.md"``。

每张图浅色、深色各一个链接（``gd-only-light`` / ``gd-only-dark``，extra.css 按配色只显示一个；
图片本身仍带 Material 的 ``#only-light`` / ``#only-dark``），链接指向原尺寸的图文件：点一下，
浏览器单独打开这张图，可以放大——不用任何脚本，离线也行。链接里是 ``<picture>``：有窄版的图在
窄屏（:data:`~gdbook.figures.registry.NARROW_MEDIA`）上换成竖排的窄版。

``<img>`` 和 ``<source>`` 都写明显示尺寸（清单里量出的 ``size_px``），图还没下载，版面就不会跳。
``loading=lazy``：隐藏的那一种配色不会被下载。替代文字和图注只在登记表里写一次，这里照抄。
"""
import html

from gdbook.figures.registry import NARROW_MEDIA

# 每页都是 docs/NAME.md，发布在 NAME/ 下（use_directory_urls），图在站点根目录的 figures/ 里。
# 片段是原样的 HTML，MkDocs 不改写其中的地址，所以这里直接写相对于页面的地址。
URL = "../figures/"


def snippets(spec, entry):
    """图 ``spec`` 的片段：{片段文件名: 内容}；有动画的图另有 ``ID-anim.md``。
    ``entry`` 是这张图在清单里的条目（显示尺寸）。"""
    parts = {f"{spec.id}.md": (spec.alt, spec.caption, "")}
    if spec.animate is not None:
        parts[f"{spec.id}-anim.md"] = (spec.animation_alt, spec.animation_caption, "anim-")
    return {name: _figure(spec.files(), entry["size_px"], *part) for name, part in parts.items()}


def _figure(files, sizes, alt, caption, kind):
    links = "".join(_link(files, sizes, alt, kind, pal) for pal in ("light", "dark"))
    return (f'<figure class="gd-figure">\n{links}'
            f'  <figcaption>{html.escape(caption, quote=False)}</figcaption>\n'
            f'</figure>\n')


def _size(sizes, name):
    width, height = sizes[name]
    return f'width="{width}" height="{height}"'


def _link(files, sizes, alt, kind, pal):
    wide, narrow = files[f"{kind}{pal}"], files.get(f"{kind}narrow-{pal}")
    source = (f'<source media="{NARROW_MEDIA}" srcset="{URL}{narrow}" {_size(sizes, narrow)}>'
              if narrow else "")
    return (f'  <a class="gd-figure__link gd-only-{pal}" href="{URL}{wide}" title="打开原尺寸的图">'
            f'<picture>{source}<img src="{URL}{wide}#only-{pal}" alt="{html.escape(alt)}" '
            f'{_size(sizes, wide)} loading="lazy"></picture></a>\n')
