"""第 5 层：MkDocs 插件 ``gdbook``——每次构建网站之前，把本章的图画进 ``docs/figures/``，
把面板要用的本章数据写成 ``docs/javascripts/generated/chapter.mjs``（:mod:`gdbook.pagedata`），
把页面上“运行”按钮要导入的纯 Python 代码打成 ``docs/javascripts/generated/gdbook-py.zip``
（:mod:`gdbook.pagezip`）。

在 mkdocs.yml 里写::

    plugins:
      - gdbook:
          figures_dir: figures      # 相对于 docs_dir，默认 figures

插件很薄：活儿都在 :func:`gdbook.figures.build`（也就是 ``python -m gdbook figures``）里。
它只重画代码或数据变了的图，字节变了才写文件；什么都没变时连 matplotlib 都不导入。
所以 ``mkdocs serve``（监视 docs/ 和 gdbook/）改一次只重建一次。

* 有图画不出来（包括画图时的任何警告，例如缺字形）：作为错误记进日志，附带 traceback，
  ``mkdocs build --strict`` 因此失败并说出是哪张图；``serve`` 继续运行，页面用原来的图。
* ``mkdocs serve`` 期间改了 gdbook 的代码：先重新导入 gdbook，再构建——缓存键按正在运行的
  代码算，不重新导入的话，改过的图会一直由旧代码来画。
* ``figures.json``（构建的缓存清单）和 ``figures/*.md``（页面嵌入的片段）不是网站的文件。
* 首图在页面开头（第一个 ``## `` 之前）的页面：``<head>`` 里预加载这张图（片段 ``ID-preload.md``，
  见 :mod:`gdbook.figures.snippets`），由 ``overrides/main.html`` 从 ``page.meta.gd_head`` 写出。
* 页面的日期（``sitemap.xml`` 的 lastmod）：MkDocs 默认用构建当天；没有设 ``SOURCE_DATE_EPOCH``
  时，插件把它设成当前提交（git HEAD）的时间，同一个提交哪天构建都逐字节相同。
"""
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, get_plugin_logger

from gdbook.figures.manifest import MANIFEST

log = get_plugin_logger(__name__)
PACKAGE = Path(__file__).resolve().parent
_H2 = re.compile(r"^## ", re.M)          # 页面的第一个二级标题


class GdbookConfig(Config):
    figures_dir = config_options.Type(str, default="figures")   # 相对于 docs_dir


def _source_times():
    return {p: p.stat().st_mtime_ns for p in PACKAGE.rglob("*.py")}


def _commit_time(folder):
    """当前提交的时间（Unix 秒，文本）；不是 git 仓库或没有 git 时为 None。"""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=folder,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out if out.isdigit() else None


class GdbookPlugin(BasePlugin[GdbookConfig]):
    def __init__(self):
        super().__init__()
        self._sources = _source_times()

    def _figures(self):
        """``gdbook.figures``；gdbook 的代码在 ``serve`` 期间变了的话，先重新导入。"""
        sources = _source_times()
        if sources != self._sources:
            self._sources = sources
            for name in [n for n in sys.modules if n.startswith("gdbook.") and n != __name__]:
                del sys.modules[name]
        return importlib.import_module("gdbook.figures")

    def on_config(self, config):
        if "SOURCE_DATE_EPOCH" not in os.environ:
            when = _commit_time(Path(config.config_file_path).parent)
            if when:
                os.environ["SOURCE_DATE_EPOCH"] = when
        return config

    def on_pre_build(self, *, config):
        figures = self._figures()                 # 先于 pagedata：代码变了就重新导入
        importlib.import_module("gdbook.pagedata").write_page_data(config.docs_dir)
        importlib.import_module("gdbook.pagezip").write_page_zip(config.docs_dir)
        out = Path(config.docs_dir) / self.config.figures_dir
        try:
            results = figures.build(out, progress=log.debug)
        except figures.FigureBuildError as exc:
            for failure in exc.failures:
                log.error(str(failure))
            return
        if all(r.status == "unchanged" for r in results):
            log.info(f"图形：{len(results)} 张，代码、数据和文件都没变，全部沿用")
            return
        drawn = sum(r.status == "drawn" for r in results)
        log.info(f"图形：{len(results)} 张，重画 {drawn} 张，沿用缓存 {len(results) - drawn} 张")

    def on_files(self, files, *, config):
        # 清单是构建的缓存，片段由页面嵌入（--8<-- "docs/figures/ID.md"）：都不是网站的文件
        folder = self.config.figures_dir.strip("/") + "/"
        for file in list(files):
            if file.src_uri == folder + MANIFEST or (file.src_uri.startswith(folder)
                                                     and file.src_uri.endswith(".md")):
                files.remove(file)
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        # 页面嵌入的第一张图（--8<-- "docs/figures/ID.md"）在第一个二级标题之前时，预加载它
        folder = re.escape(self.config.figures_dir.strip("/"))
        figure = re.search(rf'^ *--8<-- "[^"]*\b{folder}/([\w-]+)\.md"', markdown, re.M)
        heading = _H2.search(markdown)
        if figure and (heading is None or figure.start() < heading.start()):
            preload = Path(config.docs_dir) / self.config.figures_dir / f"{figure[1]}-preload.md"
            if preload.is_file():
                page.meta["gd_head"] = page.meta.get("gd_head", "") + preload.read_text(encoding="utf-8")
        return markdown
