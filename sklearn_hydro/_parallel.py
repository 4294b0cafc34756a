"""One level of parallelism: the tasks of the library's joblib loops keep their inner loops."""

from joblib import parallel_config

__all__ = ["in_task"]


def in_task(function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` with nested joblib loops run one after the other.

    The library's parallel loops (a series' fit in ``PerSeriesRegressor``, a backtest's
    folds, an ensemble's members) send this function to joblib's workers. Inside a task,
    joblib's Dask backend keeps itself as the backend of every nested ``Parallel`` and sends
    its calls to the cluster whatever their ``n_jobs`` (1 included): each
    ``ColumnTransformer`` of a pipeline then made a round trip through the scheduler per
    ``fit`` and ``transform``, while the task's worker waited for it. A task is already one
    worker's share of the work, so its nested loops run in the task, as they do on joblib's
    process backends.
    """
    with parallel_config(backend="sequential"):
        return function(*args, **kwargs)
