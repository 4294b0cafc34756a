"""The study's comparison: its seven models and peers by name, and the runner."""

from ._forecaster import make_forecaster
from ._models import ABLATION_MODELS, DEFAULT_MODEL, PEER_MODELS, STUDY_MODELS, make_study_model
from ._runner import ALL_MODELS, StudyResult, chronological_split, run_study, whole_series_windows

__all__ = [
    "ABLATION_MODELS",
    "ALL_MODELS",
    "DEFAULT_MODEL",
    "PEER_MODELS",
    "STUDY_MODELS",
    "StudyResult",
    "chronological_split",
    "make_forecaster",
    "make_study_model",
    "run_study",
    "whole_series_windows",
]
