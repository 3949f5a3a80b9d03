"""第 4 层：本章的全部图形，每张都由代码在构建网站时重新画出。

gdbook 里只有这一层导入 matplotlib。结构：

* :mod:`~gdbook.figures.style`    —— 浅色、深色两套调色板和 rcParams；
* :mod:`~gdbook.figures.draw`     —— 共用零件：网络图、误差曲线、热图、图像网格；
* :mod:`~gdbook.figures.registry` —— 图 id → 画图函数、中文图注、替代文字、格式；
* :mod:`~gdbook.figures.steps`、:mod:`~gdbook.figures.curves`、:mod:`~gdbook.figures.outputs`、
  :mod:`~gdbook.figures.digits` —— 各组图（第 1–2 节、误差曲线、第 3–4 节、MNIST）；
* :mod:`~gdbook.figures.render`   —— 画成字节（警告即错误，可复现）；
* :mod:`~gdbook.figures.build`    —— 按内容缓存、原子写入、写 ``figures.json``。

命令行：``python -m gdbook figures``；网站构建时由 ``scripts/hooks.py`` 调用。
"""
# 导入即登记；顺序就是目录（chapter5.md 的 Figure catalogue）的顺序
from gdbook.figures import steps  # noqa: F401  isort: skip
from gdbook.figures import curves  # noqa: F401  isort: skip
from gdbook.figures import outputs  # noqa: F401  isort: skip
from gdbook.figures import digits  # noqa: F401  isort: skip
from gdbook.figures.build import FigureBuildError, build
from gdbook.figures.registry import FIGURES, get_figure
from gdbook.figures.render import FigureError

__all__ = ["FIGURES", "FigureBuildError", "FigureError", "build", "get_figure"]
