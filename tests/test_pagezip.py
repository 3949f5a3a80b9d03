"""The zip the pages import into Pyodide: deterministic bytes, exactly gdbook's own source files,
and everything the run buttons do works from the zip alone in a Python without NumPy
(`python -I -S`: no site-packages, so neither the editable gdbook nor NumPy can sneak in)."""
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from gdbook import pagerun, pagezip

ROOT = Path(__file__).resolve().parent.parent
PYCON = re.compile(r"^( *)```pycon\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def page_blocks(page):
    """The page's ``>>>`` blocks, dedented as the rendered page shows them."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [textwrap.dedent(m.group(2)).strip("\n") + "\n" for m in PYCON.finditer(text)]


def snippet(module, name):
    """A ``--8<--`` section of gdbook/<module>.py, as the page embeds it."""
    text = (ROOT / "gdbook" / module).read_text(encoding="utf-8")
    return re.search(rf"# --8<-- \[start:{name}\]\n(.*?)# --8<-- \[end:{name}\]\n", text, re.DOTALL)[1]


def test_zip_bytes_are_deterministic_and_the_package_source():
    data = pagezip.page_zip()
    assert data == pagezip.page_zip()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(f"gdbook/{m}" for m in pagezip.PAGE_MODULES)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        for info in infos:
            assert archive.read(info) == (ROOT / info.filename).read_bytes()


def test_write_page_zip_writes_only_when_the_bytes_change(tmp_path):
    assert pagezip.write_page_zip(tmp_path) is True
    target = tmp_path / pagezip.PAGE_ZIP_PATH
    assert target.read_bytes() == pagezip.page_zip()
    assert pagezip.write_page_zip(tmp_path) is False
    target.write_bytes(b"stale")
    assert pagezip.write_page_zip(tmp_path) is True


def cli_output(*args):
    """What the terminal shows for ``python -m gdbook ARGS``: stdout and stderr in order."""
    result = subprocess.run([sys.executable, "-m", "gdbook", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.stdout, result.returncode


def only_the_zip(code, *args):
    """``python -c code args`` that sees no site-packages and no current directory (-P -S -s):
    with :meth:`env`, only ``folder`` (PYTHONPATH) — as the page's Python sees only the zip."""
    return [sys.executable, "-P", "-S", "-s", "-c", code, *args]


only_the_zip.env = lambda folder: {**os.environ, "PYTHONPATH": str(folder)}


# Runs in a Python with only the extracted zip on its path (see only_the_zip); NumPy is blocked outright.
IN_ZIP = """
import json, sys
sys.modules["numpy"] = sys.modules["matplotlib"] = None
job = json.loads(sys.stdin.read())
from gdbook import pagerun
before = {p.name: p.read_bytes() for p in pagerun.PACKAGE.glob("*.py")}
out = {"file": pagerun.__file__,
       "commands": [pagerun.run_command(c) for c in job["commands"]],
       "doctests": [pagerun.run_page_doctest(job["blocks"][:i + 1]) for i in range(len(job["blocks"]))],
       "listing": pagerun.run_listing(*job["listing"]),
       "after_listing": pagerun.run_command(job["commands"][0]),
       "restored": before == {p.name: p.read_bytes() for p in pagerun.PACKAGE.glob("*.py")},
       "numpy": "numpy" in sys.modules and sys.modules["numpy"] is not None}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def in_zip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pagezip")
    zipfile.ZipFile(BytesIO(pagezip.page_zip())).extractall(folder)
    data = snippet("listings.py", "data")
    job = {"commands": ["python -m gdbook run multi-input",
                        "python -m gdbook run multi-input --alpha 0.1",
                        "python -m gdbook run freeze-a --freeze z",
                        "python -m gdbook list"],
           "blocks": page_blocks("multi-input.md"),
           "listing": [data, data.replace("toes = [8.5,", "toes = [85,"),
                       "python -m gdbook run multi-input"]}
    result = subprocess.run(only_the_zip(IN_ZIP), env=only_the_zip.env(folder),
                            input=json.dumps(job), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return folder, job, json.loads(result.stdout)


def test_commands_from_the_zip_print_what_the_terminal_prints(in_zip):
    folder, job, out = in_zip
    assert Path(out["file"]).is_relative_to(folder) and not out["numpy"]
    for line, (text, code) in zip(job["commands"], out["commands"]):
        assert (text, code) == cli_output(*line.split()[3:]), line
    assert out["commands"][0][0] == (ROOT / "tests" / "golden" / "multi-input.txt").read_text()
    assert "学习发散了" in out["commands"][1][0] or "发散" in out["commands"][1][0]
    assert out["commands"][2][1] == 2


def test_every_doctest_block_of_a_page_passes_from_the_zip(in_zip):
    _, job, out = in_zip
    assert len(out["doctests"]) == len(job["blocks"]) >= 5
    for text, passed in out["doctests"]:
        assert passed, text
        assert "✗" not in text and "✓" in text


def test_an_edited_listing_runs_the_edited_code_and_is_then_restored(in_zip):
    _, job, out = in_zip
    assert "已换上改过的代码：gdbook/listings.py" in out["listing"]
    assert "输入 toes（值 85）最大" in out["listing"]          # the explanation saw the edit
    assert out["restored"]
    assert out["after_listing"] == out["commands"][0]


def test_doctest_report_shows_expected_and_actual_with_a_mark():
    text, passed = pagerun.run_page_doctest([">>> x = 2\n", ">>> x + 1\n3\n>>> x * 2\n5\n"])
    assert not passed
    assert "✓ >>> x + 1" in text and "✗ >>> x * 2" in text
    assert "期望：\n    5\n  实际：\n    4\n" in text
    assert "1 / 2 个例子通过" in text


def test_a_block_of_several_snippets_is_patched_where_each_part_lives():
    parts = [snippet("arith.py", "vector_matrix"), snippet("arith.py", "outer"),
             snippet("rules.py", "multi_in_out")]
    original = "\n".join(parts)
    line = "    return [[c * r for r in row] for c in column]"
    assert line in parts[1]
    edited = original.replace(line, line.replace("c * r", "r * c"))
    sources = {name: (ROOT / "gdbook" / name).read_text(encoding="utf-8") for name in ("arith.py", "rules.py")}
    patched = pagerun.patch_sources(original, edited, sources)
    assert list(patched) == ["arith.py"]
    assert patched["arith.py"] == sources["arith.py"].replace(line, line.replace("c * r", "r * c"))
    assert pagerun.patch_sources(original, original, sources) == {}
    assert pagerun.patch_sources("print('not gdbook')\n", "print(1)\n", sources) is None


def test_command_lines_keep_only_gdbook_commands():
    text = "python -m pip install -e .\npython -m gdbook run multi-input --alpha 0.1   # 发散\n"
    assert pagerun.command_lines(text) == ["python -m gdbook run multi-input --alpha 0.1"]


def test_the_command_line_imports_no_numpy():
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "gdbook", "list"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "gdbook.cli" in imported
    assert not {m for m in imported if m.split(".")[0] in ("numpy", "matplotlib")}


def test_the_repository_source_is_never_rewritten():
    rules = pagerun.PACKAGE / "rules.py"
    before = rules.read_bytes()
    with pytest.raises(RuntimeError, match="仓库里的源码"):
        with pagerun._patched({rules: "x = 1\n"}):
            pass
    assert rules.read_bytes() == before


# Every `python -m gdbook …` line on the pages, run from the zip without NumPy (see IN_ZIP).
ALL_COMMANDS = """
import json, sys
sys.modules["numpy"] = sys.modules["matplotlib"] = None
from gdbook import pagerun
print(json.dumps([pagerun.run_command(line) for line in json.loads(sys.stdin.read())]))
"""


def test_the_commands_marked_as_needing_numpy_are_exactly_those_that_fail_without_it(tmp_path):
    """The pages disable the run button of a block that needs_numpy (the build marks it):
    every command on the pages runs from the zip unless marked, and each marked one fails."""
    zipfile.ZipFile(BytesIO(pagezip.page_zip())).extractall(tmp_path)
    lines = sorted({line for page in (ROOT / "docs").rglob("*.md")
                    for line in pagerun.command_lines(page.read_text(encoding="utf-8"))}
                   | {f"python -m gdbook {command}" for command in pagezip.NUMPY_COMMANDS})
    assert len(lines) > len(pagezip.NUMPY_COMMANDS)
    result = subprocess.run(only_the_zip(ALL_COMMANDS), env=only_the_zip.env(tmp_path),
                            input=json.dumps(lines), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for line, (text, code) in zip(lines, json.loads(result.stdout)):
        if pagezip.needs_numpy(line):
            assert code != 0 and re.search(r"\b(ModuleNotFound|Import)Error\b", text), line
        else:
            assert (text, code) == cli_output(*line.split()[3:]), line
