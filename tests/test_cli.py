"""The command line speaks Chinese, never shows a traceback for a user's mistake, and keeps
the traceback for a bug. Exit codes: 0 success, 1 overflow / data error / bug, 2 usage, 130 Ctrl-C."""
import json
import os
import re
import signal

import pytest

from gdbook import cli
from gdbook.checks import UsageError
from gdbook.listings import LISTINGS
from gdbook.mnist import MAX_EPOCHS
from gdbook.rules import MAX_ITERATIONS

# argparse's own English words; option names (--help) and ids with a hyphen are not prose
ENGLISH = re.compile(r"\b(usage|error|errors|options?|arguments?|invalid|choices?|choose|expected|"
                     r"required|unrecognized|help|show|message|exit|positional|traceback|"
                     r"subcommands?)\b", re.IGNORECASE)


def english_words(text):
    prose = re.sub(r"\S*-\S*", " ", text)
    return ENGLISH.findall(prose)


def assert_chinese_usage_error(result, *words):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not english_words(result.stderr), result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("gdbook") and "错误：" in first
    for word in words:
        assert word in first, first
    assert "用法：" in result.stderr


@pytest.mark.parametrize("args, words", [
    ([], ["缺少必需的参数", "命令"]),
    (["fly"], ["'fly' 不存在", "'run'"]),
    (["run"], ["缺少必需的参数", "NAME"]),
    (["run", "multi-input", "--bogus"], ["不认识", "--bogus"]),
    (["list", "extra"], ["不认识", "extra"]),
    (["run", "multi-input", "--alpha"], ["--alpha 后面需要一个值"]),
    (["run", "multi-input", "--alpha", "-inf"], ["--alpha 必须大于 0，收到 -inf。"]),
    (["run", "multi-input", "--alpha", "-1"], ["--alpha 必须大于 0，收到 -1。"]),
    (["run", "multi-input", "--alpha", "-1e5"], ["--alpha 必须大于 0"]),
    (["run", "multi-input", "--alpha", "0"], ["--alpha 必须大于 0，收到 0。"]),
    (["run", "multi-input", "--alpha", "abc"], ["--alpha 必须是一个数，收到 'abc'"]),
    (["run", "multi-input", "--alpha", "nan"], ["--alpha 必须是有限的数"]),
    (["run", "multi-input", "--alpha", "inf"], ["--alpha 必须是有限的数"]),
    (["run", "multi-input", "--iterations", "0"],
     [f"--iterations 必须是 1 到 {MAX_ITERATIONS} 之间的整数，收到 0。"]),
    (["run", "multi-input", "--iterations", "-inf"], ["--iterations 必须是 1 到"]),
    (["run", "multi-input", "--iterations", "x"], ["--iterations 必须是 1 到", "'x'"]),
    (["run", "multi-input", "--iterations", "99999999"], ["--iterations 必须是 1 到"]),
    (["run", "freeze-a", "--freeze", "z"], ["freeze-a 没有名为 z 的权重；可用 a、b、c 或 0、1、2。"]),
    (["run", "multi-input", "--freeze", "7"], ["multi-input 没有下标为 7 的权重"]),
    (["run", "multi-input", "--freeze", "-1"], ["multi-input 没有下标为 -1 的权重"]),
    (["run", "multi-in-out", "--freeze", "hurt"], ["multi-in-out 没有名为 hurt 的输入", "toes"]),
    (["run", "multi-output", "--freeze", "toes"], ["multi-output 没有名为 toes 的权重", "win"]),
    (["run", "multi-input", "--freeze"], ["--freeze 后面需要至少一个值"]),
    (["run", "multi-input", "--json=3"], ["--json 不接受值"]),
    (["run", "multi-inptu"], ["multi-input", "mnist"]),
    (["run", "nonsense"], ["可用的清单", "mnist"]),
    (["run", "multi-input", "--epochs", "3"], ["只用于 mnist"]),
    (["run", "mnist", "--freeze", "a"], ["--freeze"]),
    (["run", "mnist", "--iterations", "3"], ["--iterations"]),
    (["run", "mnist", "--epochs", "0"], [f"--epochs 必须是 1 到 {MAX_EPOCHS} 之间的整数，收到 0。"]),
    (["run", "mnist", "--epochs", "2000"], [f"1 到 {MAX_EPOCHS}"]),
    (["figures", "--only", "no-such-figure"], ["没有 id 为 'no-such-figure' 的图"]),
])
def test_usage_errors_are_chinese_exit_2_without_traceback(run_cli, args, words):
    assert_chinese_usage_error(run_cli(*args), *words)


def test_the_unknown_listing_error_names_every_runnable_listing(run_cli):
    first = run_cli("run", "nonsense").stderr.splitlines()[0]
    listed = run_cli("list").stdout
    for line in listed.splitlines():
        assert line.split()[0] in first


