"""Peak memory of the running process, for tests that run the code under test in a child process."""

from __future__ import annotations

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
