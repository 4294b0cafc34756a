"""Warm refits: a fitted model that continues from where its last fit ended."""

__all__ = ["set_warm_start"]


def set_warm_start(model, value=True):
    """Set every ``warm_start`` parameter of ``model`` and of the models inside it.

    Both the parameters (``get_params(deep=True)``) and the fitted models a meta-estimator
    holds (``estimators_``, ``estimator_``, ...) are set, so a refit of a fitted model
    continues from its fitted state instead of starting over: the recurrent networks from
    their trained weights, the ensembles with their members, the blend with its weights,
    the conformal layer with its scores. Returns ``model``.

    Only this library's estimators are set: scikit-learn's ``warm_start`` means something
    else (gradient boosting adds ``max_iter`` minus the fitted iterations, none with the
    same settings, so a "refit" would keep the old trees and learn nothing new).

    Examples
    --------
    >>> from sklearn_hydro import make_forecaster
    >>> from sklearn_hydro.utils import set_warm_start
    >>> model = set_warm_start(make_forecaster(target="demand"))
    >>> sorted(k for k, v in model.get_params().items() if k.endswith("warm_start") and v)
    ['lstm__regressor__estimator__warm_start', 'lstm__regressor__warm_start', 'warm_start']
    """
    _set(model, value, set())
    return model


def _set(model, value, seen):
    if id(model) in seen or not hasattr(model, "get_params"):
        return
    seen.add(id(model))
    params = model.get_params(deep=False)
    if "warm_start" in params and type(model).__module__.startswith("sklearn_hydro."):
        model.set_params(warm_start=value)
    held = [*params.values()]
    held += [v for k, v in vars(model).items()  # the fitted models, unseen by get_params
             if k.endswith("_") and not k.startswith("_")]
    for value_held in held:
        for sub in _models_in(value_held):
            _set(sub, value, seen)


def _models_in(held):
    if hasattr(held, "get_params"):
        return [held]
    if isinstance(held, dict):
        held = list(held.values())
    if isinstance(held, (list, tuple)):  # models, or (name, model) pairs
        items = [h[-1] if isinstance(h, tuple) and h else h for h in held]
        return [h for h in items if hasattr(h, "get_params")]
    return []
