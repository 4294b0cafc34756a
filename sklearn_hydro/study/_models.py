"""The seven models of the study, and the peers a user would try first, by name.

Every model is an ordinary scikit-learn Pipeline over the rows of
:func:`~sklearn_hydro.make_windows`: a ColumnTransformer routes the lag block (outlier
smoothing, then wavelet denoising for the "DWT" models) and the covariate block (imputation,
scaling, then PCA for the "PCA" models) to the regressor. Nothing is fitted on anything but
the rows given to ``fit``, so GridSearchCV with TimeSeriesSplit works on each of them.
"""

from sklearn.compose import (
    TransformedTargetRegressor,
    make_column_selector,
    make_column_transformer,
)
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import RidgeCV
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

from ..forecasting import (
    RIDGE_ALPHAS,
    RowLevelRegressor,
    SeasonalNaiveRegressor,
    make_forecaster,
)
from ..neural import DualLSTMRegressor
from ..preprocessing import SigmaOutlierSmoother, WaveletDenoiser
from ..windows import LagSelector, make_window_transformer
from ._names import ABLATION_MODELS, DEFAULT_MODEL, PEER_MODELS, REGISTRY, STUDY_MODELS

__all__ = [
    "ABLATION_MODELS",
    "DEFAULT_MODEL",
    "PEER_MODELS",
    "STUDY_MODELS",
    "make_study_model",
]

def _covariate_block(pca, n_components):
    steps = [SimpleImputer(strategy="median"), StandardScaler()]
    if pca:
        steps.append(PCA(n_components=n_components))
    return make_pipeline(*steps)


def _lag_block(denoise, wavelet, level, predenoised):
    output = "denoised" if denoise == "signal" else "both"
    if predenoised:
        # whole-series protocol: the lag block already holds denoised and residual lags
        return "passthrough" if output == "both" else _keep_denoised()
    steps = [SigmaOutlierSmoother(n_sigma=3.0)]
    if denoise:
        steps.append(WaveletDenoiser(wavelet=wavelet, level=level, output=output))
    return make_pipeline(*steps)


def _keep_denoised():
    return make_column_transformer(
        ("passthrough", make_column_selector(pattern="_denoised$")),
        verbose_feature_names_out=False,
    )


def make_study_model(
    name,
    *,
    lookback=28,
    horizon=1,
    n_components=0.9,
    wavelet="db4",
    wavelet_level=None,
    random_state=None,
    neural_params=None,
    level="row",
    predenoised=False,
    target=None,
):
    """Build one of the study's models (or a peer) as a Pipeline over forecast windows.

    =========================  ===================================================================
    name                       what it is
    =========================  ===================================================================
    ``DWT-PCA-LSTM``           the study's model: smoothed lags -> DWT (signal and residual) ->
                               two LSTM branches, both fed the PCs of the covariates; outputs summed
    ``DWT-LSTM``               the same with the scaled raw covariates instead of PCs
    ``PCA-LSTM``               no DWT: one LSTM on the smoothed lags plus the PCs
    ``LSTM``                   no DWT, no PCA: one LSTM on the smoothed lags plus raw covariates
    ``DWT-PCA-RNN``            DWT-PCA-LSTM with simple RNN cells
    ``DWT-PCA-BP``             MLP with one hidden layer of 20 nodes on signal + residual lags + PCs
    ``DWT-PCA-SVM``            RBF support vector regression, C=10, on the same features
    ``Persistence``            the newest raw lag (``horizon`` steps before the target day)
    ``Seasonal-naive-7``       the raw value on the same weekday one week before
    ``Ridge``                  RidgeCV on the smoothed lags plus scaled covariates
    ``HistGradientBoosting``   gradient boosting on the raw lags plus covariates (NaN handled)
    ``DWT-PCA-LSTM-signal``    ablation: DWT-PCA-LSTM with the signal branch only
    ``Default-forecaster``     :func:`make_forecaster` (its LSTM reads at most 14 lags, and past
                               covariates when the windows hold them)
    =========================  ===================================================================

    The BP and SVM models see the same signal and residual lags as the two-branch networks
    (the study does not say how its single-output baselines used the DWT; feeding both blocks
    gives them the same information). The BP, SVM and Ridge models standardise the target.

    Parameters
    ----------
    name : str
        One of :data:`STUDY_MODELS` or :data:`PEER_MODELS`.
    lookback : int, default=28
        Lags the model reads: the pipeline's first step, ``LagSelector(lookback)``, keeps the
        newest ``lookback`` lags of windows built with at least as many, so GridSearchCV can
        tune ``lags__lookback``.
    horizon : int, default=1
        Forecast horizon of the windows; only the seasonal naive model needs it.
    n_components : int or float, default=0.9
        PCA components (an int) or explained-variance fraction (a float in (0, 1)).
    wavelet : str, default="db4"
        Wavelet of the denoiser.
    wavelet_level : int or None, default=None
        Decomposition level (None: the most the lookback allows).
    random_state : int or None, default=None
        Seed of the stochastic models.
    level : {"row", "global"}, default="row"
        ``"row"``: the study's models forecast deviations from each window's own level (the
        mean of its first lag block), which keeps them right after level shifts; the
        networks do it internally (``DualLSTMRegressor(level="row")``), BP and SVM through
        :class:`~sklearn_hydro.RowLevelRegressor`. ``"global"``: absolute values, as in the
        study. The peers are unaffected.
    neural_params : dict or None, default=None
        Extra parameters for :class:`~sklearn_hydro.DualLSTMRegressor` (e.g.
        ``{"max_epochs": 30}`` for a quick look).
    predenoised : bool, default=False
        For the study's leaky whole-series protocol only: the lag block already holds the
        denoised and residual lags, so the DWT models skip smoothing and denoising. Never use
        it with windows of a raw series.
    target : str or None, default=None
        Name of the target series; needed only for windows that also hold past covariates
        (which the study's models and the peers leave out).

    Returns
    -------
    Pipeline

    Examples
    --------
    >>> from sklearn_hydro.study import make_study_model
    >>> model = make_study_model("DWT-PCA-SVM", lookback=14)
    >>> [name for name, _ in model.steps]
    ['lags', 'windows', 'regressor']
    """
    if level not in ("row", "global"):
        raise ValueError(f"level must be 'row' or 'global', got {level!r}")
    if name not in REGISTRY:
        raise ValueError(f"unknown model {name!r}; choose from {list(REGISTRY)}")
    _, builder, options = REGISTRY[name]
    context = {"lookback": lookback, "horizon": horizon, "n_components": n_components,
               "wavelet": wavelet, "wavelet_level": wavelet_level,
               "random_state": random_state, "neural_params": dict(neural_params or {}),
               "level": level, "predenoised": predenoised, "target": target}
    built = _BUILDERS[builder](context, **options)
    if not isinstance(built, tuple):
        return built  # a whole model (the default forecaster)
    lags, covariates, regressor = built
    windows = make_window_transformer(lags, covariates, past_covariates="drop", target=target)
    return Pipeline(
        [("lags", LagSelector(lookback)), ("windows", windows), ("regressor", regressor)]
    )


