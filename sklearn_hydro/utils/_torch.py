"""Shared torch and skorch glue: threads, devices, seeding, a fast seeded batch iterator, a
time-ordered validation split and a non-finite-loss guard.

Each piece is small and generic so that any skorch-trained estimator of the package can use
it:

* :func:`seed_from_random_state` and :func:`torch_seed` make a fit reproducible without
  clobbering the caller's global torch random state;
* :class:`TensorBatchIterator` replaces ``torch.utils.data.DataLoader`` for in-memory arrays:
  it slices whole tensors per batch (no per-row ``__getitem__`` and collate) and shuffles with
  its own seeded ``torch.Generator``;
* :func:`tail_split_indices` and :class:`TailSplit` hold out the *last* rows for validation,
  never skorch's default split, which would validate on the past of time-ordered rows;
* :class:`FiniteLossCheck` stops a diverging fit with a clear error instead of letting it
  return NaN or absurd predictions;
* :func:`limit_threads` runs a block with the estimator's own thread count (torch intra-op
  threads and the OpenMP/BLAS pools) and restores the caller's afterwards;
* :func:`check_device` turns a bad or unavailable ``device`` into one clear ``ValueError``.

The neural estimators share one parameter vocabulary: ``learning_rate``, ``weight_decay``,
``batch_size``, ``max_epochs``, ``early_stopping`` (bool), ``validation_fraction``,
``n_iter_no_change``, ``device``, ``n_threads``, ``verbose``, ``random_state``.
"""

import math
import signal
import sys
import threading
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch.callbacks import Callback
from skorch.dataset import Dataset

from ..utils._sklearn import Interval
from ._holdout import tail_split_indices

__all__ = [
    "N_THREADS_CONSTRAINT",
    "FiniteLossCheck",
    "InterruptibleNet",
    "TailSplit",
    "TensorBatchIterator",
    "check_device",
    "limit_threads",
    "seed_from_random_state",
    "torch_seed",
]


class _Interrupted(BaseException):
    """Carries a Ctrl-C through skorch, which swallows KeyboardInterrupt."""


@contextmanager
def _ctrl_c_recorded(pressed):
    """While training, a Ctrl-C is recorded in ``pressed`` (then raised as usual)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread; Ctrl-C does not reach others
        return

    def handler(signum, frame):
        pressed.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class InterruptibleNet:
    """Mixin of the package's skorch nets: Ctrl-C stops ``fit`` with ``KeyboardInterrupt``.

    skorch stops training when a callback raises ``KeyboardInterrupt`` (early stopping does)
    and its ``partial_fit`` swallows every ``KeyboardInterrupt``, the user's Ctrl-C
    included: an interrupted ``fit`` would hand back a model trained for a fraction of its
    epochs, and a command would go on to save it. Here a Ctrl-C (SIGINT) during training
    reaches the caller as ``KeyboardInterrupt``; callbacks still stop training as before.

    Examples
    --------
    >>> from skorch import NeuralNetRegressor
    >>> from sklearn_hydro.utils import InterruptibleNet
    >>> class Net(InterruptibleNet, NeuralNetRegressor):
    ...     pass
    >>> Net.fit_loop is InterruptibleNet.fit_loop
    True
    """

    def fit_loop(self, *args, **kwargs):
        pressed = []
        with _ctrl_c_recorded(pressed):
            try:
                return super().fit_loop(*args, **kwargs)
            except KeyboardInterrupt:
                if pressed:
                    raise _Interrupted from None
                raise  # a callback's stop (early stopping): skorch ends training quietly

    def partial_fit(self, *args, **kwargs):
        try:
            return super().partial_fit(*args, **kwargs)
        except _Interrupted:
            raise KeyboardInterrupt("training interrupted") from None


#: ``_parameter_constraints`` entry of ``n_threads``: a positive int, or None for "leave as is".
N_THREADS_CONSTRAINT = [Interval(Integral, 1, None, closed="left"), None]

# torch's random generator and thread count are global to the process. Fits in threads of one
# process (joblib's threading backend, Dask workers with processes=False) would reseed and
# reset them under each other's feet, so a seeded fit would not give the serial result and
# the caller's thread count could be lost. Holding this lock while either is changed makes
# such fits take turns; process workers (joblib's loky, Dask's default) run side by side.
_TORCH_STATE = threading.RLock()


@contextmanager
def limit_threads(n_threads):
    """Run a block with ``n_threads`` torch and OpenMP/BLAS threads, then restore the caller's.

    Small networks are fastest on one thread: with more, thread hand-offs dominate, and
    several multi-threaded fits (two notebooks, ``GridSearchCV(n_jobs=2)``, a busy machine)
    oversubscribe the cores and slow each other down many times over. The estimators apply
    their ``n_threads`` only inside ``fit``/``predict``/``sample``; the caller's setting is
    untouched outside. The setting is global to the process, so blocks in several threads of
    one process take turns (a lock shared with :func:`torch_seed`).

    Parameters
    ----------
    n_threads : int >= 1 or None
        Threads for the block; None leaves every setting as it is.

    Examples
    --------
    >>> import torch
    >>> from sklearn_hydro.utils import limit_threads
    >>> before = torch.get_num_threads()
    >>> with limit_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    if n_threads is None:
        yield
        return
    with _TORCH_STATE:
        previous = torch.get_num_threads()
        torch.set_num_threads(int(n_threads))
        try:
            with _threadpools().limit(limits=int(n_threads)):
                yield
        finally:
            torch.set_num_threads(previous)


