"""Helpers shared by the whole package (and by authors of window models).

Naming of lag and horizon columns, panels, input validation, the time step, parallel loops,
the newest-rows hold-out, tag inheritance, and torch's threads, seeds and devices. Nothing
here imports the rest of the package; scikit-learn's private names come from
``sklearn_hydro.utils._sklearn`` only. The torch helpers are loaded lazily, so that importing
``sklearn_hydro.utils`` does not import torch.
"""

from importlib import import_module

from ._files import atomic_path, check_not_input
from ._holdout import tail_split_indices
from ._naming import (
    horizon_name,
    lag_name,
    lag_series,
    parse_horizon_name,
    parse_lag_name,
    signal_lags,
    target_series,
)
from ._panel import (
    SERIES,
    apply_per_series,
    day_positions,
    is_panel,
    series_labels,
    series_prefix,
    time_values,
)
from ._parallel import Parallel, delayed, effective_n_jobs, in_task, nested_in_process
from ._progress import fit_progress, report_fitted
from ._tags import inherit_tags
from ._time import time_label, time_step
from ._validation import (
    check_finite,
    check_horizons,
    check_positive_int,
    check_regular_index,
    irregular_step,
    validate_passthrough,
)
from ._warm import set_warm_start

_TORCH = (
    "N_THREADS_CONSTRAINT",
    "FiniteLossCheck",
    "InterruptibleNet",
    "TailSplit",
    "TensorBatchIterator",
    "check_device",
    "limit_threads",
    "seed_from_random_state",
    "torch_seed",
)

__all__ = [
    "SERIES",
    "Parallel",
    "apply_per_series",
    "atomic_path",
    "check_finite",
    "check_not_input",
    "check_horizons",
    "check_positive_int",
    "check_regular_index",
    "day_positions",
    "delayed",
    "effective_n_jobs",
    "fit_progress",
    "horizon_name",
    "in_task",
    "inherit_tags",
    "irregular_step",
    "is_panel",
    "lag_name",
    "lag_series",
    "nested_in_process",
    "parse_horizon_name",
    "parse_lag_name",
    "report_fitted",
    "series_labels",
    "series_prefix",
    "set_warm_start",
    "signal_lags",
    "tail_split_indices",
    "target_series",
    "time_label",
    "time_step",
    "time_values",
    "validate_passthrough",
    *_TORCH,
]


def __getattr__(name):
    if name in _TORCH:
        return getattr(import_module("._torch", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_TORCH))
