"""Warm refits: a fitted model that continues from where its last fit ended."""

__all__ = ["set_warm_start"]


def set_warm_start(model, value=True):
    """Set every ``warm_start`` parameter of ``model`` and of the models inside it.

    Both the parameters (``get_params(deep=True)``) and the fitted models a meta-estimator
    holds (``estimators_``, ``estimator_``, ...) are set, so a refit of a fitted model
    continues from its fitted state instead of starting over: the recurrent networks from
    their trained weights, the ensembles with their members, the blend with its weights,
    the conformal layer with its scores. Returns ``model``.

    Examples
    --------
    >>> from sklearn_hydro import make_forecaster
    >>> from sklearn_hydro.utils import set_warm_start
    >>> model = set_warm_start(make_forecaster(target="demand"))
    >>> sorted(k for k, v in model.get_params().items() if k.endswith("warm_start") and v)[:2]
    ['lstm__regressor__estimator__warm_start', 'lstm__regressor__warm_start']
    """
    _set(model, value, set())
    return model


def _set(model, value, seen):
    if id(model) in seen or not hasattr(model, "get_params"):
        return
    seen.add(id(model))
    names = [name for name in model.get_params(deep=True)
             if name == "warm_start" or name.endswith("__warm_start")]
    if names:
        model.set_params(**dict.fromkeys(names, value))
    for attr, held in vars(model).items():  # the fitted models, which get_params does not see
        if attr.endswith("_") and not attr.startswith("_"):
            for sub in _models_in(held):
                _set(sub, value, seen)


def _models_in(held):
    if hasattr(held, "get_params"):
        return [held]
    if isinstance(held, dict):
        held = list(held.values())
    if isinstance(held, (list, tuple)):
        return [h for h in held if hasattr(h, "get_params")]
    return []
