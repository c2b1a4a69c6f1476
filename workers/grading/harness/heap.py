"""The allocator state every process that times or is timed starts from."""

from __future__ import annotations


def settle_heap() -> None:
    """Put this process in the allocator state every runner and judge starts from.

    glibc serves an allocation above its mmap threshold (128 KiB at first) with a fresh
    mapping, and every page of it faults on first touch; freeing such a block raises the
    threshold to its size (up to 32 MiB), after which blocks that size come from the heap.
    Whether that had happened yet depended on what a process had freed: the same softmax took
    3 ms in one process and 15 ms in another, and a judge process's first grade usually fell
    back to its own clock. Freeing one 24 MiB block settles it; the heap then keeps at most
    twice that much freed memory before returning it to the system. Runners call this at
    boot, the judge before each grade (cheap once settled: one map and unmap).
    """
    import numpy as np

    block = np.empty(24 << 20, np.uint8)  # allocated by malloc ...
    del block  # ... and freed at once
