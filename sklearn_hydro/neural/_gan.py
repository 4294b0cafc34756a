"""GANSampler: a scikit-learn density estimator trained adversarially with skorch.

The training loop is skorch's (callbacks, history, progress, device handling); the GAN lives
in :class:`_GANNet` (module ``_gan_net``), a :class:`skorch.NeuralNet` with two modules
(``module_`` is the generator, ``discriminator_`` the discriminator), two optimizers and a
``train_step`` that does one discriminator update and one generator update per batch.
:class:`GANSampler` wraps that net by composition and adds what skorch does not do: input
validation, scaling to the generator's range and back, seeding, a quality score, early
stopping on that score, and a pickle-free save/load.
"""

import math
import numbers

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import PrintLog, ProgressBar
from skorch.dataset import Dataset
from torch import nn

from ..metrics._sample_quality import (
    _median_gamma,
    classifier_two_sample_score,
    frechet_distance,
    maximum_mean_discrepancy,
)
from ._gan_modules import ConvDiscriminator, Generator, MLPDiscriminator
from ._gan_net import (
    _Diversity,
    _GANNet,
    _QualityStopping,
    _TimeLimit,
    _torch_threads,
)
from ._training import TensorBatchIterator, seed_from_random_state, torch_seed

__all__ = ["GANSampler"]

_SAVE_FORMAT = "sklearn_hydro.GANSampler"
_SAVE_VERSION = 2  # 2: marginal calibration quantiles
_GENERATE_BATCH = 4096
# Marginal calibration: quantiles on this many evenly spaced probabilities, estimated from
# max(_CALIBRATION_MIN, min(_CALIBRATION_FACTOR * n_rows, _CALIBRATION_MAX)) generated rows
# per class (per sampler when unconditional).
_N_QUANTILES = 257
_CALIBRATION_FACTOR = 4
_CALIBRATION_MIN = 2000
_CALIBRATION_MAX = 20_000
# Fewer generator steps than this and an (almost) untrained generator is expected to have a
# small spread (its BatchNorm running statistics are still near their initial values), so
# the collapse check would only raise false alarms.
_COLLAPSE_MIN_STEPS = 200
_EPOCH_KEYS = ["g_loss", "d_loss", "d_real", "d_fake", "diversity", "valid_score", "dur"]


# ----------------------------------------------------------------------------- the estimator


def _check_sizes(name, value, *, length=None, allow_empty=False):
    """A tuple of positive ints (hidden sizes, image shapes); raise a clear error otherwise."""
    sizes = tuple(value) if isinstance(value, (tuple, list)) else None
    ok = sizes is not None and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0 for v in sizes
    )
    if ok and length is not None:
        ok = len(sizes) in length
    if ok and not allow_empty:
        ok = len(sizes) > 0
    if not ok:
        what = f"of length {' or '.join(map(str, length))} " if length else ""
        raise ValueError(
            f"The '{name}' parameter of GANSampler must be a tuple {what}of positive ints"
            f"{'' if not allow_empty else ' (may be empty)'}, got {value!r}."
        )
    return tuple(int(v) for v in sizes)


