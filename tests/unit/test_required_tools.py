"""A test that needs a command (``@pytest.mark.tool("tmux")``, tests/conftest.py) is skipped
where the command is missing, but fails under CI (``scripts/test`` sets CI=1): the checks
that need tmux or openssl cannot silently drop out of ``./scripts/test`` (issue 10, item 24).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("tool", "ci", "outcome"),
    [
        ("omnipos-no-such-tool", "1", "1 error"),  # failed in its set-up
        ("omnipos-no-such-tool", "", "1 skipped"),
        ("sh", "1", "1 passed"),
    ],
)
def test_a_missing_tool_skips_the_test_and_fails_it_under_ci(
    tmp_path: Path, tool: str, ci: str, outcome: str
) -> None:
    (tmp_path / "test_needs_a_tool.py").write_text(
        f"import pytest\n\n\n@pytest.mark.tool({tool!r})\ndef test_it() -> None:\n    pass\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", os.devnull, "-rs", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip
    assert outcome in run.stdout, run.stdout + run.stderr
    assert (run.returncode == 0) is (outcome != "1 error"), run.stdout
    if outcome == "1 error":
        assert "omnipos-no-such-tool is not installed, and CI is set" in run.stdout
