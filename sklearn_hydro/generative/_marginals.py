"""Marginal calibration of generated rows: a quantile map per column, per class.

Each map is a pair of :class:`~sklearn.preprocessing.QuantileTransformer`: one fitted on
generated values, one on training values. A generated value goes through the first to its
uniform rank and through the second's inverse back to the training values at that rank, so
every column's distribution follows the training rows' (point masses included), while the
ranks within each column, and so the dependence between columns, stay the generator's.
"""

import numpy as np
from sklearn.preprocessing import QuantileTransformer

#: Largest number of quantiles per map.
N_QUANTILES = 257


def _quantile_transformer(X):
    n_quantiles = min(N_QUANTILES, len(X))
    return QuantileTransformer(n_quantiles=n_quantiles, subsample=None).fit(X)


def fit_marginal_map(generated, real):
    """The pair of quantile transformers mapping ``generated`` columns onto ``real`` ones."""
    return _quantile_transformer(generated), _quantile_transformer(real)


def apply_marginal_map(pair, U):
    """Map the rows ``U`` through a pair made by :func:`fit_marginal_map`."""
    generated, real = pair
    return real.inverse_transform(generated.transform(U))


def quantile_transformer_from(quantiles):
    """A fitted ``QuantileTransformer`` with the given ``quantiles_`` (for loading)."""
    quantiles = np.asarray(quantiles, dtype=np.float64)
    n_quantiles, n_features = quantiles.shape
    transformer = QuantileTransformer(n_quantiles=n_quantiles, subsample=None)
    transformer.quantiles_ = quantiles
    transformer.references_ = np.linspace(0, 1, n_quantiles, endpoint=True)
    transformer.n_quantiles_ = n_quantiles
    transformer.n_features_in_ = n_features
    return transformer