class GANSampler(BaseEstimator):
    """Generative adversarial network that learns to sample rows like the training rows.

    A density estimator in scikit-learn's style: ``fit(X)`` trains a generator against a
    discriminator on any numeric table (flattened images, demand windows, ...);
    ``sample(n_samples)`` returns new rows in ``X``'s original units; ``score(X)`` returns a
    seeded quality score of the sampler against real rows (higher is better), so that
    :class:`~sklearn.model_selection.GridSearchCV` can tune it. With ``conditional=True``,
    ``fit(X, y)`` learns one distribution per class and ``sample(n, y=...)`` draws from the
    asked classes.

    The networks and the training follow the GAN tutorial on handwritten digits: a generator
    of ``Linear -> BatchNorm1d -> Dropout -> LeakyReLU(0.2)`` blocks ending in ``Tanh``, fed
    Gaussian noise; a discriminator ending in a sigmoid; binary cross-entropy; AdamW for both;
    one-sided label smoothing (real targets drawn in ``[1 - label_smoothing, 1]``) and a
    ``label_swap_prob`` chance per batch of swapping the real and fake targets of the
    discriminator. Training runs in skorch (callbacks, history, progress bar, device).

    Parameters
    ----------
    latent_dim : int, default=64
        Size of the Gaussian noise fed to the generator (the tutorial uses 256 for MNIST).
    generator_hidden : tuple of int, default=(128, 256, 512)
        Width of each generator block.
    discriminator : {"mlp", "conv"}, default="mlp"
        ``"mlp"``: ``Linear -> LeakyReLU -> Dropout`` blocks of ``discriminator_hidden``
        units. ``"conv"``: image mode, the rows are reshaped to ``image_shape`` and go through
        stride-2 convolutions of ``conv_channels`` channels, then the linear blocks.
    discriminator_hidden : tuple of int, default=(512, 256)
        Width of each linear discriminator block (may be empty for ``"conv"``).
    conv_channels : tuple of int, default=(32, 64)
        Channels of each convolution block (``discriminator="conv"`` only).
    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(channels, height, width)`` of the images, whose product must
        equal the number of columns. Required by ``discriminator="conv"``.
    generator_dropout : float in [0, 1), default=0.0
        Dropout of the generator blocks. The tutorial's generator has dropout; it is off by
        default here because it made samples (drawn in eval mode) noisier on the digits.
    discriminator_dropout : float in [0, 1), default=0.3
        Dropout of the discriminator blocks.
    lr_generator : float, default=1e-3
        AdamW learning rate of the generator (the tutorial uses 1e-4 with more epochs).
    lr_discriminator : float, default=1e-3
        AdamW learning rate of the discriminator.
    weight_decay : float, default=1e-6
        AdamW weight decay of both networks.
    betas : tuple of float, default=(0.5, 0.999)
        AdamW coefficients of both networks (``(0.9, 0.999)`` is AdamW's default).
    label_smoothing : float in [0, 1), default=0.1
        One-sided label smoothing: the discriminator's real targets are drawn uniformly in
        ``[1 - label_smoothing, 1]``.
    label_swap_prob : float in [0, 1], default=0.05
        Probability, per batch, of swapping the real and fake targets of the discriminator.
    generator_ema : float in [0, 1), default=0.99
        Decay of an exponential moving average of the generator's weights, updated after
        every generator step; samples come from the averaged generator, whose outputs are
        less noisy than those of the last step (Yazici et al., ICLR 2019). 0 samples from
        the trained generator itself, as in the tutorial.
    batch_size : int, default=128
        Rows per batch (a last batch of one row is skipped: BatchNorm needs two).
    max_epochs : int, default=300
        Number of epochs (passes over the rows) per call to ``fit``.
    max_time : float, default=None
        If set, stop after the first epoch that ends once ``max_time`` seconds of training
        have passed.
    conditional : bool, default=False
        Learn one distribution per class of ``y`` (both networks receive the one-hot class).
        Otherwise ``y`` is ignored.
    round_integers : bool, default=True
        Round the generated values of columns whose training values are all integers (pixel
        intensities, counts), so samples share the data's support.
    calibrate_marginals : bool, default=True
        After training, match each column's distribution of generated values to that of
        the training rows with a monotone per-column map (per class if conditional), applied
        in :meth:`sample` before rounding. See Notes.
    scoring : {"c2st", "mmd", "frechet"}, default="c2st"
        Quality score returned by :meth:`score` (see Notes).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows, score the sampler on them every
        ``validation_interval`` epochs, stop after ``n_iter_no_change`` checks without
        improvement and keep the weights of the best check.
    validation_fraction : float in (0, 1), default=0.1
        Share of the rows held out for early stopping (stratified by class if conditional).
    n_iter_no_change : int, default=5
        Patience of early stopping, in checks.
    validation_interval : int, default=10
        Epochs between two checks of early stopping.
    collapse_tol : float, default=0.05
        ``fit`` raises a ``RuntimeError`` if the final generator's diversity (see
        ``loss_history_``) is below this value: a collapsed generator. Checked once the
        generator has taken at least 200 steps (an untrained generator has a small spread
        too); 0 disables the check.
    device : str, default="cpu"
        Torch device of the networks (``"cuda"``, ``"cuda:1"``, ...).
    n_jobs : int, default=None
        Number of torch CPU threads while fitting, sampling and scoring (restored afterwards);
        -1 means all cores, None leaves torch's setting. Small networks train fastest on 1
        thread, and on a busy machine several threads can be many times slower.
    verbose : int, default=0
        0: silent; 1: one line per epoch (skorch's ``PrintLog``); 2: also a progress bar.
    warm_start : bool, default=False
        If True and already fitted, ``fit`` continues training the same networks for
        ``max_epochs`` more epochs (or ``max_time`` more seconds), keeping the scaling and
        classes learned by the first fit.
    random_state : int, RandomState instance or None, default=None
        Seeds the networks' initialisation, the noise, the label tricks, the shuffling, the
        default of ``sample`` and the score. Pass an int for reproducible results.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained skorch net (``net_.history`` holds every epoch and batch).
    generator_ : torch.nn.Module
        The generator that samples: the weight average ``net_.module_ema_`` when
        ``generator_ema > 0``, else the trained generator ``net_.module_``.
    discriminator_ : torch.nn.Module
        The trained discriminator (``net_.discriminator_``).
    data_min_ : ndarray of shape (n_features_in_,)
        Per-column minimum of the training rows (maps to -1).
    data_max_ : ndarray of shape (n_features_in_,)
        Per-column maximum of the training rows (maps to 1); constant columns are generated
        as their constant.
    integer_columns_ : ndarray of bool of shape (n_features_in_,)
        Columns rounded in :meth:`sample` (all False unless ``round_integers``).
    generated_quantiles_ : ndarray of shape (n_groups, 257, n_features_in_) or None
        Quantiles of the generated values per column, in the scaled space [-1, 1], at 257
        evenly spaced probabilities; ``n_groups`` is ``len(classes_)`` if conditional, else
        1. None unless ``calibrate_marginals``.
    data_quantiles_ : ndarray of shape (n_groups, 257, n_features_in_) or None
        Quantiles of the training values at the same probabilities (scaled space).
        None unless ``calibrate_marginals``.
    classes_ : ndarray of shape (n_classes,)
        Class labels (conditional only).
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies of the training rows, used by ``sample(y=None)`` (conditional only).
    loss_history_ : pandas.DataFrame
        One row per epoch (index ``epoch``): ``g_loss`` and ``d_loss`` (mean batch losses),
        ``d_real`` and ``d_fake`` (mean discriminator outputs on real and generated rows),
        ``diversity`` (see ``collapse_tol``), ``dur`` (seconds) and, with early stopping,
        ``valid_score`` on the epochs it was computed.
    n_iter_ : int
        Number of epochs trained in total.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen during fit, when ``X`` has string column names.

    See Also
    --------
    sklearn.neighbors.KernelDensity : Non-parametric density estimator with ``sample``.
    sklearn_hydro.metrics.classifier_two_sample_score : The default quality metric.

    Notes
    -----
    Scores, computed on the rows mapped to [-1, 1] by the scaling learned in fit, against
    ``len(X)`` rows sampled with a seed fixed by ``random_state`` (0 if None) and, for a
    conditional sampler scored with ``y``, with the one-hot class appended to both samples:

    - ``"c2st"``: :math:`1 - 2\\,|a - 0.5|` where :math:`a` is the 5-fold
      :func:`~sklearn_hydro.metrics.classifier_two_sample_score` (random forest accuracy at
      telling real from generated rows). 1 when the classifier is at chance, 0 when it
      separates them perfectly.
    - ``"mmd"``: :math:`-\\mathrm{MMD}^2` (biased estimate, RBF kernel whose bandwidth is the
      median heuristic on the real rows only, so it is the same for every sampler).
    - ``"frechet"``: minus the Fréchet distance on 10 PCA features fitted on the real rows.

    Marginal calibration (``calibrate_marginals=True``): at the end of every ``fit`` (warm
    starts included) a seeded sample of ``max(2000, min(4 * n_rows, 20000))`` rows is drawn
    from the generator (per class, with ``n_rows`` that class's training rows, when
    conditional) and the quantiles of each column, generated and training, are stored on a
    grid of 257 probabilities. :meth:`sample` (and so :meth:`score`) maps every generated
    value through the piecewise-linear map from the generated quantiles to the training
    quantiles (``np.interp``; values beyond the generated range go to the training
    extremes), i.e. a quantile mapping. The marginals then follow the training rows',
    point masses included (e.g. the many pixels at exactly 0 or 16 that a ``Tanh`` output
    rarely reaches), while the dependence between columns still comes from the generator:
    the map is monotone per column, so it keeps the ranks of each column's values.
    Constant columns stay constant. The early-stopping scores computed during training are
    on uncalibrated rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.neural._gan import GANSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(loc=[0.0, 5.0], scale=[1.0, 2.0], size=(200, 2))
    >>> sampler = GANSampler(latent_dim=4, generator_hidden=(16,), discriminator_hidden=(16,),
    ...                      max_epochs=5, random_state=0).fit(X)
    >>> sampler.sample(3).shape
    (3, 2)
    >>> sampler.loss_history_.shape[0]
    5
    >>> bool(0.0 <= sampler.score(X) <= 1.0)
    True
    """

    _parameter_constraints = {
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "generator_hidden": [tuple, list],
        "discriminator": [StrOptions({"mlp", "conv"})],
        "discriminator_hidden": [tuple, list],
        "conv_channels": [tuple, list],
        "image_shape": [tuple, list, None],
        "generator_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "discriminator_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "lr_generator": [Interval(numbers.Real, 0, None, closed="neither")],
        "lr_discriminator": [Interval(numbers.Real, 0, None, closed="neither")],
        "weight_decay": [Interval(numbers.Real, 0, None, closed="left")],
        "betas": [tuple, list],
        "label_smoothing": [Interval(numbers.Real, 0, 1, closed="left")],
        "label_swap_prob": [Interval(numbers.Real, 0, 1, closed="both")],
        "generator_ema": [Interval(numbers.Real, 0, 1, closed="left")],
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_time": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "conditional": ["boolean"],
        "round_integers": ["boolean"],
        "calibrate_marginals": ["boolean"],
        "scoring": [StrOptions({"c2st", "mmd", "frechet"})],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation_interval": [Interval(numbers.Integral, 1, None, closed="left")],
        "collapse_tol": [Interval(numbers.Real, 0, None, closed="left")],
        "device": [str, torch.device],
        "n_jobs": [
            Interval(numbers.Integral, 1, None, closed="left"),
            Interval(numbers.Integral, None, -1, closed="right"),
            None,
        ],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        latent_dim=64,
        generator_hidden=(128, 256, 512),
        discriminator="mlp",
        discriminator_hidden=(512, 256),
        conv_channels=(32, 64),
        image_shape=None,
        generator_dropout=0.0,
        discriminator_dropout=0.3,
        lr_generator=1e-3,
        lr_discriminator=1e-3,
        weight_decay=1e-6,
        betas=(0.5, 0.999),
        label_smoothing=0.1,
        label_swap_prob=0.05,
        generator_ema=0.99,
        batch_size=128,
        max_epochs=300,
        max_time=None,
        conditional=False,
        round_integers=True,
        calibrate_marginals=True,
        scoring="c2st",
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        validation_interval=10,
        collapse_tol=0.05,
        device="cpu",
        n_jobs=None,
        verbose=0,
        warm_start=False,
        random_state=None,
    ):
        self.latent_dim = latent_dim
        self.generator_hidden = generator_hidden
        self.discriminator = discriminator
        self.discriminator_hidden = discriminator_hidden
        self.conv_channels = conv_channels
        self.image_shape = image_shape
        self.generator_dropout = generator_dropout
        self.discriminator_dropout = discriminator_dropout
        self.lr_generator = lr_generator
        self.lr_discriminator = lr_discriminator
        self.weight_decay = weight_decay
        self.betas = betas
        self.label_smoothing = label_smoothing
        self.label_swap_prob = label_swap_prob
        self.generator_ema = generator_ema
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.max_time = max_time
        self.conditional = conditional
        self.round_integers = round_integers
        self.calibrate_marginals = calibrate_marginals
        self.scoring = scoring
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.validation_interval = validation_interval
        self.collapse_tol = collapse_tol
        self.device = device
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.warm_start = warm_start
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = bool(self.conditional)
        tags.non_deterministic = str(self.device).startswith("cuda")
        return tags

    # ------------------------------------------------------------------ fit

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the generator and the discriminator on the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows (at least 2), finite numbers.
        y : array-like of shape (n_samples,), default=None
            Class labels; required when ``conditional=True``, ignored otherwise.

        Returns
        -------
        self : GANSampler
            The fitted sampler.

        Raises
        ------
        RuntimeError
            If training diverged (the discriminator returned NaN) or the generator collapsed
            (its diversity ended below ``collapse_tol``).
        """
        warm = self.warm_start and hasattr(self, "net_")
        if self.conditional:
            if y is None:
                raise ValueError(
                    "GANSampler(conditional=True) requires y to be passed, but the target y "
                    "is None: pass the class labels."
                )
            X, y = validate_data(
                self, X, y, reset=not warm, dtype=np.float64, ensure_min_samples=2
            )
            check_classification_targets(y)
        else:
            X = validate_data(self, X, reset=not warm, dtype=np.float64, ensure_min_samples=2)
        spec = self._check_architecture(X.shape[1])

        if warm:
            codes = self._encode(y) if self.conditional else None
        else:
            data_min, data_max = X.min(axis=0), X.max(axis=0)
            integer = np.all(X == np.round(X), axis=0) & self.round_integers
            classes, prior, codes = None, None, None
            if self.conditional:
                classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
                prior = counts / counts.sum()
        scaling = (self.data_min_, self.data_max_) if warm else (data_min, data_max)
        Xs = _to_unit(X, *scaling).astype(np.float32)

        rng = check_random_state(self.random_state)
        seed = seed_from_random_state(rng)
        if warm:  # continue with fresh noise and shuffles rather than replaying the first fit
            seed = (seed + 7919 * self.n_iter_) % np.iinfo(np.int32).max
        n_classes = len(self.classes_ if warm else classes) if self.conditional else 0
        train, valid = self._split(len(Xs), codes, rng)
        if len(train) < 2:
            raise ValueError(
                f"GANSampler needs at least 2 training rows after holding out "
                f"validation_fraction={self.validation_fraction}; got {len(train)}."
            )
        X_train = Xs[train]
        codes_train = None if codes is None else codes[train]

        # the early-stopping scores during training are on uncalibrated rows
        previous_calibration = {
            name: self.__dict__.pop(name, None)
            for name in ("generated_quantiles_", "data_quantiles_")
        }
        with _torch_threads(self.n_jobs), torch_seed(seed, self.device):
            net = self.net_ if warm else self._build_net(X.shape[1], n_classes, spec, seed)
            net.max_epochs = self.max_epochs
            net.batch_size = self.batch_size
            net.verbose = self.verbose
            net.iterator_train__seed = seed
            net.label_smoothing = self.label_smoothing
            net.label_swap_prob = self.label_swap_prob
            net.callbacks = self._callbacks(Xs, codes, valid, seed)
            net.initialize_callbacks()
            if not warm:
                # the sampler methods below need these while the callbacks run
                self.net_ = net
                self.data_min_, self.data_max_ = data_min, data_max
                self.integer_columns_ = integer
                if self.conditional:
                    self.classes_, self.class_prior_ = classes, prior
            try:
                net.partial_fit(X_train, codes_train)
            except BaseException:
                if not warm:
                    for name in ("net_", "data_min_", "data_max_", "integer_columns_",
                                 "classes_", "class_prior_"):
                        self.__dict__.pop(name, None)
                else:
                    self.__dict__.update(previous_calibration)
                raise
            self._calibrate(X_train, codes_train, seed)
        self.generator_ = net.sampling_module()
        self.discriminator_ = net.discriminator_
        self.loss_history_ = _loss_history(net.history)
        self.n_iter_ = len(net.history)
        self._check_collapse()
        return self

    def _calibrate(self, X_train, codes_train, seed):
        """Store the quantiles of generated and training values (see the class Notes)."""
        if not self.calibrate_marginals:
            self.generated_quantiles_ = self.data_quantiles_ = None
            return
        probs = np.linspace(0.0, 1.0, _N_QUANTILES)
        groups = [np.arange(len(X_train))] if codes_train is None else [
            np.flatnonzero(codes_train == c) for c in range(len(self.classes_))
        ]
        rng = np.random.RandomState(seed)
        generated, data = [], []
        for code, rows in enumerate(groups):
            n_cal = max(_CALIBRATION_MIN, min(_CALIBRATION_FACTOR * len(rows), _CALIBRATION_MAX))
            gen_seed = int(rng.randint(np.iinfo(np.int32).max))
            codes = None if codes_train is None else np.full(n_cal, code)
            fake = self._generate_unit(n_cal, codes, gen_seed)
            generated.append(np.quantile(fake, probs, axis=0))
            if len(rows):
                # clip: after a warm start on new rows, stay in the first fit's range
                real = np.clip(X_train[rows].astype(np.float64), -1.0, 1.0)
                data.append(np.quantile(real, probs, axis=0))
            else:  # a class absent from a warm-start fit: leave its marginals as generated
                data.append(generated[-1].copy())
        self.generated_quantiles_ = _strictly_increasing(np.stack(generated))
        self.data_quantiles_ = np.stack(data)

    def _apply_calibration(self, U, codes):
        """Map scaled generated rows ``U`` through the stored per-column quantile maps."""
        gen_q = getattr(self, "generated_quantiles_", None)
        if gen_q is None:
            return U
        data_q = self.data_quantiles_
        out = np.empty_like(U)
        groups = [(0, slice(None))] if codes is None else [
            (c, np.flatnonzero(codes == c)) for c in np.unique(codes)
        ]
        for code, rows in groups:
            part = U[rows]
            for j in range(U.shape[1]):
                part[:, j] = np.interp(part[:, j], gen_q[code, :, j], data_q[code, :, j])
            out[rows] = part
        return out

    def _check_architecture(self, n_features):
        spec = {
            "generator_hidden": _check_sizes("generator_hidden", self.generator_hidden),
            "discriminator_hidden": _check_sizes(
                "discriminator_hidden",
                self.discriminator_hidden,
                allow_empty=self.discriminator == "conv",
            ),
        }
        betas = self.betas
        if not (
            isinstance(betas, (tuple, list))
            and len(betas) == 2
            and all(isinstance(b, numbers.Real) and 0 <= b < 1 for b in betas)
        ):
            raise ValueError(
                f"The 'betas' parameter of GANSampler must be a pair of floats in [0, 1), "
                f"got {betas!r}."
            )
        if self.discriminator == "conv":
            spec["conv_channels"] = _check_sizes("conv_channels", self.conv_channels)
            if self.image_shape is None:
                raise ValueError("GANSampler(discriminator='conv') requires image_shape.")
            shape = _check_sizes("image_shape", self.image_shape, length=(2, 3))
            shape = (1, *shape) if len(shape) == 2 else shape
            if math.prod(shape) != n_features:
                raise ValueError(
                    f"image_shape={tuple(self.image_shape)} holds {math.prod(shape)} values "
                    f"but X has {n_features} columns."
                )
            spec["image_shape"] = shape
        return spec

    def _encode(self, y):
        """Integer codes of labels ``y`` in ``classes_``; ValueError for unseen labels."""
        y = np.asarray(y)
        codes = np.searchsorted(self.classes_, y)
        codes = np.clip(codes, 0, len(self.classes_) - 1)
        unknown = self.classes_[codes] != y
        if np.any(unknown):
            raise ValueError(
                f"y contains labels not seen in fit: {np.unique(y[unknown]).tolist()}; "
                f"known classes are {self.classes_.tolist()}."
            )
        return codes

    def _split(self, n, codes, rng):
        """Indices of the training rows and of the rows held out for early stopping."""
        index = np.arange(n)
        if not self.early_stopping:
            return index, index[:0]
        n_valid = max(2, int(round(self.validation_fraction * n)))
        if n - n_valid < 2:
            raise ValueError(
                f"early_stopping with validation_fraction={self.validation_fraction} leaves "
                f"fewer than 2 training rows out of {n}."
            )
        order = rng.permutation(n)
        if codes is not None:  # stratify: round-robin over classes in random order
            order = order[np.argsort(codes[order], kind="stable")]
            rank = np.empty(n)
            for c in np.unique(codes):
                members = np.flatnonzero(codes[order] == c)
                rank[members] = np.arange(len(members)) / len(members)
            order = order[np.argsort(rank, kind="stable")]
        return np.sort(order[n_valid:]), np.sort(order[:n_valid])

    def _build_net(self, n_features, n_classes, spec, seed):
        if self.discriminator == "conv":
            discriminator, d_kwargs = ConvDiscriminator, {
                "image_shape": spec["image_shape"],
                "channels": spec["conv_channels"],
            }
        else:
            discriminator, d_kwargs = MLPDiscriminator, {"n_features": n_features}
        d_kwargs.update(
            hidden=spec["discriminator_hidden"],
            dropout=self.discriminator_dropout,
            n_classes=n_classes,
        )
        # foreach: one multi-tensor update per step instead of a Python loop over parameters
        # (the default on CUDA; about 20 % faster per batch on CPU for these small networks)
        optimizer_kwargs = {
            "weight_decay": self.weight_decay,
            "betas": tuple(self.betas),
            "foreach": True,
        }
        net = _GANNet(
            module=Generator,
            module__n_features=n_features,
            module__latent_dim=self.latent_dim,
            module__hidden=spec["generator_hidden"],
            module__dropout=self.generator_dropout,
            module__n_classes=n_classes,
            discriminator=discriminator,
            **{f"discriminator__{key}": value for key, value in d_kwargs.items()},
            criterion=nn.BCELoss,
            optimizer=torch.optim.AdamW,
            optimizer__lr=self.lr_generator,
            **{f"optimizer__{key}": value for key, value in optimizer_kwargs.items()},
            optimizer_discriminator=torch.optim.AdamW,
            optimizer_discriminator__lr=self.lr_discriminator,
            **{f"optimizer_discriminator__{k}": v for k, v in optimizer_kwargs.items()},
            latent_dim=self.latent_dim,
            n_classes=n_classes,
            generator_ema=self.generator_ema,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=None,
            iterator_train=TensorBatchIterator,
            iterator_train__shuffle=True,
            iterator_train__seed=seed,
            # BatchNorm cannot train on a batch of one row
            iterator_train__skip_single=True,
            dataset=Dataset,
            verbose=self.verbose,
            device=self.device,
        )
        return net.initialize()

    def _callbacks(self, Xs, codes, valid, seed):
        callbacks = [("diversity", _Diversity(seed=seed))]
        if self.max_time is not None:
            callbacks.append(("time_limit", _TimeLimit(self.max_time)))
        if self.early_stopping:
            X_valid = Xs[valid].astype(np.float64)
            codes_valid = None if codes is None else codes[valid]

            def score_fn():
                return self._quality(X_valid, codes_valid, seed)

            stopping = _QualityStopping(score_fn, self.validation_interval, self.n_iter_no_change)
            callbacks.append(("quality_stopping", stopping))
        if self.verbose and int(self.verbose) >= 2:
            callbacks.append(("progress_bar", ProgressBar(postfix_keys=["g_loss", "d_loss"])))
        callbacks.append(("print_log", PrintLog(keys_ignored=["d_real", "d_fake"])))
        return callbacks

    def _check_collapse(self):
        if not self.collapse_tol:
            return
        steps = sum(epoch.get("train_batch_count", 0) for epoch in self.net_.history)
        if steps < _COLLAPSE_MIN_STEPS:
            return
        diversity = self.loss_history_["diversity"].iloc[-1]
        if diversity < self.collapse_tol:
            raise RuntimeError(
                f"GANSampler training collapsed: the generated rows vary {diversity:.3g} times "
                f"as much as the training rows (collapse_tol={self.collapse_tol}). Try other "
                "learning rates, more discriminator dropout, or another random_state."
            )

    # ------------------------------------------------------------------ sampling

    def _codes_for(self, n_samples, y, rng):
        """Class codes of ``n_samples`` rows to generate (None if unconditional)."""
        if not self.conditional:
            if y is not None:
                raise ValueError(
                    "y can only be passed to sample() of a conditional sampler "
                    "(GANSampler(conditional=True))."
                )
            return None
        if y is None:
            return rng.choice(len(self.classes_), size=n_samples, p=self.class_prior_)
        y = np.asarray(y)
        if y.ndim == 0:
            y = np.full(n_samples, y[()], dtype=y.dtype)
        if y.ndim != 1 or len(y) != n_samples:
            raise ValueError(
                f"y must be one label or an array of n_samples={n_samples} labels, got "
                f"shape {y.shape}."
            )
        return self._encode(y)

    def _generate_unit(self, n_samples, codes, seed):
        """``n_samples`` generated rows, scaled space [-1, 1], from the given seed."""
        generator = torch.Generator().manual_seed(seed)
        chunks = []
        for start in range(0, n_samples, _GENERATE_BATCH):
            m = min(_GENERATE_BATCH, n_samples - start)
            z = torch.randn(m, self.net_.latent_dim, generator=generator)
            part = None if codes is None else torch.as_tensor(codes[start : start + m])
            chunks.append(self.net_.generate(z, part))
        return np.concatenate(chunks)

    def _generate(self, n_samples, codes, seed):
        """``n_samples`` generated rows in the original units (rounded where learned)."""
        unit = self._apply_calibration(self._generate_unit(n_samples, codes, seed), codes)
        rows = _from_unit(unit, self.data_min_, self.data_max_)
        rows[:, self.integer_columns_] = np.round(rows[:, self.integer_columns_])
        return rows

    def sample(self, n_samples=1, y=None, random_state=None):
        """Generate new rows.

        Parameters
        ----------
        n_samples : int, default=1
            Number of rows to generate.
        y : label or array-like of shape (n_samples,), default=None
            Conditional samplers only: the class of every row, or one class for all rows.
            None draws the classes from their training frequencies.
        random_state : int, RandomState instance or None, default=None
            Seeds the noise (and the classes drawn when ``y`` is None). None uses the
            estimator's ``random_state``, so a sampler built with an int ``random_state``
            returns the same rows on every call.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features_in_)
            Generated rows in the units of the training rows, within their per-column range.
        """
        check_is_fitted(self)
        if (
            not isinstance(n_samples, numbers.Integral)
            or isinstance(n_samples, bool)
            or n_samples < 1
        ):
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        rng = check_random_state(self.random_state if random_state is None else random_state)
        seed = seed_from_random_state(rng)
        codes = self._codes_for(int(n_samples), y, rng)
        with _torch_threads(self.n_jobs):
            return self._generate(int(n_samples), codes, seed)

    # ------------------------------------------------------------------ scoring

    def _quality(self, X_unit, codes, seed):
        """Quality score (higher is better) of generated rows against real scaled rows.

        With class ``codes`` of the real rows (conditional), rows of the same classes are
        generated and the one-hot class is appended to both samples; a conditional sampler
        without ``codes`` generates classes from their training frequencies and compares rows
        only.
        """
        n = len(X_unit)
        real = X_unit
        gen_codes = codes
        if self.conditional and codes is None:
            gen_codes = check_random_state(seed).choice(
                len(self.classes_), size=n, p=self.class_prior_
            )
        fake = _to_unit(self._generate(n, gen_codes, seed), self.data_min_, self.data_max_)
        if codes is not None:
            onehot = np.eye(len(self.classes_))[codes]
            real, fake = np.hstack([real, onehot]), np.hstack([fake, onehot])
        if self.scoring == "mmd":
            gamma = _median_gamma(real)
            return -maximum_mean_discrepancy(real, fake, gamma=gamma)
        if self.scoring == "frechet":
            return -frechet_distance(real, fake, random_state=seed)
        accuracy = classifier_two_sample_score(real, fake, cv=min(5, n), random_state=seed)
        return 1.0 - 2.0 * abs(accuracy - 0.5)

    def score(self, X, y=None):
        """Quality of the sampler against real rows ``X``: higher is better.

        ``len(X)`` rows are generated with a seed fixed by ``random_state`` (0 when None) and
        compared with ``X`` by the metric chosen with ``scoring`` (see the class Notes).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Real rows, e.g. held out from training (at least 2).
        y : array-like of shape (n_samples,), default=None
            Conditional samplers: the class of each row; rows of the same classes are
            generated and the one-hot class is part of what is compared. Ignored otherwise.

        Returns
        -------
        score : float
            ``"c2st"``: in [0, 1], 1 is best; ``"mmd"`` and ``"frechet"``: at most 0, 0 is
            best.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64, ensure_min_samples=2)
        codes = None
        if self.conditional and y is not None:
            y = np.asarray(y)
            if y.shape != (len(X),):
                raise ValueError(f"y must have shape ({len(X)},), got {y.shape}.")
            codes = self._encode(y)
        seed = _score_seed(self.random_state)
        with _torch_threads(self.n_jobs):
            return float(self._quality(_to_unit(X, self.data_min_, self.data_max_), codes, seed))

    # ------------------------------------------------------------------ save / load

    def save(self, path):
        """Save the fitted sampler to ``path`` without pickling Python objects.

        Everything is written with :func:`torch.save` as tensors and plain Python values
        (parameters, scaling, classes, network and optimizer state dicts, loss history), and
        :meth:`load` reads it back with ``torch.load(weights_only=True)``, which refuses to
        execute arbitrary code. Pickle (``pickle.dump(sampler)``) works too.

        Parameters
        ----------
        path : str or path-like
            Destination file.
        """
        check_is_fitted(self)
        params = self.get_params(deep=False)
        if not isinstance(params["random_state"], (numbers.Integral, type(None))):
            params["random_state"] = None  # a RandomState instance is not plain data
        params["device"] = str(params["device"])
        state = {
            "format": _SAVE_FORMAT,
            "version": _SAVE_VERSION,
            "params": params,
            "n_features_in": int(self.n_features_in_),
            "feature_names_in": (
                self.feature_names_in_.tolist() if hasattr(self, "feature_names_in_") else None
            ),
            "data_min": torch.as_tensor(self.data_min_),
            "data_max": torch.as_tensor(self.data_max_),
            "integer_columns": torch.as_tensor(self.integer_columns_),
            **{
                key: (None if getattr(self, name, None) is None
                      else torch.as_tensor(getattr(self, name)))
                for key, name in (("generated_quantiles", "generated_quantiles_"),
                                  ("data_quantiles", "data_quantiles_"))
            },
            "classes": self.classes_.tolist() if self.conditional else None,
            "class_prior": torch.as_tensor(self.class_prior_) if self.conditional else None,
            "generator": self.net_.module_.state_dict(),
            "generator_ema": (
                self.net_.module_ema_.state_dict() if self.net_.generator_ema else None
            ),
            "discriminator": self.net_.discriminator_.state_dict(),
            "optimizer": self.net_.optimizer_.state_dict(),
            "optimizer_discriminator": self.net_.optimizer_discriminator_.state_dict(),
            "loss_history": {
                "epoch": self.loss_history_.index.tolist(),
                **{col: self.loss_history_[col].tolist() for col in self.loss_history_},
            },
        }
        torch.save(state, path)

    @classmethod
    def load(cls, path, device=None):
        """Load a sampler written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            File written by :meth:`save`.
        device : str, default=None
            Device to load the networks on; None uses the saved ``device`` parameter.

        Returns
        -------
        sampler : GANSampler
            A fitted sampler whose ``sample`` returns the same rows as the saved one.
            ``net_.history`` holds the saved epoch records (not the per-batch ones), so
            ``warm_start`` continues the epoch count.
        """
        state = torch.load(path, map_location="cpu", weights_only=True)
        if not isinstance(state, dict) or state.get("format") != _SAVE_FORMAT:
            raise ValueError(f"{path!s} is not a file written by GANSampler.save.")
        if state["version"] > _SAVE_VERSION:
            raise ValueError(
                f"{path!s} was written by a newer version of GANSampler "
                f"(format {state['version']}, this one reads up to {_SAVE_VERSION})."
            )
        params = dict(state["params"])
        params.setdefault("calibrate_marginals", False)  # files of version 1
        if device is not None:
            params["device"] = device
        sampler = cls(**params)
        n_features = state["n_features_in"]
        sampler.n_features_in_ = n_features
        if state["feature_names_in"] is not None:
            sampler.feature_names_in_ = np.asarray(state["feature_names_in"], dtype=object)
        sampler.data_min_ = state["data_min"].numpy()
        sampler.data_max_ = state["data_max"].numpy()
        sampler.integer_columns_ = state["integer_columns"].numpy()
        for key in ("generated_quantiles", "data_quantiles"):
            value = state.get(key)
            setattr(sampler, key + "_", None if value is None else value.numpy())
        n_classes = 0
        if sampler.conditional:
            sampler.classes_ = np.asarray(state["classes"])
            sampler.class_prior_ = state["class_prior"].numpy()
            n_classes = len(sampler.classes_)
        spec = sampler._check_architecture(n_features)
        with torch_seed(0, sampler.device):
            net = sampler._build_net(n_features, n_classes, spec, seed=0)
        net.module_.load_state_dict(state["generator"])
        if net.generator_ema:
            net.module_ema_.load_state_dict(state["generator_ema"])
        net.discriminator_.load_state_dict(state["discriminator"])
        net.optimizer_.load_state_dict(state["optimizer"])
        net.optimizer_discriminator_.load_state_dict(state["optimizer_discriminator"])
        sampler.net_ = net
        sampler.generator_ = net.sampling_module()
        sampler.discriminator_ = net.discriminator_
        for row in pd.DataFrame(state["loss_history"]).to_dict("records"):
            net.history.new_epoch()
            for key, value in row.items():
                if not (isinstance(value, float) and math.isnan(value)):
                    net.history.record(key, value)
        sampler.loss_history_ = _loss_history(net.history)
        sampler.n_iter_ = len(net.history)
        return sampler


