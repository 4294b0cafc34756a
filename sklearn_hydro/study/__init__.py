"""The study's comparison: its seven models and peers by name, and the runner.

Names are loaded lazily: ``STUDY_MODELS`` and ``PEER_MODELS`` (from ``_names``) do not
import torch, so the command line's ``--help`` stays fast.
"""

from importlib import import_module

from ._names import PEER_MODELS, STUDY_MODELS

_LAZY = {
    "StudyResult": "._runner",
    "chronological_split": "._runner",
    "make_study_model": "._models",
    "run_study": "._runner",
    "whole_series_windows": "._runner",
}

__all__ = [
    "PEER_MODELS",
    "STUDY_MODELS",
    "StudyResult",
    "chronological_split",
    "make_study_model",
    "run_study",
    "whole_series_windows",
]


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
