"""The Makefile's first-hour promises: `make` alone lists the targets, and `make serve` on a
busy port says so in one line before it installs or builds anything."""
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORT_FREE = ROOT / "scripts" / "port_free.py"


def make(*args, tmp_path):
    # VENV in tmp_path: if anything tried to install, the folder would appear there
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args,
                           f"VENV={tmp_path / 'venv'}", f"PYTHON={sys.executable}"],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_make_alone_lists_the_targets(tmp_path):
    done = make(tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = re.findall(r"^  ([a-z-]+) ", done.stdout, flags=re.M)
    declared = re.findall(r"^([a-z-]+):.*## ", (ROOT / "Makefile").read_text("utf-8"), flags=re.M)
    assert listed == declared
    assert {"help", "site", "serve", "test", "test-fast", "clean"} <= set(listed)
    assert not (tmp_path / "venv").exists()


def test_serve_on_a_busy_port_stops_before_any_work(busy_port, tmp_path):
    done = make("serve", f"PORT={busy_port}", tmp_path=tmp_path)
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make")]
    assert ours == [f"端口 {busy_port} 已被占用，没有开始构建；换一个端口：make serve PORT={busy_port + 1}"]
    assert not (tmp_path / "venv").exists()
    assert "mkdocs" not in done.stdout


def port_free(*args):
    return subprocess.run([sys.executable, str(PORT_FREE), *args], capture_output=True,
                          text=True, timeout=30)


def test_a_free_port_passes():
    with socket.socket() as probe:          # a port the system just handed out, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = port_free(str(port))
    assert (done.returncode, done.stderr) == (0, "")


def test_a_busy_port_fails(busy_port):
    done = port_free(str(busy_port))
    assert done.returncode == 1 and "已被占用" in done.stderr


@pytest.mark.parametrize("bad", ["abc", "0", "65536", "-1", ""])
def test_a_bad_port_is_a_usage_error(bad):
    done = port_free(bad)
    assert done.returncode == 2
    assert done.stderr.startswith("PORT 应当是 1 到 65535 之间的整数") and "Traceback" not in done.stderr
