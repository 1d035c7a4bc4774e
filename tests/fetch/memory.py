"""Peak memory of the running process, for tests that run the code under test in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (VmHWM).

    Not `resource.getrusage(...).ru_maxrss`: Linux carries the peak of the process image an exec replaced into
    it, so a child started by a large test runner would report the runner's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_measured(script: str) -> tuple[str, int]:
    """Run `script` (indented as written) in a child Python that then prints its own peak RSS; what it printed
    before that, and the peak in KiB."""
    code = textwrap.dedent(script) + "\nfrom tests.fetch.memory import peak_rss_kib\nprint(peak_rss_kib())\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=os.environ | {"PYTHONPATH": "."}
    )
    assert result.returncode == 0, result.stderr
    printed, _, peak = result.stdout.rstrip("\n").rpartition("\n")
    return printed, int(peak)
