"""第 1 层：本章用到的全部算术，只用 Python 列表，不用 NumPy。

书中的每个数字都是普通 Python 浮点数用 ``str()`` 打印出来的。要逐位复现它们，
运算的种类和顺序都必须一样：加权和从左到右逐项累加（不用内置 ``sum()``——
Python 3.12 起它对浮点数做补偿求和，结果可能差最后一位）。
"""

# --8<-- [start:weighted_sum]
def weighted_sum(inputs, weights):
    """加权和（点积）：逐项相乘，再从左到右累加。

    >>> weighted_sum([8.5, 0.65, 1.2], [0.1, 0.2, -0.1])
    0.8600000000000001
    """
    if len(inputs) != len(weights):
        raise ValueError(f"长度不一致：输入有 {len(inputs)} 个数，权重有 {len(weights)} 个。")
    total = 0.0
    for x, w in zip(inputs, weights):
        total += x * w
    return total
# --8<-- [end:weighted_sum]


def scale(number, vector):
    """数乘向量：把 ``vector`` 的每一项都乘上同一个数 ``number``。

    >>> scale(-0.14, [8.5, 0.65, 1.2])
    [-1.1900000000000002, -0.09100000000000001, -0.168]
    """
    return [number * v for v in vector]


# --8<-- [start:vector_matrix]
def vector_matrix(inputs, matrix):
    """向量乘矩阵：矩阵的每一行（一个输出节点的权重）与输入做一次加权和。

    >>> vector_matrix([1.0, 2.0], [[1.0, 0.0], [0.5, 0.5], [0.0, -1.0]])
    [1.0, 1.5, -2.0]
    """
    return [weighted_sum(inputs, row) for row in matrix]
# --8<-- [end:vector_matrix]


# --8<-- [start:outer]
def outer(column, row):
    """外积：结果第 i 行第 j 列是 ``column[i] * row[j]``。

    >>> outer([1, -2], [3, 4, 5])
    [[3, 4, 5], [-6, -8, -10]]
    """
    return [[c * r for r in row] for c in column]
# --8<-- [end:outer]
