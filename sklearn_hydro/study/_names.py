"""The names of the study's models and the peers, importable without torch (for the CLI)."""

__all__ = ["PEER_MODELS", "STUDY_MODELS"]

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
