"""How many networks a fit of a window model trains: the total of its progress lines."""

from sklearn.pipeline import Pipeline

from ..conformal import ConformalRegressor
from ..neural import DualLSTMRegressor
from ._direct import DirectHorizonRegressor
from ._ensemble import SeedEnsembleRegressor, TailBlendRegressor, _is_auto

__all__ = ["planned_network_fits"]


def planned_network_fits(model, n_horizons=1):
    """The networks that ``model.fit`` will train (an estimate for unknown meta-estimators).

    A blend with weights chosen on the tail and a conformal layer that refits each train
    their models twice (on the head, then on every row), unless a warm refit keeps what the
    last fit chose; a direct model once per horizon.
    """
    if isinstance(model, DualLSTMRegressor):
        return 1
    if isinstance(model, Pipeline):
        return planned_network_fits(model.steps[-1][1], n_horizons)
    if isinstance(model, SeedEnsembleRegressor):
        if model.warm_start and len(getattr(model, "estimators_", ())) == model.n_estimators:
            return sum(planned_network_fits(m, n_horizons) for m in model.estimators_)
        return model.n_estimators * planned_network_fits(model.estimator, n_horizons)
    if isinstance(model, DirectHorizonRegressor):
        if model.warm_start and hasattr(model, "estimators_"):  # refits its fitted members
            return sum(planned_network_fits(m, n_horizons) for m in model.estimators_)
        n_models = len(model._groups(list(range(1, n_horizons + 1))))
        return n_models * planned_network_fits(model.estimator, n_horizons)
    if isinstance(model, TailBlendRegressor):
        if model.warm_start and hasattr(model, "weights_"):  # refits its fitted members
            return sum(planned_network_fits(m, n_horizons) for m in model.estimators_)
        once = sum(planned_network_fits(m, n_horizons) for _, m in model.estimators)
        return once * (2 if _is_auto(model.weights) else 1)
    if isinstance(model, ConformalRegressor):
        if model.warm_start and hasattr(model, "estimator_"):  # continues its fitted model
            return planned_network_fits(model.estimator_, n_horizons)
        return planned_network_fits(model.estimator, n_horizons) * (2 if model.refit else 1)
    for name in ("estimator", "regressor"):  # other wrappers: what they wrap, once
        held = getattr(model, name, None)
        if held is not None and hasattr(held, "fit"):
            return planned_network_fits(held, n_horizons)
    return 0
