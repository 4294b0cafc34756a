"""GANSampler: a scikit-learn density estimator trained adversarially with skorch."""

import copy
import math
import numbers

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import PrintLog, ProgressBar
from skorch.dataset import Dataset
from torch import nn

from ..metrics import (
    classifier_two_sample_score,
    frechet_distance,
    maximum_mean_discrepancy,
    median_gamma,
)
from ..utils import (
    N_THREADS_CONSTRAINT,
    FiniteLossCheck,
    TensorBatchIterator,
    check_device,
    limit_threads,
    seed_from_random_state,
    torch_seed,
)
from ..utils._sklearn import Interval, StrOptions, _fit_context
from ._callbacks import CollapseCheck, QualityStopping, TimeLimit
from ._marginals import apply_marginal_map, fit_marginal_map
from ._modules import ConvDiscriminator, ConvGenerator, MLPDiscriminator, MLPGenerator
from ._net import GANNet, loss_history

__all__ = ["GANSampler"]

_GENERATE_BATCH = 4096
# Marginal calibration: generated rows per class (per sampler when unconditional):
# max(_CALIBRATION_MIN, min(_CALIBRATION_FACTOR * n_rows, _CALIBRATION_MAX)).
_CALIBRATION_FACTOR = 4
_CALIBRATION_MIN = 2000
_CALIBRATION_MAX = 20_000


