"""The reproduction of the DWT-PCA-LSTM study: its seven models and the peers by name, and
the runner of the comparison.

Loaded lazily: the model names (from ``_names``) do not import torch, so the command line's
``--help`` stays fast.
"""

from importlib import import_module

from ._names import ABLATION_MODELS, DEFAULT_MODEL, PEER_MODELS, STUDY_MODELS

_LAZY = {
    "ALL_MODELS": "._runner",
    "MIN_WINDOW_LAGS": "._runner",
    "StudyResult": "._runner",
    "chronological_split": "._runner",
    "describe_frame": "._report",
    "verdicts": "._report",
    "write_report": "._report",
    "quick_params": "._runner",
    "make_study_model": "._models",
    "run_study": "._runner",
    "whole_series_windows": "._runner",
}

__all__ = [
    "ABLATION_MODELS",
    "ALL_MODELS",
    "DEFAULT_MODEL",
    "MIN_WINDOW_LAGS",
    "PEER_MODELS",
    "STUDY_MODELS",
    "StudyResult",
    "chronological_split",
    "describe_frame",
    "quick_params",
    "make_study_model",
    "run_study",
    "verdicts",
    "whole_series_windows",
    "write_report",
]


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
