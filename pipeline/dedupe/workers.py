"""The process pool that spreads signature work over the machine's cores, started once per process.

Workers are forked when the process has a single thread, which starts one in about 10 ms. A process with other
threads (an Airflow task, a web server) gets a fork server instead: forking there could copy a lock another thread
holds, or collect that thread's objects (a database connection) in the child. The fork server starts in about
0.3 s, once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

_pool: ProcessPoolExecutor | None = None
_size = 0


def cores() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool(size: int) -> ProcessPoolExecutor:
    """A pool of `size` worker processes, kept for the next call."""
    global _pool, _size
    if _pool is None or _size != size:
        shutdown()
        _pool, _size = ProcessPoolExecutor(size, mp_context=_context()), size
    return _pool


def start(size: int | None = None) -> None:
    """Start a pool of `size` workers (default: one per core) now: called before a progress display or other
    thread starts, the workers are forked."""
    size = cores() if size is None else size
    if size >= 2:
        pool(size).submit(int).result()


def shutdown() -> None:
    """Stop the pool's workers (the next `pool` call starts new ones)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipeline.dedupe.minhash"])
        return context
    return multiprocessing.get_context("spawn")
