"""A grid of generated samples (images or sequences)."""

import numpy as np

from ._base import _pyplot

__all__ = ["SampleGridDisplay"]


class SampleGridDisplay:
    """A grid of generated samples: images when ``image_shape`` is given, else lines.

    Parameters
    ----------
    samples : ndarray of shape (n_samples, n_features)
    image_shape : tuple of int or None, default=None
        Shape of one image, e.g. ``(8, 8)``; None draws each sample as a line (e.g. a
        generated demand window).
    labels : array-like of shape (n_samples,) or None, default=None
        A title per cell (e.g. the class a conditional sampler was asked for).
    n_cols : int, default=10

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.plotting import SampleGridDisplay
    >>> samples = np.random.default_rng(0).uniform(0, 16, size=(12, 64))
    >>> display = SampleGridDisplay.from_samples(samples, image_shape=(8, 8), n_cols=6)
    >>> display.axes_.shape
    (2, 6)
    """

    def __init__(self, *, samples, image_shape=None, labels=None, n_cols=10):
        self.samples = samples
        self.image_shape = image_shape
        self.labels = labels
        self.n_cols = n_cols

    def plot(self, axes=None, *, title=None, cmap="gray_r"):
        """Draw the grid.

        Parameters
        ----------
        axes : 2-D array of matplotlib Axes or None, default=None
        title : str or None, default=None
            Figure title.
        cmap : str, default="gray_r"
            Colour map of images.

        Returns
        -------
        display : SampleGridDisplay
        """
        plt = _pyplot()
        samples = np.asarray(self.samples, dtype=float)
        n = len(samples)
        n_cols = min(self.n_cols, n)
        n_rows = -(-n // n_cols)
        if axes is None:
            size = 1.1 if self.image_shape is not None else 1.6
            _, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols, size * n_rows + 0.6),
                                   squeeze=False)
        axes = np.asarray(axes, dtype=object).reshape(n_rows, n_cols)
        if self.image_shape is not None:
            vmin, vmax = np.nanmin(samples), np.nanmax(samples)
        for k, ax in enumerate(axes.ravel()):
            ax.set_xticks([])
            ax.set_yticks([])
            if k >= n:
                ax.set_axis_off()
                continue
            if self.image_shape is not None:
                ax.imshow(samples[k].reshape(self.image_shape), cmap=cmap, vmin=vmin, vmax=vmax)
            else:
                ax.plot(samples[k], lw=1)
            if self.labels is not None:
                ax.set_title(str(self.labels[k]), fontsize=8)
        fig = axes.ravel()[0].figure
        if title:
            fig.suptitle(title)
        self.axes_ = axes
        self.figure_ = fig
        return self

    @classmethod
    def from_samples(cls, samples, *, image_shape=None, labels=None, n_cols=10, axes=None,
                     title=None):
        """Plot samples you already drew.

        Parameters
        ----------
        samples : array-like of shape (n_samples, n_features)
        image_shape : tuple of int or None, default=None
        labels : array-like or None, default=None
        n_cols : int, default=10
        axes : 2-D array of matplotlib Axes or None, default=None
        title : str or None, default=None

        Returns
        -------
        display : SampleGridDisplay
        """
        samples = np.asarray(samples, dtype=float)
        if samples.ndim != 2 or len(samples) == 0:
            raise ValueError(f"samples must be a non-empty 2-D array, got shape "
                             f"{samples.shape}")
        if image_shape is not None and int(np.prod(image_shape)) != samples.shape[1]:
            raise ValueError(f"image_shape {tuple(image_shape)} does not hold "
                             f"{samples.shape[1]} features")
        if labels is not None and len(labels) != len(samples):
            raise ValueError(f"{len(labels)} labels for {len(samples)} samples")
        display = cls(samples=samples, image_shape=image_shape, labels=labels, n_cols=n_cols)
        return display.plot(axes=axes, title=title)

    @classmethod
    def from_estimator(cls, sampler, n_samples=20, *, image_shape=None, n_cols=10,
                       random_state=0, axes=None, title=None, **sample_params):
        """Draw ``n_samples`` from a fitted sampler and plot them.

        Parameters
        ----------
        sampler : fitted estimator with ``sample(n_samples, random_state=...)``
            E.g. a fitted ``GANSampler``. A conditional sampler returns ``(X, y)``; ``y``
            then titles the cells.
        n_samples : int, default=20
        image_shape : tuple of int or None, default=None
        n_cols : int, default=10
        random_state : int or None, default=0
        axes : 2-D array of matplotlib Axes or None, default=None
        title : str or None, default=None
        **sample_params
            Passed to ``sampler.sample``.

        Returns
        -------
        display : SampleGridDisplay
        """
        drawn = sampler.sample(n_samples, random_state=random_state, **sample_params)
        labels = None
        if isinstance(drawn, tuple):
            drawn, labels = drawn
        return cls.from_samples(drawn, image_shape=image_shape, labels=labels, n_cols=n_cols,
                                axes=axes, title=title)

