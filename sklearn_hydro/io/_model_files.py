"""Save and load fitted models without pickle: skops' secure format, explicit trusted types.

A pickle runs arbitrary code when it is loaded, so a model file from anyone else is a risk.
:func:`save_model` writes the skops format (a zip of JSON and ``.npy`` arrays), and
:func:`load_model` first lists every type the file would build and refuses the file, before
building anything, if one of them is not in :data:`TRUSTED_TYPES` (scikit-learn's own types
are trusted by skops itself). Torch networks inside
:class:`~sklearn_hydro.DualLSTMRegressor` are stored as plain arrays of their weights
(a state dict) and rebuilt for prediction, never unpickled.

Load a file you did not make yourself only with :func:`load_model` (or
``python -m sklearn_hydro forecast``); never with ``pickle``, ``joblib.load`` or
``skops.io.load(..., trusted=...)`` with a list you have not read.

Model files are **not signed**. A digest of the metadata in the header catches a file
edited by accident (settings changed and re-zipped), not a deliberate forgery: whoever can
write the file can recompute it. Keep model files where only you can write them.
"""

import copy
import hashlib
import json
import os
import zipfile
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..utils import atomic_path
from ..utils._sklearn import HasMethods, validate_params

__all__ = ["TRUSTED_TYPES", "ModelFileError", "load_model", "save_model"]

FORMAT = "sklearn-hydro-model"
FORMAT_VERSION = 1

#: Types beyond skops' defaults that a model file of this library may contain.
TRUSTED_TYPES = (
    "functools.partial",  # of a column selector below; skops checks the function too
    "numpy.dtype",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
    "sklearn_hydro.conformal._conformal.ConformalRegressor",
    "sklearn_hydro.forecasting._ensemble.SeedEnsembleRegressor",
    "sklearn_hydro.forecasting._ensemble.TailBlendRegressor",
    "sklearn_hydro.forecasting._direct.DirectHorizonRegressor",
    "sklearn_hydro.forecasting._forecaster.Forecaster",
    "sklearn_hydro.forecasting._naive.SeasonalNaiveRegressor",
    "sklearn_hydro.forecasting._panel.GlobalRegressor",
    "sklearn_hydro.forecasting._panel.PerSeriesRegressor",
    "sklearn_hydro.neural._layout.Layout",
    "sklearn_hydro.neural._regressor.DualLSTMRegressor",
    "sklearn_hydro.io._model_files._PortableNet",
    "sklearn_hydro.preprocessing._outliers.SigmaOutlierSmoother",
    "sklearn_hydro.preprocessing._wavelet.WaveletDenoiser",
    "sklearn_hydro.forecasting._row_level.RowLevelRegressor",
    "sklearn_hydro.forecasting._stacked.StackedHorizonRegressor",
    "sklearn_hydro.windows._selector.LagSelector",
    "sklearn_hydro.windows._transformer.WindowTransformer",
    "sklearn_hydro.windows._columns.covariate_columns",
    "sklearn_hydro.windows._columns.lag_columns",
    "sklearn_hydro.windows._columns.past_covariate_columns",
)


class ModelFileError(ValueError):
    """A model file that cannot be loaded safely (damaged, modified or untrusted)."""


class _PortableNet:
    """The weights of a trained torch module as arrays, rebuilt on first prediction.

    Stands in for the skorch net of a loaded :class:`~sklearn_hydro.DualLSTMRegressor`: it
    predicts (in evaluation mode, on the CPU) but cannot train.
    """

    _MODULES = ("DualRecurrentNet",)

    def __init__(self, module_name, module_kwargs, state):
        self.module_name = module_name
        self.module_kwargs = module_kwargs
        self.state = state

    @classmethod
    def from_net(cls, net):
        name = type(net.module_).__name__
        if name not in cls._MODULES:
            raise TypeError(f"cannot save a torch module of type {name}")
        kwargs = {k[len("module__"):]: v for k, v in net.get_params().items()
                  if k.startswith("module__")}
        state = {k: v.detach().cpu().numpy() for k, v in net.module_.state_dict().items()}
        return cls(name, kwargs, state)

    def __getstate__(self):
        return {"module_name": self.module_name, "module_kwargs": self.module_kwargs,
                "state": self.state}

    def _module(self):
        module = self.__dict__.get("_built")
        if module is None:
            import torch

            from .. import neural as _modules

            if self.module_name not in self._MODULES:
                raise ModelFileError(f"unknown torch module {self.module_name!r}")
            module = getattr(_modules, self.module_name)(**self.module_kwargs)
            module.load_state_dict({k: torch.as_tensor(np.asarray(v))
                                    for k, v in self.state.items()})
            module.eval()
            self.__dict__["_built"] = module
        return module

    @property
    def module_(self):
        return self._module()

    def predict(self, X):
        import torch

        module = self._module()
        X = torch.as_tensor(np.asarray(X, dtype=np.float32))
        with torch.no_grad():
            parts = [module(X[i:i + 4096]).numpy() for i in range(0, len(X), 4096)]
        return np.concatenate(parts) if parts else np.empty((0, 1), dtype=np.float32)