def _score_seed(random_state):
    """Seed of :meth:`GANSampler.score`: the int ``random_state``, 0 when None."""
    return 0 if random_state is None else seed_from_random_state(random_state)


def _to_unit(X, data_min, data_max):
    """Per-column min-max scaling to [-1, 1]; constant columns map to 0."""
    span = data_max - data_min
    safe = np.where(span > 0, span, 1.0)
    return np.where(span > 0, 2.0 * (X - data_min) / safe - 1.0, 0.0)


def _from_unit(U, data_min, data_max):
    """Inverse of :func:`_to_unit`; constant columns come back as their constant."""
    return data_min + (np.asarray(U) + 1.0) / 2.0 * (data_max - data_min)


def _strictly_increasing(quantiles):
    """Nudge tied quantiles (point masses) up by one float step each, for ``np.interp``."""
    q = np.array(quantiles, dtype=np.float64)
    for k in range(1, q.shape[-2]):
        q[..., k, :] = np.maximum(q[..., k, :], np.nextafter(q[..., k - 1, :], np.inf))
    return q


def _loss_history(history):
    """One row per epoch of skorch's history, with the GAN's keys, indexed by epoch."""
    rows = [{key: epoch.get(key, np.nan) for key in ["epoch", *_EPOCH_KEYS]} for epoch in history]
    frame = pd.DataFrame(rows, columns=["epoch", *_EPOCH_KEYS]).set_index("epoch")
    if frame["valid_score"].isna().all():
        frame = frame.drop(columns="valid_score")
    return frame
