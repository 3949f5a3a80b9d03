"""multi-output.md 的图：一个输入、三个输出（书中图 90-1 至 91-2）。

数字来自 ``run_listing("multi-output")`` 的第一步。
权重的约定与 :mod:`gdbook.rules` 相同：每个输出（hurt、win、sad）一个权重。
"""
from gdbook.figures.draw import blank, layout_figure, network, panels
from gdbook.figures.registry import figure
from gdbook.figures.style import SMALL
from gdbook.listings import INPUT_NAMES, OUTPUT_NAMES, run_listing
from gdbook.numbers import num


def _table(ax, x, y, rows, header, pal, widths=(0.0, 0.7, 1.5, 2.8)):
    """在网络图下方写一张小表：header 是列名，rows 是每行的文字，widths 是各列的横坐标。"""
    for dx, h in zip(widths, header):
        ax.text(x + dx, y, h, ha="left", va="top", fontsize=SMALL, color=pal.muted)
    for k, row in enumerate(rows):
        for dx, cell in zip(widths, row):
            ax.text(x + dx, y - 0.35 * (k + 1), cell, ha="left", va="top", fontsize=SMALL)


@figure("multi-output",
        caption="一个输入 wlrec 连到三个输出 hurt、win、sad：每个输出各有自己的 pred、delta，"
                "每个权重的 weight_delta = input × 它那个输出的 delta。",
        alt="左右两幅网络图。左边一个输入节点 0.65 经三条边连到三个输出节点，节点里是各自的 pred，"
            "下方的表列出 pred、true、delta；右边同一网络，边上写着 weight_delta，节点里是 delta。",
        inputs=lambda: {"run": run_listing("multi-output")}, narrow=True)
def multi_output(pal, run, layout="wide"):
    s = run.steps[0]
    fig = layout_figure(layout, 3.4, 6.6)
    left, right = panels(fig, 2, layout)
    colors = pal.weights
    inputs = [(INPUT_NAMES[1], num(s.input))]

    edges = {(0, j): (f"{num(w)}", colors[j]) for j, w in enumerate(s.weights)}
    network(left, pal, inputs, [(n, num(p)) for n, p in zip(OUTPUT_NAMES, s.pred)], edges,
            label_at=0.55)
    rows = [[n, num(p), num(t), num(d)] for n, p, t, d in zip(OUTPUT_NAMES, s.pred, s.target,
                                                                s.delta)]
    _table(left, -0.9, -1.3, rows, ["", "pred", "true", "delta"], pal, (0.0, 0.75, 1.5, 2.1))
    left.set_title("Step 1: predict, compare\npred = input $\\times$ weight", loc="left")

    edges = {(0, j): (f"{num(wd)}", colors[j]) for j, wd in enumerate(s.weight_deltas)}
    network(right, pal, inputs, [(n, num(d)) for n, d in zip(OUTPUT_NAMES, s.delta)], edges,
            label_at=0.55)
    rows = [[n, num(d), num(wd), num(w)] for n, d, wd, w in zip(OUTPUT_NAMES, s.delta,
                                                                     s.weight_deltas,
                                                                     s.weights_after)]
    _table(right, -0.9, -1.3, rows, ["", "delta", "weight_delta", "weights_after"], pal)
    right.set_title("Step 2: learn\nweight_delta = input $\\times$ delta", loc="left")
    for ax in (left, right):
        blank(ax)
        ax.set_xlim(-1.25, 3.0)
        ax.set_ylim(-2.75, 1.15)
    return fig
