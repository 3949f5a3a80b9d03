"""第 4 层：本章的全部图形，每张都由代码在构建网站时重新画出。

gdbook 里只有这一层导入 matplotlib，而且只在真要画图时才导入（导入本包和登记表都不会）。结构：

* :mod:`~gdbook.figures.registry` —— 目录 ``CATALOGUE``、图的记录 ``Figure``、``@figure`` 与
  ``@animation`` 装饰器；
* 按页面命名的画图模块：:mod:`~gdbook.figures.multi_input`、:mod:`~gdbook.figures.freeze`、
  :mod:`~gdbook.figures.multi_output`、:mod:`~gdbook.figures.multi_in_out`、
  :mod:`~gdbook.figures.mnist`、:mod:`~gdbook.figures.weight_images`、
  :mod:`~gdbook.figures.dot_products`；它们共用的零件在 :mod:`~gdbook.figures.curves`（误差曲线）
  和 :mod:`~gdbook.figures.digits`（MNIST）；
* :mod:`~gdbook.figures.style`（两套调色板）、:mod:`~gdbook.figures.draw`（网络图、热图……）、
  :mod:`~gdbook.figures.render`（画成字节：警告即错误，可复现）；
* :mod:`~gdbook.figures.build` —— 构建：:mod:`~gdbook.figures.stamp`（什么都没变的记号）、
  :mod:`~gdbook.figures.keys`（每张图的缓存键）、:mod:`~gdbook.figures.manifest`（``figures.json``）、
  :mod:`~gdbook.figures.pool`（多进程画图）、:mod:`~gdbook.figures.snippets`（页面片段）、
  :mod:`~gdbook.figures.errors`。

命令行：``python -m gdbook figures``；网站构建时由 MkDocs 插件 :mod:`gdbook.plugin` 调用。
"""
from gdbook.figures.build import build
from gdbook.figures.errors import FigureBuildError, FigureError
from gdbook.figures.registry import CATALOGUE

__all__ = ["CATALOGUE", "FigureBuildError", "FigureError", "build"]
