"""The names of the study's models and the peers, importable without torch (for the CLI)."""

__all__ = ["ABLATION_MODELS", "DEFAULT_MODEL", "PEER_MODELS", "STUDY_MODELS"]

#: The study's seven models, its proposed one first.
STUDY_MODELS = (
    "DWT-PCA-LSTM",
    "DWT-LSTM",
    "PCA-LSTM",
    "LSTM",
    "DWT-PCA-RNN",
    "DWT-PCA-BP",
    "DWT-PCA-SVM",
)
#: Baselines a user would try first, on the same rows.
PEER_MODELS = ("Persistence", "Seasonal-naive-7", "Ridge", "HistGradientBoosting")
#: The library's recommended forecaster (:func:`~sklearn_hydro.forecasting.make_forecaster`).
DEFAULT_MODEL = "Default-forecaster"
#: DWT-PCA-LSTM with its signal branch only: with PCA-LSTM and DWT-PCA-LSTM it tells apart
#: what the wavelet and what the second branch add.
ABLATION_MODELS = ("DWT-PCA-LSTM-signal",)
