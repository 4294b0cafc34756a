"""Tags of meta-estimators, inherited from the estimators they wrap: the one helper."""

__all__ = ["inherit_tags"]

_WHERE = {
    "allow_nan": ("input_tags", all),
    "sparse": ("input_tags", all),
    "multi_output": ("target_tags", all),
    "single_output": ("target_tags", all),
    "non_deterministic": (None, any),
}


def inherit_tags(tags, estimators, fields=("allow_nan",)):
    """Set ``fields`` of ``tags`` from the wrapped ``estimators``' own tags.

    A meta-estimator takes what its wrapped models accept: ``allow_nan``, ``sparse``,
    ``multi_output`` and ``single_output`` hold if they hold for every wrapped estimator;
    ``non_deterministic`` if it holds for any.

    Parameters
    ----------
    tags : sklearn.utils.Tags
        The meta-estimator's tags (from ``super().__sklearn_tags__()``), changed in place.
    estimators : list of estimators
        The wrapped estimators (unfitted parameters are enough).
    fields : tuple of str, default=("allow_nan",)
        Among "allow_nan", "sparse", "multi_output", "single_output", "non_deterministic".

    Returns
    -------
    tags : sklearn.utils.Tags

    Examples
    --------
    >>> from sklearn.base import BaseEstimator
    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn_hydro.utils import inherit_tags
    >>> tags = BaseEstimator().__sklearn_tags__()
    >>> inherit_tags(tags, [HistGradientBoostingRegressor()]).input_tags.allow_nan
    True
    >>> inherit_tags(tags, [HistGradientBoostingRegressor(), Ridge()]).input_tags.allow_nan
    False
    """
    inner = [est.__sklearn_tags__() for est in estimators]
    for field in fields:
        group, combine = _WHERE[field]
        value = combine(getattr(t if group is None else getattr(t, group), field)
                        for t in inner)
        setattr(tags if group is None else getattr(tags, group), field, value)
    return tags
