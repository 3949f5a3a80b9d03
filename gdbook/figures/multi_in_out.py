"""multi-in-out.md 的图：三个输入、三个输出（书中图 92-1 至 93-2）。

数字来自 ``run_listing("multi-in-out")`` 的第一步。
权重矩阵的约定与 :mod:`gdbook.rules` 相同：行 = 输出（hurt、win、sad），列 = 输入。
"""
from gdbook.figures.draw import heatmap, layout_figure, network, panels
from gdbook.figures.registry import figure
from gdbook.listings import INPUT_NAMES, OUTPUT_NAMES, run_listing
from gdbook.numbers import num


@figure("multi-in-out",
        caption="三个输入、三个输出：权重是 3×3 的矩阵（行 = 输出，列 = 输入）；"
                "weight_deltas 是 delta 与输入的外积，第 i 行第 j 列 = delta[i] × input[j]。",
        alt="左边是三个输入连到三个输出的网络图；中间是权重矩阵的热图，右边是 weight_deltas 矩阵的热图，"
            "每格写着数值，颜色以 0 为中心，正为暖色、负为冷色。",
        inputs=lambda: {"run": run_listing("multi-in-out")}, narrow=True)
def multi_in_out(pal, run, layout="wide"):
    s = run.steps[0]
    fig = layout_figure(layout, 5.2, 8.6)
    if layout == "wide":            # 网络图在上，两张矩阵并排在下
        top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.25])
        net = top.subplots()
        weights, deltas = bottom.subplots(1, 2)
    else:
        net, weights, deltas = panels(fig, 3, layout, ratios=[1, 1.1, 1.1])
    edges = {(i, j): (None, pal.weights[i]) for i in range(3) for j in range(3)}
    network(net, pal, [(n, num(x)) for n, x in zip(INPUT_NAMES, s.input)],
            [(n, num(p)) for n, p in zip(OUTPUT_NAMES, s.pred)], edges)
    net.set_xlim(-1.2, 2.6)
    net.set_ylim(-1.1, 1.1)
    net.set_title("pred = weights @ input", loc="left")
    cols = [f"{n}\n{num(x)}" for n, x in zip(INPUT_NAMES, s.input)]
    heatmap(weights, s.weights, OUTPUT_NAMES, cols, pal, title="weights")
    rows = [f"{n}  {num(d)}" for n, d in zip(OUTPUT_NAMES, s.delta)]
    heatmap(deltas, s.weight_deltas, rows, cols, pal,
            title="weight_deltas = outer(delta, input)")
    deltas.set_ylabel("delta", color=pal.muted)
    deltas.set_xlabel("input", color=pal.muted)
    weights.set_xlabel("input", color=pal.muted)
    return fig