# The builders: (context, **options) -> (lag block, covariate block, regressor) of the
# window pipeline, or a whole model.


def _study_blocks(context, denoise, pca):
    lags = _lag_block(denoise, context["wavelet"], context["wavelet_level"],
                      context["predenoised"] and denoise)
    return lags, _covariate_block(pca, context["n_components"])


def _recurrent(context, *, denoise, pca, cell):
    regressor = DualLSTMRegressor(n_branches=2 if denoise is True else 1, cell=cell,
                                  random_state=context["random_state"], level=context["level"],
                                  **context["neural_params"])
    return (*_study_blocks(context, denoise, pca), regressor)


def _row_level(regressor, context):
    return RowLevelRegressor(regressor) if context["level"] == "row" else regressor


def _mlp(context, *, denoise, pca):
    mlp = MLPRegressor(hidden_layer_sizes=(20,), max_iter=2000, early_stopping=False,
                       random_state=context["random_state"])
    regressor = _scaled_target(make_pipeline(StandardScaler(), mlp))
    return (*_study_blocks(context, denoise, pca), _row_level(regressor, context))


def _svm(context, *, denoise, pca):
    regressor = _scaled_target(make_pipeline(StandardScaler(), SVR(kernel="rbf", C=10.0)))
    return (*_study_blocks(context, denoise, pca), _row_level(regressor, context))


def _naive(context, *, seasonal):
    if not seasonal:
        return "passthrough", "drop", SeasonalNaiveRegressor(lag=1)
    horizon, lookback = context["horizon"], context["lookback"]
    if not 1 <= horizon <= 7 or lookback < 8 - horizon:
        raise ValueError(
            f"Seasonal-naive-7 needs 1 <= horizon <= 7 and lookback >= {8 - horizon}"
        )
    return "passthrough", "drop", SeasonalNaiveRegressor(lag=7 - horizon + 1)


def _ridge(context):
    regressor = _scaled_target(make_pipeline(StandardScaler(), RidgeCV(alphas=RIDGE_ALPHAS)))
    return SigmaOutlierSmoother(), _covariate_block(False, context["n_components"]), regressor


def _boosting(context):
    regressor = HistGradientBoostingRegressor(random_state=context["random_state"])
    return "passthrough", "passthrough", regressor


def _forecaster(context):
    lookback = context["lookback"]
    return make_forecaster(lookback=lookback, sequence_length=min(lookback, 14),
                           target=context["target"], random_state=context["random_state"],
                           **context["neural_params"])


_BUILDERS = {"recurrent": _recurrent, "mlp": _mlp, "svm": _svm, "naive": _naive,
             "ridge": _ridge, "boosting": _boosting, "forecaster": _forecaster}


def _scaled_target(regressor):
    return TransformedTargetRegressor(regressor=regressor, transformer=StandardScaler())
