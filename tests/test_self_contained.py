"""A clone stands alone: no tracked file refers to a path outside the repository.

The project is written next to a folder of notes and tools (a sibling folder `shared`) on a
machine with its own workspace folder; a clone has neither, so a command, link or comment that
points there is broken for every reader. (This file spells those paths in pieces, so that it
does not match itself.)
"""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(
    r"\.\./shared\b"                # the notes and tools beside the checkout
    r"|(?<![\w.])[/]work[/]"        # the workspace of the machine the project is written on
    r"|(?<![\w.])/(?:root|home/[\w.-]+)/"   # someone's home directory
)


def tracked_text_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        path = ROOT / name
        if not path.is_file():          # deleted in the work tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" not in data:           # binary files (images, fonts, the MNIST subset) skipped
            yield name, data.decode("utf-8", errors="replace")


def outside_references(text):
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)]


@pytest.mark.parametrize("line", [
    "python3 .." "/shared/tools/copycheck.py docs",
    "# From /" "work/shared/toolchain-notes.md: headless",
    "see /" "root/notes.txt",
    "open /" "home/alice/gdbook/site",
])
def test_the_pattern_finds_outside_paths(line):
    assert outside_references(line) == [(1, line)]


@pytest.mark.parametrize("line", [
    "--8<-- \"gdbook/rules.py:multi_input\"",
    "[上一节](../multi-input/)",
    "https://gdbook.github.io/gdbook/",
    "GDBOOK_SITE_DIR=site .venv/bin/python -m pytest tests/browser",
    "git clone https://example.org/" "work/gdbook",
])
def test_paths_inside_the_repository_are_fine(line):
    assert outside_references(line) == []


def test_no_tracked_file_points_outside_the_repository():
    found = [f"{name}:{number}: {line}" for name, text in tracked_text_files()
             for number, line in outside_references(text)]
    assert not found, "paths outside the repository:\n" + "\n".join(found)
