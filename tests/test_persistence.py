import numpy as np
import pytest

from sklearn_hydro.conformal import ConformalRegressor
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import DirectHorizonRegressor
from sklearn_hydro.io import ModelFileError, load_model, save_model
from sklearn_hydro.study import ALL_MODELS, DEFAULT_MODEL, make_study_model
from sklearn_hydro.windows import make_multi_horizon_windows

TINY = {"max_epochs": 2, "hidden_size": 4, "batch_size": 32}


@pytest.fixture(scope="module")
def windows():
    frame = make_synthetic_demand(n_days=150, random_state=0)
    covariates = ["rain", "temp_max", "dow_mon"]
    return make_multi_horizon_windows(frame, "demand", 14, horizons=2, covariates=covariates,
                                      past_covariates=covariates)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", [m for m in ALL_MODELS if m != "Seasonal-naive-7"])
def test_every_model_round_trips_without_pickle(name, windows, tmp_path, short_training):
    X, Y = windows
    params = {**TINY, "n_estimators": 2} if name == DEFAULT_MODEL else TINY
    # refit=False: the calibration fit is the model (one fit per horizon instead of two);
    # the saved structure is the same
    model = DirectHorizonRegressor(ConformalRegressor(short_training(
        make_study_model(name, lookback=14, random_state=0, neural_params=params,
                         target="demand")), refit=False))
    model.fit(X, Y)
    path = save_model(model, tmp_path / "m.skops", metadata={"name": name})
    loaded, meta = load_model(path)
    assert meta == {"name": name}
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-6)
    np.testing.assert_allclose(loaded.predict_interval(X[:3]), model.predict_interval(X[:3]),
                               rtol=1e-6)
    # the loaded model is the same model: same type and parameters (its nested estimators
    # included), not just one that happens to predict alike
    assert type(loaded) is type(model)
    assert _plain_params(loaded) == _plain_params(model)
    # the file holds no pickle: every type skops would build is a named, trusted type
    import skops.io as sio

    from sklearn_hydro.io._model_files import TRUSTED_TYPES

    found = sio.get_untrusted_types(file=path)
    assert not [t for t in found if "pickle" in t.lower()], found
    assert set(found) <= set(TRUSTED_TYPES), sorted(set(found) - set(TRUSTED_TYPES))


def _plain_params(model):
    """Every nested parameter name, with the type of the estimators and the value of the
    rest (as its repr: a column selector is a new ``partial`` object after loading)."""
    return {k: type(v).__name__ if hasattr(v, "get_params") else repr(v)
            for k, v in model.get_params(deep=True).items()}


def test_saving_leaves_the_model_trainable(windows, tmp_path):
    X, Y = windows
    model = make_study_model("LSTM", lookback=14, random_state=0, neural_params=TINY)
    model.fit(X.iloc[:, :14], Y.iloc[:, 0])
    save_model(model, tmp_path / "m.skops")
    assert type(model.named_steps["regressor"].net_).__name__ != "_PortableNet"


def test_untrusted_types_and_bad_metadata(tmp_path):
    from datetime import timedelta

    from sklearn.linear_model import Ridge

    path = save_model(Ridge().fit([[0.0], [1.0]], [0.0, 1.0]), tmp_path / "r.skops")
    load_model(path)
    import skops.io as sio

    odd = tmp_path / "odd.skops"
    sio.dump({"header": "{}", "metadata": "{}", "model": timedelta(days=1)}, odd)
    with pytest.raises(ModelFileError, match="not trusted: datetime.timedelta"):
        load_model(odd)
    with pytest.raises(ModelFileError, match="not a sklearn-hydro model file"):
        load_model(odd, trusted=["datetime.timedelta"])
    with pytest.raises(TypeError):
        save_model(Ridge(), tmp_path / "x.skops", metadata={"f": object()})
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "missing.skops")


@pytest.mark.parametrize("meta", ["PerSeriesRegressor", "GlobalRegressor"])
def test_panel_models_round_trip(meta, tmp_path):
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from sklearn_hydro import forecasting, make_windows

    X, y = make_windows(make_synthetic_demand(100, n_series=3, random_state=0), "demand", 7)
    model = getattr(forecasting, meta)(make_pipeline(SimpleImputer(), Ridge())).fit(X, y)
    loaded, _ = load_model(save_model(model, tmp_path / "m.skops"))
    np.testing.assert_allclose(loaded.predict(X), model.predict(X))


def test_edited_metadata_are_detected(tmp_path):
    import json
    import zipfile

    from sklearn.linear_model import Ridge

    from sklearn_hydro.io import ModelFileError, load_model, save_model

    path = save_model(Ridge().fit([[0.0], [1.0]], [0.0, 1.0]), tmp_path / "m.skops",
                      metadata={"lookback": 28})
    edited = tmp_path / "edited.skops"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "schema.json":  # the settings edited by hand, re-zipped
                schema = json.loads(data)
                node = schema["content"]["metadata"]
                node["content"] = json.dumps(json.dumps({"lookback": 7}))
                data = json.dumps(schema).encode()
            dst.writestr(item, data)
    with pytest.raises(ModelFileError, match="modified"):
        load_model(edited)
    assert load_model(path)[1] == {"lookback": 28}