_THREADPOOLS = {"n_modules": None, "controller": None}


def _threadpools():
    """threadpoolctl's controller of the loaded OpenMP/BLAS libraries, looked up again only
    when modules were imported since the last look-up.

    Finding the libraries walks every loaded shared object (about 2.5 ms, longer than a small
    network's ``predict``); a new OpenMP or BLAS library arrives with an import, which grows
    ``sys.modules``. Called under ``_TORCH_STATE``, so threads take turns here too.
    """
    from threadpoolctl import ThreadpoolController

    n_modules = len(sys.modules)
    if _THREADPOOLS["n_modules"] != n_modules:
        _THREADPOOLS["controller"] = ThreadpoolController()
        _THREADPOOLS["n_modules"] = n_modules
    return _THREADPOOLS["controller"]


def check_device(device):
    """Return ``torch.device(device)``, or raise a clear ``ValueError``.

    Raises
    ------
    ValueError
        If ``device`` is not a torch device name, or names CUDA where none is available.

    Examples
    --------
    >>> from sklearn_hydro.utils import check_device
    >>> check_device("cpu")
    device(type='cpu')
    >>> check_device("tpu-please")
    Traceback (most recent call last):
    ...
    ValueError: device='tpu-please' is not a torch device...
    """
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError, TypeError) as exc:
        raise ValueError(f"device={device!r} is not a torch device: {exc}") from None
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} was requested but CUDA is not available on this machine; "
                "use device='cpu'."
            )
        if parsed.index is not None and parsed.index >= torch.cuda.device_count():
            raise ValueError(
                f"device={device!r}: this machine has {torch.cuda.device_count()} CUDA "
                "device(s)."
            )
    elif parsed.type != "cpu":
        raise ValueError(f"device={device!r}: only 'cpu' and 'cuda[:N]' are supported.")
    return parsed


