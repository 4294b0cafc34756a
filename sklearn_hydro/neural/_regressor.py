"""DualLSTMRegressor: the study's two-branch recurrent forecaster as a scikit-learn regressor."""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EarlyStopping

from ..utils import (
    N_THREADS_CONSTRAINT,
    FiniteLossCheck,
    TailSplit,
    TensorBatchIterator,
    check_device,
    limit_threads,
    report_fitted,
    seed_from_random_state,
    tail_split_indices,
    torch_seed,
)
from ..utils._sklearn import Interval, StrOptions, _fit_context
from ..windows import remove_row_level
from ._layout import layout_from_length, layout_from_names
from ._modules import CELLS, DualRecurrentNet
from ._net import RegressorNet

# Rows per forward pass at prediction and validation time. Large batches are fast; results do
# not depend on it beyond float32 rounding.
_EVAL_BATCH_SIZE = 4096


def _safe_scale(scale, mean):
    """Replace (near-)zero standard deviations by 1, so constant inputs map to 0."""
    scale = np.asarray(scale, dtype=np.float64)
    tiny = scale <= 10 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(mean))
    return np.where(tiny, 1.0, scale)


class DualLSTMRegressor(RegressorMixin, BaseEstimator):
    """Two-branch recurrent regressor over forecast windows (the study's DWT-PCA-LSTM).

    Branch 1 reads the signal (denoised) lag sequence, branch 2 the residual lag sequence
    (cleaned minus denoised); both also read the static features of the target day (the
    principal components of weather and calendar). The forecast is the sum of the two
    branches' outputs, so branch 2 learns, as "noise", what branch 1 misses. One branch gives
    the plain LSTM baseline and ``cell="rnn"`` the study's DWT-PCA-RNN.

    The network is a :class:`skorch.NeuralNetRegressor` trained with Adam on the mean squared
    error; early stopping, logging and the divergence check are skorch callbacks. Inputs and
    target are scaled internally, so pass raw units.

    Parameters
    ----------
    n_branches : {1, 2}, default=2
        Number of recurrent branches whose outputs are summed.

    sequence_length : int >= 1 or None, default=None
        The layout of ``X`` is read from its column names when it has them (a DataFrame
        from :func:`~sklearn_hydro.make_windows` and the library's transformers):
        ``<target>_lag<k>`` (or ``<target>_lag<k>_denoised``) is branch 1's sequence,
        ``<target>_lag<k>_residual`` branch 2's, ``<other>_lag<k>`` an exogenous channel of
        every step (a past covariate), and every other column a static feature of the target
        day. The columns may come in any order; a mismatch (two branches without residual
        lags, sequences with different lags...) is an error. ``sequence_length`` then only
        checks the number of lags.

        Unnamed arrays need the declared layout

        ``[branch-1 sequence: L columns, oldest -> newest]``
        ``[branch-2 sequence: L columns, only if n_branches == 2]``
        ``[static features: all remaining columns, possibly none]``

        with ``L = sequence_length``; None means there are no static features (the columns
        are split into ``n_branches`` equal sequences).

    target : str or None, default=None
        Name of the target series in the column names, needed only when ``X`` holds past
        covariates and ``y`` is not a Series named after the target.

    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell of every branch (``"rnn"``: Elman RNN with tanh).

    hidden_size : int, default=32
        Width of each branch's recurrent state.

    num_layers : int, default=1
        Stacked recurrent layers per branch.

    dropout : float in [0, 1), default=0.0
        Dropout on the last hidden state (and between stacked layers).

    head_size : int >= 0, default=0
        Width of a hidden ReLU layer in each branch's output head; 0 makes the head linear.

    warm_start : bool, default=False
        A refit of a fitted regressor on windows of the same layout starts from its
        trained weights (and trains until early stopping stops it, usually a few epochs)
        instead of random ones; the scaling is recomputed on the new rows.

    horizon_features : {"own", "all"}, default="own"
        With several outputs (days 1..H of :func:`~sklearn_hydro.make_multi_horizon_windows`,
        whose known-ahead covariates are named ``<name>_h<k>``): ``"own"`` feeds each
        horizon's covariates to that horizon's output only, through one output head shared
        by the horizons (which also reads the horizon's one-hot code); ``"all"`` makes every
        column a static feature of every step and every output.

    learning_rate : float > 0, default=5e-3
        Adam's learning rate.

    weight_decay : float >= 0, default=0.0
        Adam's L2 penalty.

    batch_size : int, default=32
        Rows per training mini-batch (shuffled every epoch).

    max_epochs : int, default=200
        Maximum number of passes over the training rows.

    early_stopping : bool, default=True
        Hold out the last ``validation_fraction`` of the rows passed to ``fit`` (rows are
        assumed to be in time order) and stop when their loss has not improved (by a relative
        1e-4) for ``n_iter_no_change`` epochs; the weights of the best epoch are restored.
        False: ``max_epochs`` epochs on all rows.

    validation_fraction : float in (0, 1), default=0.2
        Share of the rows, taken from the **end**, held out for early stopping.

    n_iter_no_change : int, default=20
        Epochs without improvement of the validation loss before stopping.

    level : {"row", "global"}, default="row"
        Reference level of each row. ``"row"``: the mean of the row's branch-1 sequence (its
        own recent level, known at the forecast origin) is subtracted from that sequence and
        from the target, and added back to the forecast, so the network learns deviations
        from the recent level and follows level shifts it never saw in training.
        ``"global"``: no per-row reference, only the global scaling learned in ``fit``.

    device : str, default="cpu"
        Torch device to train and predict on, e.g. ``"cpu"``, ``"cuda"``.

    n_threads : int >= 1 or None, default=1
        Torch (and OpenMP/BLAS) threads used inside ``fit`` and ``predict``; the caller's
        setting is restored afterwards. One thread is the fastest for networks this small and
        keeps parallel fits (``GridSearchCV(n_jobs=...)``, two notebooks) from slowing each
        other down. None leaves the process's setting as it is.

    verbose : int, default=0
        0 is silent; 1 or more prints skorch's table of losses per epoch.

    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the dropout masks and the shuffling of the batches;
        an int makes two fits (on the CPU) identical. The global torch random state is left as
        it was.

    Attributes
    ----------
    net_ : skorch.NeuralNetRegressor
        The trained net; ``net_.module_`` is the :class:`torch.nn.Module`.

    history_ : skorch.history.History
        Per-epoch record of the fit (``train_loss``, ``valid_loss``, ``dur``...).

    loss_curve_ : ndarray of shape (n_iter_,)
        Training loss per epoch, the mean squared error on the standardized target.

    n_iter_ : int
        Number of epochs run.

    best_epoch_ : int
        Epoch (1-based) whose weights the model holds: the one with the lowest validation
        loss with early stopping, else the last one.

    sequence_length_ : int
        Lag columns per branch used in the fit.

    n_static_ : int
        Number of static feature columns.

    x_mean_, x_scale_ : ndarray of shape (n_features_in_,)
        Centre and scale applied to each column of ``X``: one value per branch sequence
        (pooled over its lags, so each row keeps the shape of its sequence) and per column
        for the static features.

    y_mean_, y_scale_ : ndarray of shape (n_outputs_,)
        Centre and scale of each target column (after the row level is removed).

    layout_ : Layout
        Where each input of the network is in ``X`` (``layout_.order``), found from the
        column names or declared by ``sequence_length``.

    n_exog_ : int
        Number of exogenous sequences (past covariates) read as channels of every step.

    n_outputs_ : int
        Number of target columns (horizons).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during fit, when ``X`` has string column names.

    See Also
    --------
    sklearn.neural_network.MLPRegressor : Feed-forward network regressor.

    Notes
    -----
    *Static features* are concatenated to the input of every time step, as in the study, so
    the recurrent state is conditioned on the target day, **and** to the last hidden state
    before each branch's linear output layer, a direct path for the target day's factors
    (which the lag days did not share).

    *Scaling.* Each branch's sequence is standardized with one mean and standard deviation
    pooled over all its lag values, so a row's lags share one scale and keep their shape; the
    static features are standardized per column and the target with its own mean and
    standard deviation (not branch 1's: the target need not be on the sequence's scale, and
    with two branches no single sequence scale describes their sum). All statistics come from
    the rows passed to ``fit``.

    *Reproducibility.* With an int ``random_state`` two fits on the CPU give identical
    weights. On CUDA some recurrent kernels are not deterministic.

    References
    ----------
    .. [1] Zhou, S., Guo, S., Du, B., Huang, S., Guo, J. (2021). "Deep learning with long
       short-term memory neural networks combining wavelet transform and principal
       component analysis for daily urban water demand forecasting". Expert Systems with
       Applications 171, 114571.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.neural import DualLSTMRegressor
    >>> rng = np.random.default_rng(0)
    >>> signal = np.sin(np.arange(208) / 4)
    >>> noise = 0.05 * rng.standard_normal(208)
    >>> lags = np.lib.stride_tricks.sliding_window_view(signal, 8)[:200]
    >>> residuals = np.lib.stride_tricks.sliding_window_view(noise, 8)[:200]
    >>> X = np.hstack([lags, residuals])
    >>> y = signal[8:] + noise[8:]
    >>> model = DualLSTMRegressor(hidden_size=8, max_epochs=20, random_state=0).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
    >>> model.score(X, y) > 0.8
    True
    """

    _parameter_constraints: dict = {
        "n_branches": [Interval(Integral, 1, 2, closed="both")],
        "sequence_length": [Interval(Integral, 1, None, closed="left"), None],
        "target": [str, None],
        "cell": [StrOptions(set(CELLS))],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "head_size": [Interval(Integral, 0, None, closed="left")],
        "horizon_features": [StrOptions({"own", "all"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "level": [StrOptions({"row", "global"})],
        "device": [str],
        "n_threads": N_THREADS_CONSTRAINT,
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        n_branches=2,
        sequence_length=None,
        target=None,
        cell="lstm",
        hidden_size=32,
        num_layers=1,
        dropout=0.0,
        head_size=0,
        horizon_features="own",
        learning_rate=5e-3,
        weight_decay=0.0,
        batch_size=32,
        max_epochs=200,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=20,
        level="row",
        device="cpu",
        n_threads=1,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.n_branches = n_branches
        self.sequence_length = sequence_length
        self.target = target
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.head_size = head_size
        self.horizon_features = horizon_features
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.level = level
        self.warm_start = warm_start
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose
        self.random_state = random_state

    def _warm_weights(self, layout, n_outputs):
        """The trained weights to start from, with ``warm_start`` and the same layout."""
        net = self.__dict__.get("net_")
        if not self.warm_start or net is None or not hasattr(net, "initialized_"):
            return None
        same = (self.layout_.sequence_length, self.layout_.n_exog, self.layout_.n_static,
                self.layout_.n_horizon_static, self.n_outputs_) == (
            layout.sequence_length, layout.n_exog, layout.n_static, layout.n_horizon_static,
            n_outputs)
        if not same:
            return None  # the columns changed: a cold start
        return {k: v.detach().clone() for k, v in net.module_.state_dict().items()}

    def _find_layout(self, n_features, y_name, n_outputs=1):
        """The :class:`Layout` of ``X``: from its column names if it has lag names."""
        names = getattr(self, "feature_names_in_", None)
        layout = None
        if names is not None:
            own = n_outputs if self.horizon_features == "own" else 1
            layout = layout_from_names(list(names), self.n_branches, self.target, y_name,
                                       n_outputs=own)
        if layout is None:
            if self.target is not None:
                raise ValueError(
                    f"target={self.target!r} is set but X has no column names like "
                    f"'{self.target}_lag1' to find it in"
                )
            return layout_from_length(n_features, self.n_branches, self.sequence_length)
        if self.sequence_length is not None and self.sequence_length != layout.sequence_length:
            raise ValueError(
                f"sequence_length={self.sequence_length}, but the column names hold "
                f"{layout.sequence_length} lags of {layout.target!r}; select the lags you want "
                "first (LagSelector(lookback=...)) or leave sequence_length=None"
            )
        return layout

    @staticmethod
    def _column_scaling(X, layout):
        """Centre and scale per column: pooled per sequence, per column for the statics."""
        length, n_seq = layout.sequence_length, layout.n_sequences * layout.sequence_length
        mean = np.empty(X.shape[1])
        scale = np.empty(X.shape[1])
        for start in range(0, n_seq, length):
            block = X[:, start : start + length]
            mean[start : start + length] = np.nanmean(block, dtype=np.float64)
            scale[start : start + length] = np.nanstd(block, dtype=np.float64)
        mean[n_seq:] = X[:, n_seq:].mean(axis=0, dtype=np.float64)
        scale[n_seq:] = X[:, n_seq:].std(axis=0, dtype=np.float64)
        return mean, _safe_scale(scale, mean)

    def _ordered(self, X, layout):
        """``X`` (float64) in the network's column order, each row's level removed, the level.

        The level is the mean of the branch-1 sequence for ``level="row"``, else zero.
        """
        X = np.asarray(X, dtype=np.float64)[:, layout.order]
        if self.level == "row":
            return remove_row_level(X, layout.sequence_length)
        return X, np.zeros(X.shape[0])

    def _scale_X(self, X):
        """The network's input for ``X`` (float32), and the level to add back."""
        X, level = self._ordered(X, self.layout_)
        return ((X - self.x_mean_) / self.x_scale_).astype(np.float32), level

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network on forecast windows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows in time order; a DataFrame with window column names, or an array laid out as
            described by ``sequence_length``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target, in raw units; one column per horizon for a multi-horizon forecaster.

        Returns
        -------
        self : DualLSTMRegressor
            The fitted estimator.

        Raises
        ------
        ValueError
            If the columns of ``X`` do not fit the layout (see ``sequence_length``),
            ``validation_fraction`` leaves no training row, or ``device`` is unavailable.
        FloatingPointError
            If the training diverges: the loss becomes NaN, inf or larger than 1e6 (it is the
            mean squared error of the standardized target, about 1 for a constant forecast).
        """
        y_name = getattr(y, "name", None)
        X, y = validate_data(
            self, X, y, dtype=[np.float64, np.float32], y_numeric=True, multi_output=True
        )
        n_samples, n_features = X.shape
        layout = self._find_layout(n_features, y_name,
                                   1 if np.ndim(y) == 1 else np.shape(y)[1])
        check_device(self.device)
        early = self.early_stopping
        if early:
            tail_split_indices(n_samples, self.validation_fraction)  # fail early, clearly

        y = np.asarray(y, dtype=np.float64)
        y_2d = y.reshape(n_samples, -1)
        X, level = self._ordered(X, layout)
        x_mean, x_scale = self._column_scaling(X, layout)
        y_2d = y_2d - level[:, None]
        y_mean = y_2d.mean(axis=0)
        y_scale = _safe_scale(y_2d.std(axis=0), y_mean)
        X_scaled = ((X - x_mean) / x_scale).astype(np.float32)
        # skorch's MSELoss needs a 2-D target to match the (n, n_outputs) module output.
        y_scaled = ((y_2d - y_mean) / y_scale).astype(np.float32)

        seed = seed_from_random_state(self.random_state)
        # The loss is the MSE of the standardized target: about 1 for a constant forecast, so a
        # value above 1e6 means the weights have blown up even when it is still finite.
        check = FiniteLossCheck(max_loss=1e6, hint="lower learning_rate")
        callbacks = [("finite_loss", check)]
        if early:
            callbacks.append(
                ("early_stopping", EarlyStopping(patience=self.n_iter_no_change, load_best=True))
            )
        extra = {} if self.verbose else {"callbacks__print_log": None}
        net = RegressorNet(
            module=DualRecurrentNet,
            module__sequence_length=layout.sequence_length,
            module__n_static=layout.n_static,
            module__n_branches=self.n_branches,
            module__n_exog=layout.n_exog,
            module__cell=self.cell,
            module__hidden_size=self.hidden_size,
            module__num_layers=self.num_layers,
            module__dropout=self.dropout,
            module__head_size=self.head_size,
            module__n_outputs=y_2d.shape[1],
            module__n_horizon_static=layout.n_horizon_static,
            optimizer=torch.optim.Adam,
            lr=self.learning_rate,
            optimizer__weight_decay=self.weight_decay,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=TensorBatchIterator,
            iterator_train__shuffle=True,
            iterator_train__seed=seed,
            iterator_valid=TensorBatchIterator,
            iterator_valid__batch_size=_EVAL_BATCH_SIZE,
            train_split=TailSplit(self.validation_fraction) if early else None,
            callbacks=callbacks,
            device=self.device,
            verbose=self.verbose,
            **extra,
        )
        previous = self._warm_weights(layout, y_2d.shape[1])
        with limit_threads(self.n_threads), torch_seed(seed, self.device):
            if previous is not None:  # continue from the last fit's weights
                net.set_params(warm_start=True)
                net.initialize()
                net.module_.load_state_dict(previous)
            net.fit(X_scaled, y_scaled)

        # Fitted attributes are set only once training has succeeded.
        self.layout_ = layout
        self.sequence_length_, self.n_static_ = layout.sequence_length, layout.n_static
        self.n_exog_ = layout.n_exog
        self.n_outputs_ = y_2d.shape[1]
        self._y_1d = y.ndim == 1
        self.x_mean_, self.x_scale_ = x_mean, x_scale
        self.y_mean_, self.y_scale_ = y_mean, y_scale
        self.net_ = net
        self.history_ = net.history
        self.loss_curve_ = np.asarray(net.history[:, "train_loss"], dtype=np.float64)
        self.n_iter_ = len(net.history)
        if early:
            self.best_epoch_ = int(dict(net.callbacks_)["early_stopping"].best_epoch_)
        else:
            self.best_epoch_ = self.n_iter_
        report_fitted()
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags

    def __sklearn_is_fitted__(self):
        # A fit that failed after validate_data (e.g. a diverging one) leaves n_features_in_
        # behind; only a trained net makes the estimator fitted.
        return hasattr(self, "net_")

    def predict(self, X):
        """Forecast the target for each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows with the same column layout as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Forecasts in the target's raw units (2-D when ``y`` was 2-D in ``fit``).
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        X_scaled, level = self._scale_X(X)
        with limit_threads(self.n_threads):
            output = self.net_.predict(X_scaled)
        pred = output.astype(np.float64) * self.y_scale_ + self.y_mean_ + level[:, None]
        return pred[:, 0] if self._y_1d else pred
