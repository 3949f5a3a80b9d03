"""构建图形时的两种错误。画不出图是代码的错误（bug），所以带着 traceback。"""


class FigureError(Exception):
    """某张图画不出来（包括画图时出现了警告）。

    ``message`` 是一行说明；``details`` 是画图代码抛出例外时的 traceback（文字），
    它也是 ``str()`` 的一部分，所以记日志、打印时都看得到出错的那一行。
    """

    def __init__(self, figure_id, message, details=None):
        text = f"图 {figure_id}：{message}"
        super().__init__(f"{text}\n{details.rstrip()}" if details else text)
        self.figure_id = figure_id
        self.message = message
        self.details = details


class FigureBuildError(Exception):
    """有图没画成。``failures`` 是每张失败的图的 :class:`FigureError`。"""

    def __init__(self, failures):
        self.failures = list(failures)
        super().__init__("；".join(f"图 {f.figure_id}：{f.message}" for f in self.failures))