def _portable(obj, seen=None):
    """Replace, in place, every skorch net of a fitted DualLSTMRegressor by its weights."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, (list, tuple)):
        for item in obj:
            _portable(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            _portable(item, seen)
    elif isinstance(obj, BaseEstimator):
        net = obj.__dict__.get("net_")
        if net is not None and not isinstance(net, _PortableNet):
            obj.net_ = _PortableNet.from_net(net)
            if "history_" in obj.__dict__:  # skorch's History: keep the per-epoch numbers
                obj.history_ = [
                    {k: v for k, v in epoch.items() if isinstance(v, (int, float, str, bool))}
                    for epoch in obj.history_
                ]
        for value in list(vars(obj).values()):
            _portable(value, seen)


@validate_params(
    {"model": [HasMethods(["predict"])], "path": [str, os.PathLike], "metadata": [dict, None],
     "overwrite": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def save_model(model, path, *, metadata=None, overwrite=False):
    """Save a fitted model (and JSON-able metadata) in skops' secure format.

    Parameters
    ----------
    model : estimator
        A fitted estimator of this library or scikit-learn (pipelines included).
    path : str or Path
        File to write (``.skops`` by convention). It is written to a temporary file in the
        same folder and renamed into place, so an interrupted or failed save (a full disk,
        Ctrl-C) leaves any previous file as it was.
    metadata : dict or None
        JSON-serialisable facts to keep with the model (target, lookback, covariates, ...).
    overwrite : bool, default=False
        Replace an existing file; without it an existing ``path`` is refused
        (``FileExistsError``).

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_hydro.io import load_model, save_model
    >>> model = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.skops"
    >>> _ = save_model(model, path, metadata={"target": "demand"})
    >>> loaded, meta = load_model(path)
    >>> loaded.predict([[2.0]]).round(3).tolist(), meta["target"]
    ([2.0], 'demand')
    """
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover
        raise ImportError("saving models needs skops: pip install 'sklearn-hydro[io]'") from exc

    metadata = dict(metadata or {})
    json.dumps(metadata)  # fail here, clearly, on anything that is not plain data
    from .. import __version__

    model = copy.deepcopy(model)
    _portable(model)
    metadata_json = json.dumps(metadata)
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "library": __version__,
              "metadata_sha256": hashlib.sha256(metadata_json.encode()).hexdigest()}
    path = Path(path)
    check_is_fitted(model)
    content = {"header": json.dumps(header), "metadata": metadata_json, "model": model}
    with atomic_path(path, overwrite=overwrite) as tmp:
        sio.dump(content, tmp)
    return path


@validate_params(
    {"path": [str, os.PathLike], "trusted": [list, tuple]},
    prefer_skip_nested_validation=True,
)
def load_model(path, *, trusted=()):
    """Load a model saved by :func:`save_model`, refusing any type not explicitly trusted.

    The types the file would build are listed first (nothing is built); if one is neither
    trusted by skops nor in :data:`TRUSTED_TYPES` (nor in ``trusted``), a
    :class:`ModelFileError` names it and nothing from the file runs.

    Parameters
    ----------
    path : str or Path
    trusted : sequence of str, default=()
        Further type names to trust (e.g. a regressor of your own), after reading them.

    Returns
    -------
    model : estimator
    metadata : dict

    Raises
    ------
    ModelFileError
        The file is damaged, was modified, is not a model file of this library, or holds an
        untrusted type.
    """
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover
        raise ImportError("loading models needs skops: pip install 'sklearn-hydro[io]'") from exc
    path = Path(path)
    if path.is_dir():
        raise ModelFileError(f"{path} is a folder, not a model file (give the .skops file "
                             "that 'fit' or save_model wrote)")
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}")
    allowed = set(TRUSTED_TYPES) | set(trusted)
    try:
        found = sio.get_untrusted_types(file=path)
        untrusted = sorted(set(found) - allowed)
        if untrusted:
            raise ModelFileError(
                f"{path} holds type(s) that are not trusted: {', '.join(untrusted)}. It was "
                "not loaded and nothing in it ran. Load only files made by sklearn-hydro's "
                "save_model / 'fit' command, or pass trusted=[...] after checking the types."
            )
        content = sio.load(path, trusted=list(found))
        header = json.loads(content["header"])
        digest = hashlib.sha256(content["metadata"].encode()).hexdigest()
        if header.get("metadata_sha256", digest) != digest:
            raise ModelFileError(f"{path} was modified after it was saved (its metadata do "
                                 "not match their digest); refit, or save it again")
        metadata = json.loads(content["metadata"])
        model = content["model"]
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, AttributeError,
            ImportError, OSError, EOFError) as exc:
        raise ModelFileError(
            f"{path} is not a valid sklearn-hydro model file (damaged or modified?): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    if header.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a sklearn-hydro model file")
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path} has model format version {header.get('format_version')}; this version "
            f"of sklearn-hydro reads version {FORMAT_VERSION}"
        )
    return model, metadata
