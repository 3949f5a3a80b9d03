"""Every snippet a page invites the reader to paste runs on its own, in a fresh interpreter.

Which snippets (the rule):

* a fenced ```python block is a program to paste into a new Python: it runs as it stands
  in `python -c`. Blocks that only embed code from gdbook (`--8<-- "gdbook/…"`) are shown,
  not pasted, and are skipped;
* in a fenced ```bash block, each `python -m gdbook …` line (also `.venv/bin/python -m
  gdbook …`) is a command to paste into a shell: it must end with exit status 0, or 1 when
  training overflows on purpose, and never with a usage error (2) or a traceback;
* ```pycon blocks are not run here: pytest runs each page's `>>>` examples as one doctest
  (`--doctest-glob=*.md`), the session a reader who types them in order has.
"""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)")
CLI = re.compile(r"^(?:\S*/)?python3? -m gdbook\b(?P<args>.*)$")


def fenced_blocks(text):
    """(line number, language, code) for each fenced block, its indentation removed."""
    lines, blocks, i = text.splitlines(), [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = next((j for j in range(i + 1, len(lines))
                    if lines[j].strip() == fence and lines[j].startswith(indent)), len(lines))
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                for line in lines[i + 1:end]]
        blocks.append((i + 1, opening["lang"], "\n".join(body) + "\n"))
        i = end + 1
    return blocks


def python_snippets(text):
    return [(line, code) for line, lang, code in fenced_blocks(text)
            if lang == "python" and not all(l.strip().startswith("--8<--") or not l.strip()
                                             for l in code.splitlines())]


def cli_commands(text):
    found = []
    for line, lang, code in fenced_blocks(text):
        if lang in ("bash", "sh", "console"):
            for command in code.splitlines():
                match = CLI.match(command.split(" #")[0].strip())
                if match:
                    found.append((line, shlex.split(match["args"])))
    return found


def pages():
    return sorted(DOCS.rglob("*.md"))


def collect(find):
    return [pytest.param(item, id=f"{page.relative_to(DOCS)}:{item[0]}")
            for page in pages() for item in find(page.read_text(encoding="utf-8"))]


def run_fresh(args, tmp_path):
    # a new interpreter in an empty folder: nothing from the page; gdbook as installed
    # (`make` installs it), so a file the package forgot to ship would fail here too
    return subprocess.run([sys.executable, *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("snippet", collect(python_snippets))
def test_python_snippet_runs_on_its_own(snippet, tmp_path):
    line, code = snippet
    done = run_fresh(["-c", code], tmp_path)
    assert done.returncode == 0, f"line {line}:\n{code}\n{done.stderr[-3000:]}"


@pytest.mark.parametrize("command", collect(cli_commands))
def test_cli_command_runs(command, tmp_path):
    line, args = command
    done = run_fresh(["-m", "gdbook", *args], tmp_path)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1), f"line {line}: exit {done.returncode}\n{done.stderr}"
    assert done.stdout or done.stderr


def test_the_rule_finds_the_exercises():
    weight_images = (DOCS / "weight-images.md").read_text(encoding="utf-8")
    assert [code for _, code in python_snippets(weight_images)
            if "descend_epochs" in code], "the weight-images exercise is not collected"
    multi_input = (DOCS / "multi-input.md").read_text(encoding="utf-8")
    assert ["run", "multi-input", "--alpha", "0.02", "--iterations", "20"] in [a for _, a in cli_commands(multi_input)]


def test_embeds_and_pycon_are_not_collected():
    page = ('```python\n--8<-- "gdbook/rules.py:x"\n```\n\n'
            '```pycon\n>>> 1 + 1\n2\n\n```\n\n'
            '!!! example\n    ```python\n    import math\n    print(math.pi)\n    ```\n')
    assert python_snippets(page) == [(12, "import math\nprint(math.pi)\n")]


def test_a_snippet_that_needs_the_page_fails(tmp_path):
    # what the weight-images exercise did before it loaded its own data
    done = run_fresh(["-c", "W1 = images[:1]"], tmp_path)
    assert done.returncode == 1 and "NameError" in done.stderr