def _positive_ints(name, value, *, lengths=None, allow_empty=False):
    """A tuple of positive ints (hidden sizes, image shapes); raise a clear error otherwise."""
    sizes = tuple(value) if isinstance(value, (tuple, list)) else None
    ok = sizes is not None and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0 for v in sizes
    )
    ok = ok and (lengths is None or len(sizes) in lengths) and (allow_empty or len(sizes) > 0)
    if not ok:
        what = f"of length {' or '.join(map(str, lengths))} " if lengths else ""
        empty = " (may be empty)" if allow_empty else ""
        raise ValueError(
            f"The '{name}' parameter of GANSampler must be a tuple {what}of positive ints"
            f"{empty}, got {value!r}."
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

    Training follows the GAN tutorial on handwritten digits: Gaussian noise, a ``Tanh``
    generator, binary cross-entropy on the discriminator's logits, AdamW for both networks,
    one-sided label smoothing and a small chance per batch of swapping the real and fake
    targets. ``architecture="conv"`` uses DCGAN-style convolutional networks for images
    (see Notes). Training runs in skorch (callbacks, history, progress bar, device).

    Parameters
    ----------
    latent_dim : int, default=64
        Size of the Gaussian noise fed to the generator.
    architecture : {"mlp", "conv"}, default="mlp"
        ``"mlp"``: dense networks for any table. ``"conv"``: convolutional networks for
        images of ``image_shape`` (rows are flattened images).
    generator_hidden : tuple of int, default=(128, 256, 512)
        Width of each ``Linear -> BatchNorm1d -> Dropout -> LeakyReLU`` generator block
        (``"mlp"`` only).
    discriminator_hidden : tuple of int, default=(512, 256)
        Width of each ``Linear -> LeakyReLU -> Dropout`` discriminator block; with
        ``"conv"`` these follow the convolutions and may be empty.
    conv_channels : tuple of int, default=(32, 64)
        Channels of each convolution block of the discriminator, each halving the image's
        height and width; the generator goes through them in reverse (``"conv"`` only).
    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(channels, height, width)`` of the images, whose product must
        equal the number of columns. Required by ``architecture="conv"``.
    generator_dropout : float in [0, 1), default=0.0
        Dropout of the dense generator blocks.
    discriminator_dropout : float in [0, 1), default=0.3
        Dropout of the dense discriminator blocks.
    learning_rate : float > 0, default=1e-3
        AdamW learning rate of the generator.
    discriminator_learning_rate : float > 0, default=None
        AdamW learning rate of the discriminator; None uses ``learning_rate``.
    weight_decay : float >= 0, default=1e-6
        AdamW weight decay of both networks.
    betas : tuple of float, default=(0.5, 0.999)
        AdamW coefficients of both networks.
    label_smoothing : float in [0, 1), default=0.1
        One-sided label smoothing: the discriminator's real targets are drawn uniformly in
        ``[1 - label_smoothing, 1]``.
    label_swap_prob : float in [0, 1], default=0.05
        Probability, per batch, of swapping the real and fake targets of the discriminator.
    generator_ema : float in [0, 1), default=0.99
        Decay of an exponential moving average of the generator's weights, updated after
        every generator step; samples come from the averaged generator, whose outputs are
        less noisy than those of the last step (Yazici et al., ICLR 2019). 0 samples from
        the trained generator itself.
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
        After training, map each column's generated values onto the training rows'
        distribution with a pair of quantile transformers (per class if conditional); see
        Notes.
    scoring : {"c2st", "mmd", "frechet"}, default="c2st"
        Quality score returned by :meth:`score` and monitored by early stopping (see Notes).
        ``"mmd"`` is the cheapest.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows (stratified by class if conditional),
        score the sampler on them after every epoch, stop after ``n_iter_no_change`` epochs
        without improvement and keep the weights of the best epoch.
    validation_fraction : float in (0, 1), default=0.1
        Share of the rows held out for early stopping (at least 2 rows).
    n_iter_no_change : int, default=5
        Patience of early stopping, in epochs.
    collapse_tol : float >= 0, default=0.05
        ``fit`` raises a ``RuntimeError`` at the end of the first epoch where the
        generator's ``diversity`` (see ``loss_history_``) is below this value: a collapsed
        generator. 0 disables the check.
    device : str, default="cpu"
        Torch device of the networks, e.g. ``"cpu"``, ``"cuda"``, ``"cuda:1"``.
    n_threads : int >= 1 or None, default=1
        Torch and OpenMP/BLAS threads while fitting, sampling and scoring (the caller's
        setting is restored afterwards); None leaves them as they are. Small networks train
        fastest on one thread.
    verbose : int, default=0
        0: silent; 1: one line per epoch (skorch's ``PrintLog``); 2: also a progress bar.
    warm_start : bool, default=False
        If True and already fitted, ``fit`` continues training the same networks for
        ``max_epochs`` more epochs (or ``max_time`` more seconds), keeping the scaling and
        classes learned by the first fit.
    random_state : int, RandomState instance or None, default=None
        Seeds the networks' initialisation, the noise, the label tricks, the shuffling, the
        hold-out split, the default of ``sample`` and the score. Pass an int for
        reproducible results.

    Attributes
    ----------
    net_ : GANNet
        The trained skorch net (``net_.history`` holds every epoch and batch).
    generator_ : torch.nn.Module
        The generator that samples: the weight average ``net_.module_ema_`` when
        ``generator_ema > 0``, else the trained generator ``net_.module_``.
    discriminator_ : torch.nn.Module
        The trained discriminator (``net_.discriminator_``).
    scaler_ : sklearn.preprocessing.MinMaxScaler
        Per-column scaling of the training rows to the generator's range [-1, 1].
    integer_columns_ : ndarray of bool of shape (n_features_in_,)
        Columns rounded in :meth:`sample` (all False unless ``round_integers``).
    marginal_maps_ : list of (QuantileTransformer, QuantileTransformer) or None
        Per class (one entry if unconditional): the quantile transformers of the generated
        and of the training values, in the scaled space. None unless
        ``calibrate_marginals``.
    classes_ : ndarray of shape (n_classes,)
        Class labels (conditional only).
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies of the training rows, used by ``sample(y=None)`` (conditional only).
    loss_history_ : pandas.DataFrame
        One row per epoch (index ``epoch``): ``g_loss`` and ``d_loss`` (mean batch losses),
        ``d_real`` and ``d_fake`` (mean probability the discriminator gives real and
        generated rows), ``diversity`` (see ``collapse_tol``), ``dur`` (seconds) and, with
        early stopping, ``valid_score``.
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
    **Scores** are computed on rows scaled by ``scaler_``, against ``len(X)`` rows sampled
    with a seed fixed by ``random_state`` (0 if None) and, for a conditional sampler scored
    with ``y``, with the one-hot class appended to both samples:

    - ``"c2st"``: :math:`1 - 2\\,|a - 0.5|` where :math:`a` is the 5-fold
      :func:`~sklearn_hydro.metrics.classifier_two_sample_score` (random forest accuracy at
      telling real from generated rows). 1 when the classifier is at chance, 0 when it
      separates them perfectly.
    - ``"mmd"``: :math:`-\\mathrm{MMD}^2` (biased estimate, RBF kernel whose bandwidth is the
      median heuristic on the real rows only, so it is the same for every sampler).
    - ``"frechet"``: minus the Fréchet distance on 10 PCA features fitted on the real rows.

    Early stopping scores uncalibrated rows.

    **Marginal calibration** (``calibrate_marginals=True``): at the end of every ``fit`` a
    seeded sample of ``max(2000, min(4 * n_rows, 20000))`` generated rows (per class when
    conditional) and the training rows each fit a
    :class:`~sklearn.preprocessing.QuantileTransformer` (up to 257 quantiles). :meth:`sample`
    maps every generated value to its rank among generated values and back through the
    training values' quantiles: a monotone map per column, so the marginals follow the
    training rows' (point masses included, e.g. the many pixels at exactly 0 that a
    ``Tanh`` rarely reaches) while the dependence between columns still comes from the
    generator.

    **Convolutional networks** (``architecture="conv"``) follow DCGAN (Radford, Metz and
    Chintala, ICLR 2016): the generator projects the noise to ``conv_channels[-1]`` small
    maps and doubles their size with transposed convolutions, BatchNorm and ReLU; the
    discriminator halves them with strided convolutions and LeakyReLU. Every discriminator
    layer is spectrally normalised (Miyato et al., "Spectral Normalization for Generative
    Adversarial Networks", ICLR 2018), which bounds its Lipschitz constant and keeps the
    game from diverging. They train best with a discriminator learning twice as fast as
    the generator and no momentum (the two time-scale rule of Heusel et al., NeurIPS 2017):
    ``learning_rate=5e-4, discriminator_learning_rate=1e-3, betas=(0.0, 0.9)`` on the 8x8
    digits (``2e-4`` and ``4e-4``, the usual values, for 28x28 MNIST); the defaults, tuned
    for the dense networks, train them more slowly.

    **Failures**: ``fit`` raises ``FloatingPointError`` when a loss becomes NaN or infinite
    and ``RuntimeError`` when the generator collapses (``collapse_tol``), from the first
    epoch on. A fit that raises leaves the sampler as it was: unfitted after a first fit,
    unchanged after a warm start.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro import GANSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(loc=[0.0, 5.0], scale=[1.0, 2.0], size=(200, 2))
    >>> sampler = GANSampler(latent_dim=4, generator_hidden=(16,), discriminator_hidden=(16,),
    ...                      max_epochs=5, random_state=0).fit(X)
    >>> sampler.sample(3).shape
    (3, 2)
    >>> sampler.loss_history_.shape[0]
    5
    >>> sampler.set_params(scoring="mmd").score(X) <= 0.0  # minus MMD^2: 0 is best
    True
    """

    _parameter_constraints: dict = {
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "architecture": [StrOptions({"mlp", "conv"})],
        "generator_hidden": [tuple, list],
        "discriminator_hidden": [tuple, list],
        "conv_channels": [tuple, list],
        "image_shape": [tuple, list, None],
        "generator_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "discriminator_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "discriminator_learning_rate": [Interval(numbers.Real, 0, None, closed="neither"), None],
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
        "collapse_tol": [Interval(numbers.Real, 0, None, closed="left")],
        "device": [str],
        "n_threads": N_THREADS_CONSTRAINT,
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        latent_dim=64,
        architecture="mlp",
        generator_hidden=(128, 256, 512),
        discriminator_hidden=(512, 256),
        conv_channels=(32, 64),
        image_shape=None,
        generator_dropout=0.0,
        discriminator_dropout=0.3,
        learning_rate=1e-3,
        discriminator_learning_rate=None,
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
        collapse_tol=0.05,
        device="cpu",
        n_threads=1,
        verbose=0,
        warm_start=False,
        random_state=None,
    ):
        self.latent_dim = latent_dim
        self.architecture = architecture
        self.generator_hidden = generator_hidden
        self.discriminator_hidden = discriminator_hidden
        self.conv_channels = conv_channels
        self.image_shape = image_shape
        self.generator_dropout = generator_dropout
        self.discriminator_dropout = discriminator_dropout
        self.learning_rate = learning_rate
        self.discriminator_learning_rate = discriminator_learning_rate
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
        self.collapse_tol = collapse_tol
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose
        self.warm_start = warm_start
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = bool(self.conditional)
        tags.non_deterministic = str(self.device).startswith("cuda")
        return tags

    def __sklearn_is_fitted__(self):
        # validate_data sets n_features_in_ before training; only a trained net counts
        return hasattr(self, "net_")

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
        ValueError
            For bad input, an inconsistent architecture or an unavailable ``device``.
        FloatingPointError
            If a loss became NaN or infinite (training diverged).
        RuntimeError
            If the generator collapsed (its diversity fell below ``collapse_tol``).
        """
        check_device(self.device)
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
        spec = self._architecture(X.shape[1])

        fitted = {}
        if warm:
            scaler = self.scaler_
            codes = self._encode(y) if self.conditional else None
        else:
            scaler = MinMaxScaler(feature_range=(-1, 1)).fit(X)
            fitted["scaler_"] = scaler
            fitted["integer_columns_"] = np.all(X == np.round(X), axis=0) & self.round_integers
            codes = None
            if self.conditional:
                classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
                fitted["classes_"], fitted["class_prior_"] = classes, counts / counts.sum()
        n_classes = len(fitted.get("classes_", getattr(self, "classes_", ()))) * self.conditional
        Xs = np.clip(scaler.transform(X), -1.0, 1.0).astype(np.float32)

        rng = check_random_state(self.random_state)
        seed = seed_from_random_state(rng)
        if warm:  # continue with fresh noise and shuffles rather than replaying the first fit
            seed = (seed + 7919 * self.n_iter_) % np.iinfo(np.int32).max
        train, valid = self._split(len(Xs), codes, seed)
        codes_train = None if codes is None else codes[train]

        with limit_threads(self.n_threads), torch_seed(seed, self.device):
            # a warm start trains a copy, so that a failure leaves the fitted sampler as it was
            net = copy.deepcopy(self.net_) if warm else self._build_net(
                X.shape[1], n_classes, spec, seed
            )
            net.max_epochs, net.batch_size = self.max_epochs, self.batch_size
            net.verbose, net.iterator_train__seed = self.verbose, seed
            net.label_smoothing = self.label_smoothing
            net.label_swap_prob = self.label_swap_prob
            net.callbacks = self._callbacks(net, Xs[valid], None if codes is None else
                                            codes[valid], seed)
            net.initialize_callbacks()
            net.partial_fit(Xs[train], codes_train)
            maps = self._fit_marginal_maps(net, Xs[train], codes_train, n_classes, seed)

        # fitted attributes are set only once everything has succeeded
        for name, value in fitted.items():
            setattr(self, name, value)
        self.net_ = net
        self.marginal_maps_ = maps
        self.generator_ = net.sampling_module()
        self.discriminator_ = net.discriminator_
        self.loss_history_ = loss_history(net.history)
        self.n_iter_ = len(net.history)
        return self

    def _fit_marginal_maps(self, net, X_train, codes_train, n_classes, seed):
        """Quantile-transformer pairs per class (see the class Notes), or None."""
        if not self.calibrate_marginals:
            return None
        groups = [np.arange(len(X_train))] if not n_classes else [
            np.flatnonzero(codes_train == c) for c in range(n_classes)
        ]
        rng = np.random.RandomState(seed)
        maps = []
        for code, rows in enumerate(groups):
            n_cal = max(_CALIBRATION_MIN, min(_CALIBRATION_FACTOR * len(rows), _CALIBRATION_MAX))
            codes = np.full(n_cal, code) if n_classes else None
            fake = _generate_unit(net, n_cal, codes, int(rng.randint(np.iinfo(np.int32).max)))
            # a class absent from a warm-start fit keeps its generated marginals
            real = X_train[rows].astype(np.float64) if len(rows) else fake
            maps.append(fit_marginal_map(fake, real))
        return maps

    def _architecture(self, n_features):
        """Validated network sizes (a dict), or a clear ValueError."""
        spec = {
            "generator_hidden": _positive_ints("generator_hidden", self.generator_hidden),
            "discriminator_hidden": _positive_ints(
                "discriminator_hidden", self.discriminator_hidden,
                allow_empty=self.architecture == "conv",
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
        if self.architecture == "conv":
            channels = _positive_ints("conv_channels", self.conv_channels)
            if self.image_shape is None:
                raise ValueError("GANSampler(architecture='conv') requires image_shape.")
            shape = _positive_ints("image_shape", self.image_shape, lengths=(2, 3))
            shape = (1, *shape) if len(shape) == 2 else shape
            if math.prod(shape) != n_features:
                raise ValueError(
                    f"image_shape={tuple(self.image_shape)} holds {math.prod(shape)} values "
                    f"but X has {n_features} columns."
                )
            if min(shape[1:]) < 2 ** len(channels):
                raise ValueError(
                    f"image_shape={tuple(self.image_shape)} is too small for "
                    f"{len(channels)} convolution blocks (each halves the height and width); "
                    "use fewer conv_channels."
                )
            spec.update(conv_channels=channels, image_shape=shape)
        return spec

    def _encode(self, y):
        """Integer codes of labels ``y`` in ``classes_``; ValueError for unseen labels."""
        y = np.asarray(y)
        codes = np.clip(np.searchsorted(self.classes_, y), 0, len(self.classes_) - 1)
        unknown = self.classes_[codes] != y
        if np.any(unknown):
            raise ValueError(
                f"y contains labels not seen in fit: {np.unique(y[unknown]).tolist()}; "
                f"known classes are {self.classes_.tolist()}."
            )
        return codes

    def _split(self, n, codes, seed):
        """Indices of the training rows and of the rows held out for early stopping."""
        index = np.arange(n)
        if not self.early_stopping:
            return index, index[:0]
        n_valid = math.ceil(self.validation_fraction * n)
        if n_valid < 2 or n - n_valid < 2:
            raise ValueError(
                f"early_stopping with validation_fraction={self.validation_fraction} needs "
                f"at least 2 training and 2 validation rows; got {n} rows."
            )
        train, valid = train_test_split(
            index, test_size=n_valid, stratify=codes, random_state=seed
        )
        return np.sort(train), np.sort(valid)

    def _build_net(self, n_features, n_classes, spec, seed):
        if self.architecture == "conv":
            generator, g_kwargs = ConvGenerator, {
                "image_shape": spec["image_shape"],
                "channels": spec["conv_channels"],
            }
            discriminator, d_kwargs = ConvDiscriminator, {
                "image_shape": spec["image_shape"],
                "channels": spec["conv_channels"],
            }
        else:
            generator, g_kwargs = MLPGenerator, {
                "n_features": n_features,
                "hidden": spec["generator_hidden"],
                "dropout": self.generator_dropout,
            }
            discriminator, d_kwargs = MLPDiscriminator, {"n_features": n_features}
        d_kwargs.update(hidden=spec["discriminator_hidden"], dropout=self.discriminator_dropout,
                        n_classes=n_classes)
        d_lr = self.discriminator_learning_rate
        net = GANNet(
            module=generator,
            **{f"module__{key}": value for key, value in g_kwargs.items()},
            module__latent_dim=self.latent_dim,
            module__n_classes=n_classes,
            discriminator=discriminator,
            discriminator_kwargs=d_kwargs,
            discriminator_lr=self.learning_rate if d_lr is None else d_lr,
            criterion=nn.BCEWithLogitsLoss,
            optimizer=torch.optim.AdamW,
            lr=self.learning_rate,
            optimizer__weight_decay=self.weight_decay,
            optimizer__betas=tuple(self.betas),
            # one multi-tensor update per step instead of a Python loop over parameters
            optimizer__foreach=True,
            latent_dim=self.latent_dim,
            n_classes=n_classes,
            generator_ema=self.generator_ema,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=None,
            iterator_train=TensorBatchIterator,
            iterator_train__shuffle=True,
            iterator_train__seed=seed,
            iterator_train__skip_single=True,  # BatchNorm cannot train on a batch of one row
            dataset=Dataset,
            verbose=self.verbose,
            device=self.device,
        )
        return net.initialize()

    def _callbacks(self, net, X_valid, codes_valid, seed):
        callbacks = [
            ("finite_loss", FiniteLossCheck(keys=["g_loss", "d_loss"],
                                            hint="lower learning_rate")),
            ("collapse", CollapseCheck(tol=self.collapse_tol, seed=seed)),
        ]
        if self.max_time is not None:
            callbacks.append(("time_limit", TimeLimit(self.max_time)))
        if self.early_stopping:
            X_valid = X_valid.astype(np.float64)

            def score_fn():
                fake = _generate_unit(net, len(X_valid), codes_valid, seed)
                return _quality(self.scoring, X_valid, fake, codes_valid, net.n_classes, seed)

            callbacks.append(("early_stopping", QualityStopping(score_fn, self.n_iter_no_change)))
        if self.verbose and int(self.verbose) >= 2:
            callbacks.append(("progress_bar", ProgressBar(postfix_keys=["g_loss", "d_loss"])))
        callbacks.append(("print_log", PrintLog(keys_ignored=["d_real", "d_fake"])))
        return callbacks

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

    def _generate(self, n_samples, codes, seed):
        """``n_samples`` generated rows in the original units (calibrated, rounded)."""
        U = _generate_unit(self.net_, n_samples, codes, seed)
        if self.marginal_maps_ is not None:
            groups = [(0, slice(None))] if codes is None else [
                (c, np.flatnonzero(codes == c)) for c in np.unique(codes)
            ]
            for code, rows in groups:
                U[rows] = apply_marginal_map(self.marginal_maps_[code], U[rows])
        scaler = self.scaler_
        rows = np.clip(scaler.inverse_transform(U), scaler.data_min_, scaler.data_max_)
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
        with limit_threads(self.n_threads):
            return self._generate(int(n_samples), codes, seed)

    # ------------------------------------------------------------------ scoring

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
        seed = 0 if self.random_state is None else seed_from_random_state(self.random_state)
        gen_codes = codes
        if self.conditional and codes is None:
            gen_codes = check_random_state(seed).choice(
                len(self.classes_), size=len(X), p=self.class_prior_
            )
        with limit_threads(self.n_threads):
            fake = self.scaler_.transform(self._generate(len(X), gen_codes, seed))
            real = self.scaler_.transform(X)
            n_classes = len(self.classes_) if codes is not None else 0
            return float(_quality(self.scoring, real, fake, codes, n_classes, seed))

    # ------------------------------------------------------------------ save / load

    def save(self, path):
        """Save the fitted sampler to ``path`` without pickling Python objects.

        The file holds the networks' and optimizers' state dicts, a few arrays and a JSON
        header (parameters, classes, loss history), written with :func:`torch.save`;
        :meth:`load` reads it with ``torch.load(weights_only=True)``, which refuses to run
        code. Pickle works too.

        Parameters
        ----------
        path : str or path-like
            Destination file.
        """
        from ._io import save_sampler

        check_is_fitted(self)
        save_sampler(self, path)

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
            A fitted sampler whose ``sample`` returns the same rows as the saved one;
            ``warm_start`` continues training from the saved optimizer states.

        Raises
        ------
        ValueError
            If ``path`` is not a file written by :meth:`save` (another file, random bytes,
            a truncated file) or ``device`` is unavailable.
        """
        from ._io import load_sampler

        return load_sampler(cls, path, device)


# --------------------------------------------------------------------------- helpers


def _generate_unit(net, n_samples, codes, seed):
    """``n_samples`` generated rows of ``net``, scaled space [-1, 1], from ``seed``.

    The noise is drawn on the CPU from its own generator, so a seed gives the same noise
    whatever the device.
    """
    generator = torch.Generator().manual_seed(seed)
    chunks = []
    for start in range(0, n_samples, _GENERATE_BATCH):
        m = min(_GENERATE_BATCH, n_samples - start)
        z = torch.randn(m, net.latent_dim, generator=generator)
        part = None if codes is None else codes[start : start + m]
        chunks.append(net.generate(z, part))
    return np.concatenate(chunks)


def _quality(scoring, real, fake, codes, n_classes, seed):
    """Quality score (higher is better) of scaled ``fake`` rows against scaled ``real`` rows.

    With the class ``codes`` of both (conditional), the one-hot class is appended to both.
    """
    if codes is not None:
        onehot = np.eye(n_classes)[codes]
        real, fake = np.hstack([real, onehot]), np.hstack([fake, onehot])
    if scoring == "mmd":
        return -maximum_mean_discrepancy(real, fake, gamma=median_gamma(real))
    if scoring == "frechet":
        return -frechet_distance(real, fake, random_state=seed)
    accuracy = classifier_two_sample_score(real, fake, cv=min(5, len(real)), random_state=seed)
    return 1.0 - 2.0 * abs(accuracy - 0.5)


