"""Parallel loops: scikit-learn's ``Parallel`` (its configuration reaches the workers), and
one level of parallelism (work inside a parallel task keeps its inner joblib loops).

``n_jobs`` has scikit-learn's meaning everywhere in the package: None is one job unless a
``joblib.parallel_config`` context says otherwise, -1 all cores; ``effective_n_jobs(n_jobs)``
(joblib's) tells how many a ``Parallel(n_jobs)`` loop would use here. One exception, the
in-process rule of :func:`nested_in_process`: the loops over a model's own small pieces (an
ensemble's members, the blocks of a window transformer) run here with ``n_jobs`` None or 1,
even in a joblib context; only ``n_jobs`` > 1 spreads them.
"""

from contextlib import nullcontext

from joblib import effective_n_jobs, parallel_config
from sklearn.utils.parallel import Parallel, delayed

__all__ = ["Parallel", "delayed", "effective_n_jobs", "in_task", "nested_in_process"]


def nested_in_process(n_jobs=None):
    """Context in which joblib loops run one after the other here, unless ``n_jobs`` > 1.

    Inside a task, joblib's Dask backend keeps itself as the backend of every nested
    ``Parallel`` and sends its calls to the cluster whatever their ``n_jobs`` (1 included).
    The task's worker then waits while its small pieces (a ColumnTransformer's blocks) queue
    behind other tasks' fits: a district's fit and forecast were 8 tasks instead of 2, and
    ``benchmarks/bench_scale.py`` ran 1.50x faster on two workers instead of 1.81x (30
    districts). Process backends (loky) already run nested loops in the task.
    """
    if n_jobs is not None and n_jobs != 1:
        return nullcontext()
    return parallel_config(backend="sequential")


def in_task(function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` with its nested joblib loops run in the task.

    The library's parallel loops (a series' fit in ``PerSeriesRegressor``, a backtest's
    folds, an ensemble's members) hand this to joblib: a task is already one worker's share
    of the work (see :func:`nested_in_process`).
    """
    with nested_in_process():
        return function(*args, **kwargs)
