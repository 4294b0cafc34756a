"""The one import point of scikit-learn's private names.

scikit-learn's own estimators use these; they are not public API and may move between
releases, so the package imports them here only and every module takes them from here.
"""

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.metaestimators import _BaseComposition, available_if
from sklearn.utils.validation import _check_feature_names_in, _num_samples

__all__ = [
    "HasMethods",
    "Interval",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_BaseComposition",
    "_check_feature_names_in",
    "_fit_context",
    "_num_samples",
    "_safe_indexing",
    "available_if",
    "validate_params",
]
