"""gdbook：《深度学习图解》第 5 章（泛化梯度下降）的配套代码。

分层（每层只导入它前面的层）：

1. :mod:`gdbook.arith`    —— 书中的算术，纯 Python 列表；
   :mod:`gdbook.checks`   —— 参数检查（只写一次），用法错误 :class:`~gdbook.checks.UsageError`；
2. :mod:`gdbook.rules`    —— 三种学习规则，记录每一步；:mod:`gdbook.fast` 是 NumPy 版；
   :mod:`gdbook.listings` —— 书中的四个清单与打印格式；
3. :mod:`gdbook.datasets` —— 随包附带的 MNIST 前 1000 张（SHA-256 校验）；
   :mod:`gdbook.mnist`    —— 第 5 节的 784→10 网络；
4. 图形（唯一导入 matplotlib 的一层）；
5. 命令行 :mod:`gdbook.cli`、MkDocs 钩子与页面。
"""
