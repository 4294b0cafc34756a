"""The study's models and the peers by name: the one registry, importable without torch
(for the CLI)."""

__all__ = ["ABLATION_MODELS", "DEFAULT_MODEL", "PEER_MODELS", "STUDY_MODELS"]

# name -> (group, builder in _models.py, the builder's options). Adding a model is one line
# here (and a builder in _models.py for a new kind of model).
REGISTRY = {
    "DWT-PCA-LSTM": ("study", "recurrent", {"denoise": True, "pca": True, "cell": "lstm"}),
    "DWT-LSTM": ("study", "recurrent", {"denoise": True, "pca": False, "cell": "lstm"}),
    "PCA-LSTM": ("study", "recurrent", {"denoise": False, "pca": True, "cell": "lstm"}),
    "LSTM": ("study", "recurrent", {"denoise": False, "pca": False, "cell": "lstm"}),
    "DWT-PCA-RNN": ("study", "recurrent", {"denoise": True, "pca": True, "cell": "rnn"}),
    "DWT-PCA-BP": ("study", "mlp", {"denoise": True, "pca": True}),
    "DWT-PCA-SVM": ("study", "svm", {"denoise": True, "pca": True}),
    "Persistence": ("peer", "naive", {"seasonal": False}),
    "Seasonal-naive-7": ("peer", "naive", {"seasonal": True}),
    "Ridge": ("peer", "ridge", {}),
    "HistGradientBoosting": ("peer", "boosting", {}),
    "DWT-PCA-LSTM-signal": ("ablation", "recurrent",
                            {"denoise": "signal", "pca": True, "cell": "lstm"}),
    "Default-forecaster": ("default", "forecaster", {}),
}


def _group(name):
    return tuple(model for model, (group, _, _) in REGISTRY.items() if group == name)


#: The study's seven models, its proposed one first.
STUDY_MODELS = _group("study")
#: Baselines a user would try first, on the same rows.
PEER_MODELS = _group("peer")
#: The library's recommended forecaster (:func:`~sklearn_hydro.forecasting.make_forecaster`).
DEFAULT_MODEL = _group("default")[0]
#: DWT-PCA-LSTM with its signal branch only: with PCA-LSTM and DWT-PCA-LSTM it tells apart
#: what the wavelet and what the second branch add.
ABLATION_MODELS = _group("ablation")
