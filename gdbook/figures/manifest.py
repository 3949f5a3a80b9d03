"""输出目录里的清单 ``figures.json``：每张图的缓存键、文件名和每个文件的 SHA-256。

键相同、文件都在且内容没被改过，这张图就不重画（:func:`is_fresh`）。清单还带着图注、替代文字
和每个文件的字节数，供不导入画图代码的读者（测试、``scripts/bench.py``）使用。

每个文件的尺寸都是画图时从 matplotlib 的 Figure 量出来的（:func:`gdbook.figures.render.drawn_texts`），
不是手写的：

* ``min_text_pt``：{文件: 图里最小的字号（pt）}，刻度数字、图例、色条都算；
* ``width_pt``：{文件: 图宽（pt）}；页面上字的大小 = 显示宽度 × min_text_pt / width_pt；
* ``size_px``：{文件: [宽, 高]}，页面上的显示尺寸（CSS px，1 英寸 = 96 px），即 ``<img>`` 的
  width 和 height；
* ``media``：{窄版文件: 媒体条件}，窄版在满足它的屏幕上代替宽版。
"""
import hashlib
import json

from gdbook.cache import write_if_changed
from gdbook.figures.registry import NARROW_MEDIA

MANIFEST = "figures.json"
FORMAT_VERSION = 2


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read_manifest(out):
    """{id: 条目}；没有清单或读不懂时是空的（当作没有缓存，全部重画）。"""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {e["id"]: e for e in data["figures"]} if data.get("version") == FORMAT_VERSION else {}
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return {}


def is_fresh(out, entry, key):
    """条目的键是 ``key``，它的文件都在，字节也与记下的一致。"""
    if not entry or entry.get("key") != key:
        return False
    for name, digest in entry["sha256"].items():
        try:
            if sha256((out / name).read_bytes()) != digest:
                return False
        except FileNotFoundError:
            return False
    return True


def entry(spec, key, hashes, sizes, meta):
    """清单里的一条。``meta``：{文件: 尺寸}（刚画的），或上一次的条目（沿用时）。"""
    if "min_text_pt" in meta:                    # 上一次的条目：原样沿用
        fields = {f: meta[f] for f in ("min_text_pt", "width_pt", "size_px")}
    else:
        fields = {f: {name: m[f] for name, m in sorted(meta.items())}
                  for f in ("min_text_pt", "width_pt", "size_px")}
    media = {name: NARROW_MEDIA for k, name in spec.files().items() if "narrow" in k}
    return {"id": spec.id, "caption": spec.caption, "alt": spec.alt, "format": spec.fmt,
            "files": spec.files(), "key": key, "sha256": hashes, "bytes": sizes,
            "media": media, **fields}


def write_manifest(out, entries):
    """按 ``entries``（{id: 条目}，已按目录顺序）写清单；字节不变就不写。"""
    manifest = {"version": FORMAT_VERSION, "figures": list(entries.values())}
    write_if_changed(out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1,
                                                 sort_keys=True) + "\n").encode("utf-8"))