@pytest.mark.parametrize("typed", ["ａ", "Ａ", "a", "0", "０"])
def test_full_width_and_names_freeze_the_same_weight(run_cli, typed):
    done = run_cli("run", "multi-input", "--freeze", typed, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["frozen"] == [0]


@pytest.mark.parametrize("name", list(LISTINGS))
def test_each_listing_freezes_by_its_own_names(run_cli, name):
    listing = LISTINGS[name]
    last = len(listing.freeze_names) - 1
    for typed in (listing.freeze_names[last], "abcdefghij"[last], str(last)):
        done = run_cli("run", name, "--freeze", typed, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["frozen"] == [last], typed


@pytest.mark.parametrize("args", [["-h"], ["list", "-h"], ["run", "-h"], ["figures", "--help"]])
def test_help_is_chinese(run_cli, args):
    done = run_cli(*args)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("用法：gdbook") and "选项" in done.stdout
    assert "显示这段帮助并退出" in done.stdout
    assert not english_words(done.stdout), done.stdout


def test_run_help_states_the_limits_and_the_freeze_names(run_cli):
    out = run_cli("run", "--help").stdout
    assert "大于 0" in out and f"1 到 {MAX_ITERATIONS}" in out and f"1 到 {MAX_EPOCHS}" in out
    for listing in LISTINGS.values():
        assert listing.name in out and "、".join(listing.freeze_names) in out
    assert "mnist" in out


def test_json_keys_match_across_listings(run_cli):
    mnist = json.loads(run_cli("run", "mnist", "--epochs", "1", "--json").stdout)
    listing = json.loads(run_cli("run", "multi-input", "--json").stdout)
    assert mnist["listing"] == "mnist" and listing["listing"] == "multi-input"
    assert {"listing", "alpha"} <= set(mnist) & set(listing)


# ---------------------------------------------------------------- figures --out

@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "plain-file"
    path.write_text("not a folder")
    return path


@pytest.mark.parametrize("where, words", [
    (lambda f: f, "是文件，不是文件夹"),
    (lambda f: f / "figures", "无法创建"),
    (lambda f: f / "deeper" / "figures", "无法创建"),
])
def test_figures_out_that_cannot_be_a_folder(run_cli, a_file, where, words):
    out = where(a_file)
    done = run_cli("figures", "--out", str(out))
    assert_chinese_usage_error(done, words, str(out))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_figures_out_without_permission(run_cli, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        assert_chinese_usage_error(run_cli("figures", "--out", str(locked / "figs")), "写入权限")
    finally:
        locked.chmod(0o700)


def test_figures_out_without_permission_root_safe(monkeypatch, tmp_path):
    """Same check in-process (root passes every permission check, so fake os.access)."""
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(UsageError, match=f"没有 {re.escape(str(tmp_path))} 的写入权限"):
        cli._check_out_dir(str(tmp_path / "a" / "b"))


def test_figures_out_missing_parents_are_fine_and_nothing_is_created(tmp_path):
    cli._check_out_dir(str(tmp_path / "a" / "b"))
    assert list(tmp_path.iterdir()) == []


def test_figures_out_is_checked_before_matplotlib_is_imported(run_cli, a_file):
    code = ("import sys\nfrom gdbook.cli import main\n"
            "print(main(['figures', '--out', sys.argv[1]]), 'matplotlib' in sys.modules)\n")
    done = run_cli.python(code, str(a_file))
    assert done.stdout.split() == ["2", "False"], done.stderr


# ---------------------------------------------------------------- signals, pipes, bugs

def test_ctrl_c_during_mnist_is_one_chinese_line_and_exit_130(run_cli):
    process = run_cli.start("run", "mnist", "--epochs", "1000")
    try:
        first = process.stdout.readline()
        assert first.startswith("第 1 轮"), first
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert stderr.splitlines() == ["gdbook: 已中断（Ctrl-C）。"]


@pytest.mark.parametrize("args,first", [
    (("run", "multi-input", "--alpha", "0.001", "--iterations", "100000"), "Iteration:1\n"),
    (("run", "mnist", "--epochs", "1000"), "第 1 轮"),
])
def test_a_closed_pipe_is_quiet(run_cli, args, first):
    process = run_cli.start(*args)
    try:
        assert process.stdout.readline().startswith(first)
        process.stdout.close()                 # like `| head -1`
        stderr = process.stderr.read()
        process.wait(timeout=60)
    finally:
        process.kill()
    assert stderr == "" and process.returncode == 0


BUG = ("import sys, gdbook.cli as cli\n"
       "def broken(*args, **kwargs):\n    raise {error}('a bug, not a usage error')\n"
       "cli.format_run = broken\n"
       "sys.exit(cli.main(['run', 'multi-input']))\n")


@pytest.mark.parametrize("error", ["RuntimeError", "ValueError", "TypeError"])
def test_a_genuine_bug_keeps_its_traceback_and_exits_1(run_cli, error):
    done = run_cli.python(BUG.format(error=error))
    assert done.returncode == 1
    assert "Traceback" in done.stderr and f"{error}: a bug, not a usage error" in done.stderr


def test_a_bug_propagates_from_main(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "format_run", broken)
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["run", "multi-input"])
