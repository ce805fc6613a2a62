"""The README's Python blocks run, top to bottom, as a reader would run them in a notebook.

Every ```python block of the README is executed in order, in one namespace, in a fresh
process working in an empty folder.  Two things stand in for the reader's own: the
folder of records the README calls ``path/to/records`` (or ``/shared/news``) is a folder
of sample records written for the test, and the cluster is this machine's.  A block the
README marks ``<!-- not run: why -->`` on the line above is skipped, and counted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import newsnb

README = Path(__file__).resolve().parents[1] / "README.md"
PLACEHOLDERS = ("path/to/records", "/shared/news")
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
NOT_RUN = re.compile(r"<!-- not run: (.+?) -->\s*$")

pytestmark = pytest.mark.slow


def blocks() -> list[tuple[int, str, str | None]]:
    """(line of the fence, code, why it is not run) of each ```python block."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = NOT_RUN.search(before)
        found.append((line, match.group(1), skip.group(1) if skip else None))
    return found


RUNNER = """
import json, sys
blocks = json.loads(sys.stdin.read())
namespace = {"__name__": "__main__"}
ran = []
for line, code in blocks:
    exec(compile(code, "README.md", "exec"), namespace)
    ran.append(line)
print(json.dumps(ran))
"""


def test_the_readme_python_blocks_run(tmp_path: Path) -> None:
    records = newsnb.write_sample(tmp_path / "records", 1500, seed=0)
    work = tmp_path / "work"
    work.mkdir()
    runnable = []
    for line, code, skip in blocks():
        if skip:
            continue
        for placeholder in PLACEHOLDERS:
            code = code.replace(f'"{placeholder}"', json.dumps(str(records)))
        # the README's blocks start at its first line: a traceback names README lines
        runnable.append((line, "\n" * line + code))
    assert len(runnable) >= 8, "the README lost its Python blocks (or the test its fence)"
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(runnable),
        capture_output=True,
        text=True,
        cwd=work,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [line for line, _ in runnable]
    # the blocks did what they say: the Explorer exported, the Parquet dataset was written
    assert list(work.glob("newsnb-selection-*.csv")) and (work / "videos.parquet").is_file()
    assert (work / "news.parquet" / "_newsnb.json").is_file()


def test_only_blocks_that_need_what_this_machine_lacks_are_not_run() -> None:
    skipped = {line: why for line, _, why in blocks() if why}
    assert len(skipped) <= 1, skipped
    for why in skipped.values():
        assert "Spark" in why