def seed_from_random_state(random_state):
    """Draw one integer seed for torch from a scikit-learn ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        An int gives the same seed every time; None draws from numpy's global generator.

    Returns
    -------
    seed : int
        In ``[0, 2**31 - 1)``.
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _cuda_indices(device):
    device = torch.device(device)
    if device.type != "cuda" or not torch.cuda.is_available():
        return []
    return [device.index if device.index is not None else torch.cuda.current_device()]


@contextmanager
def torch_seed(seed, device="cpu"):
    """Run a block with torch's random generators seeded, then restore their previous state.

    Inside the block the CPU generator (and the CUDA generator of ``device``, if any) start
    from ``seed``, so module initialisation and dropout masks are reproducible; on exit the
    global state is what it was before (``torch.random.fork_rng``), so fitting an estimator
    does not change the random numbers the caller draws afterwards. The generators are
    global to the process, so seeded blocks in several threads take turns (a lock), and each
    gives the result it gives alone.

    Parameters
    ----------
    seed : int
        Seed for the block.
    device : str or torch.device, default="cpu"
        Device whose generator is also seeded and restored when it is a CUDA device.
    """
    devices = _cuda_indices(device)
    with _TORCH_STATE, torch.random.fork_rng(devices=devices):
        torch.default_generator.manual_seed(seed)
        for index in devices:
            with torch.cuda.device(index):
                torch.cuda.manual_seed(seed)
        yield


class TensorBatchIterator:
    """Mini-batches of in-memory data by slicing whole tensors, shuffled by its own generator.

    A drop-in ``iterator_train`` / ``iterator_valid`` for skorch nets fed with arrays:
    ``NeuralNet(..., iterator_train=TensorBatchIterator, iterator_train__shuffle=True,
    iterator_train__seed=0)``. With a :class:`skorch.dataset.Dataset` holding arrays or
    tensors it converts them once and yields ``(X[idx], y[idx])`` (``y`` is None when the
    dataset has no target), avoiding ``DataLoader``'s per-row indexing and collation. Any other
    dataset is handed to a ``DataLoader`` with the same options.

    Each ``iter()`` is one epoch; the permutations of successive epochs come from one
    ``torch.Generator`` seeded with ``seed``, so they are reproducible and independent of the
    global random state.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset or torch.utils.data.Dataset
        The data.
    batch_size : int, default=32
        Rows per batch (the last one may be smaller).
    shuffle : bool, default=False
        Draw a new permutation of the rows every epoch.
    seed : int or None, default=None
        Seed of the shuffling generator; None seeds it from torch's global generator.
    skip_single : bool, default=False
        Skip a last batch of a single row (BatchNorm cannot train on one row; with
        ``shuffle`` a different row is left out every epoch).
    """

    def __init__(self, dataset, batch_size=32, shuffle=False, seed=None, skip_single=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.skip_single = skip_single
        self.generator = torch.Generator()
        if seed is None:
            seed = int(torch.randint(np.iinfo(np.int32).max, (1,)).item())
        self.generator.manual_seed(seed)
        self._X = self._y = None
        if isinstance(dataset, Dataset) and _is_array(dataset.X):
            self._X = torch.as_tensor(dataset.X)
            if dataset.y is not None:
                self._y = torch.as_tensor(dataset.y)

    def __len__(self):
        n_samples = len(self.dataset)
        if self.skip_single and n_samples % self.batch_size == 1:
            return n_samples // self.batch_size
        return math.ceil(n_samples / self.batch_size)

    def __iter__(self):
        if self._X is None:
            loader = torch.utils.data.DataLoader(
                self.dataset,
                batch_size=self.batch_size,
                shuffle=self.shuffle,
                generator=self.generator,
            )
            for batch in loader:
                if not (self.skip_single and len(batch[0]) == 1):
                    yield batch
            return
        n_samples = len(self._X)
        order = torch.randperm(n_samples, generator=self.generator) if self.shuffle else None
        for start in range(0, n_samples, self.batch_size):
            stop = min(start + self.batch_size, n_samples)
            if self.skip_single and stop - start == 1:
                continue
            index = slice(start, stop) if order is None else order[start:stop]
            yield self._X[index], None if self._y is None else self._y[index]


def _is_array(data):
    return isinstance(data, (np.ndarray, torch.Tensor))


class TailSplit:
    """skorch ``train_split`` that validates on the last ``validation_fraction`` of the rows.

    Use ``NeuralNet(..., train_split=TailSplit(0.2))`` instead of skorch's default
    ``ValidSplit``, which would hold out a (stratified, first) fifth regardless of time order.

    Parameters
    ----------
    validation_fraction : float in (0, 1)
        Share of the rows, counted from the end, used for validation
        (see :func:`tail_split_indices`).
    """

    def __init__(self, validation_fraction=0.2):
        self.validation_fraction = validation_fraction

    def __call__(self, dataset, y=None, groups=None):
        train, valid = tail_split_indices(len(dataset), self.validation_fraction)
        if isinstance(dataset, Dataset) and _is_array(dataset.X):
            y = dataset.y
            return (
                Dataset(dataset.X[train], None if y is None else y[train]),
                Dataset(dataset.X[valid], None if y is None else y[valid]),
            )
        rows = range(len(dataset))
        return (
            torch.utils.data.Subset(dataset, rows[train]),
            torch.utils.data.Subset(dataset, rows[valid]),
        )

    def __repr__(self):
        return f"{type(self).__name__}(validation_fraction={self.validation_fraction})"


class FiniteLossCheck(Callback):
    """Raise ``FloatingPointError`` at the end of an epoch whose loss is NaN, inf or too large.

    Without it a diverging fit keeps going and the estimator returns NaN (or absurd)
    predictions. Put it before ``EarlyStopping`` in the callback list so that it runs first.

    Parameters
    ----------
    keys : sequence of str or None, default=None
        History keys to check; None checks every key of the epoch ending in ``"loss"``.
    max_loss : float or None, default=None
        Also raise when a checked loss exceeds this value (useful when the loss has a known
        scale, e.g. the MSE of a standardized target, where Adam with a huge learning rate
        can blow up to large but finite values). None checks finiteness only.
    hint : str, default="lower the learning rate"
        Advice appended to the error message.
    """

    def __init__(self, keys=None, max_loss=None, hint="lower the learning rate"):
        self.keys = keys
        self.max_loss = max_loss
        self.hint = hint

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        keys = self.keys if self.keys is not None else [k for k in row if k.endswith("loss")]
        for key in keys:
            value = row.get(key)
            if value is None:
                continue
            if not math.isfinite(value):
                problem = f"{key} is {value}"
            elif self.max_loss is not None and value > self.max_loss:
                problem = f"{key} is {value:.3g}, above {self.max_loss:.3g}"
            else:
                continue
            raise FloatingPointError(
                f"The training diverged: {problem} at epoch {row['epoch']}. "
                f"Try to {self.hint}; check the inputs for extreme values."
            )


