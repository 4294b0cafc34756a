"""Safe model files: skops' format (not a pickle), with metadata and a trusted type list."""

from ._model_files import ModelFileError, load_model, save_model

__all__ = ["ModelFileError", "load_model", "save_model"]
