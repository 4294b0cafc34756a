"""Threads of a command: set for the command, restored when ``main`` returns."""

def set_threads(n):
    """Run the rest of the command with ``n`` torch threads and ``n`` OpenMP/BLAS threads.

    The models of a run are small: gradient boosting's OpenMP threads busy-wait and slow
    each fit 10-50x on a machine that anything else uses (``benchmarks/bench_threads.py``),
    and torch's intra-op threads do the same for the networks. The limit holds for the
    command (``main`` restores the caller's settings when it returns).
    """
    if n is not None:
        import torch
        from threadpoolctl import threadpool_limits

        before = torch.get_num_threads()
        _RESTORE.append(lambda: torch.set_num_threads(before))
        torch.set_num_threads(max(1, n))
        _RESTORE.append(threadpool_limits(limits=max(1, n)).restore_original_limits)


# what _set_threads changed, undone when main returns (main may run inside a notebook)
_RESTORE = []


def restore_threads():
    """Undo what :func:`set_threads` changed, newest first."""
    while _RESTORE:
        _RESTORE.pop()()
