"""页面嵌入图的 Markdown 片段：页面写 ``--8<-- "docs/figures/ID.md"``。

浅色、深色各一张（mkdocs-material 按配色只显示一张），``loading=lazy`` 让浏览器
不下载隐藏的那一张；替代文字和图注只在登记表里写一次，这里照抄。
"""


def snippets(spec):
    """图 ``spec`` 的片段：{片段文件名: 内容}；有动画的图另有 ``ID-anim.md``。"""
    files = spec.files()
    parts = {f"{spec.id}.md": (spec.alt, spec.caption, files["light"], files["dark"])}
    if spec.animate is not None:
        parts[f"{spec.id}-anim.md"] = (spec.animation_alt, spec.animation_caption,
                                       files["anim-light"], files["anim-dark"])
    return {name: _figure_markdown(*part) for name, part in parts.items()}


def _figure_markdown(alt, caption, light, dark):
    return (f'<figure markdown="span">\n'
            f'  ![{alt}](figures/{light}#only-light){{ loading=lazy }}\n'
            f'  ![{alt}](figures/{dark}#only-dark){{ loading=lazy }}\n'
            f'  <figcaption>{caption}</figcaption>\n'
            f'</figure>\n')
