"""Readers for IDX files, the format of the MNIST handwritten digits."""

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from ..utils._sklearn import StrOptions, validate_params

_GZIP_MAGIC = b"\x1f\x8b"

# IDX type code -> big-endian numpy dtype.
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_SUBSET_PREFIX = {"test": "t10k", "train": "train"}


def _parse_idx(data, source):
    """Decode the bytes of one (uncompressed) IDX file."""
    if len(data) < 4:
        raise ValueError(f"{source}: too short for an IDX header ({len(data)} bytes).")
    if data[0] != 0 or data[1] != 0:
        raise ValueError(
            f"{source}: not an IDX file, the magic number must start with two zero bytes, "
            f"got {data[:4].hex()}."
        )
    code, ndim = data[2], data[3]
    if code not in _IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_DTYPES)
        raise ValueError(f"{source}: unknown IDX data type code 0x{code:02X} (known: {known}).")
    if ndim == 0:
        raise ValueError(f"{source}: IDX header declares 0 dimensions.")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(
            f"{source}: header declares {ndim} dimensions but the file has only "
            f"{len(data)} bytes."
        )
    shape = tuple(int(n) for n in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(data) - header
    if found != expected:
        raise ValueError(
            f"{source}: header announces shape {shape} of {dtype.name} ({expected} bytes of "
            f"data) but the file holds {found} bytes after the header."
        )
    array = np.frombuffer(data, dtype=dtype, count=expected // dtype.itemsize, offset=header)
    array = array.reshape(shape)
    return array.astype(dtype.newbyteorder("="))


@validate_params({"path": [str, os.PathLike]}, prefer_skip_nested_validation=True)
def read_idx(path):
    """Read one IDX file into a numpy array.

    IDX is the binary format of the MNIST database: a 4-byte magic number (two zero bytes,
    a data type code and the number of dimensions), one big-endian 32-bit size per
    dimension, then the values in C order. The file may be gzip-compressed; compression is
    detected from its first two bytes (``1f 8b``), not from its name.

    Parameters
    ----------
    path : str or path-like
        The file to read.

    Returns
    -------
    array : numpy.ndarray
        A new, writable array with the shape declared in the header and the dtype of its
        type code in native byte order: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
        0x0D float32, 0x0E float64.

    Raises
    ------
    ValueError
        If the magic number or type code is invalid, or the amount of data does not match
        the declared shape, or the gzip stream is corrupt.

    See Also
    --------
    load_mnist : Images and labels of one MNIST subset.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_hydro.datasets import read_idx
    >>> raw = bytes([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "tiny-idx2-ubyte"
    ...     _ = path.write_bytes(raw)
    ...     read_idx(path)
    array([[1, 2, 3],
           [4, 5, 6]], dtype=uint8)
    """
    path = Path(path)
    data = path.read_bytes()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: corrupt gzip stream ({exc}).") from exc
    return _parse_idx(data, str(path))


def _find(directory, stem):
    candidates = [directory / stem, directory / (stem + ".gz")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate, candidates
    return None, candidates


@validate_params(
    {"directory": [str, os.PathLike], "subset": [StrOptions({"test", "train"})]},
    prefer_skip_nested_validation=True,
)
def load_mnist(directory, subset="test"):
    """Load the images and labels of one MNIST subset from its IDX files.

    Parameters
    ----------
    directory : str or path-like
        Folder holding ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (for
        ``subset="test"``) or ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte``
        (for ``subset="train"``), each plain or with a ``.gz`` suffix (the plain file wins
        when both exist).

    subset : {"test", "train"}, default="test"
        Which subset to load: the 10,000 test digits or the 60,000 training digits.

    Returns
    -------
    images : numpy.ndarray of uint8, shape (n_samples, 28, 28)
        Pixel intensities, 0 = background, 255 = ink.

    labels : numpy.ndarray of uint8, shape (n_samples,)
        The digits 0 to 9.

    Raises
    ------
    FileNotFoundError
        If an images or labels file is missing; the message lists the paths tried.
    ValueError
        If a file is not valid IDX, or the images and labels do not fit together.

    See Also
    --------
    read_idx : Read any IDX file.

    Examples
    --------
    >>> from sklearn_hydro.datasets import load_mnist
    >>> images, labels = load_mnist("path/to/mnist")  # doctest: +SKIP
    >>> images.shape, labels.shape  # doctest: +SKIP
    ((10000, 28, 28), (10000,))
    """
    directory = Path(directory)
    prefix = _SUBSET_PREFIX[subset]
    found = {}
    for kind, stem in (("images", "images-idx3-ubyte"), ("labels", "labels-idx1-ubyte")):
        path, tried = _find(directory, f"{prefix}-{stem}")
        if path is None:
            listed = ", ".join(str(p) for p in tried)
            raise FileNotFoundError(
                f"MNIST {subset} {kind} not found; looked for: {listed}."
            )
        found[kind] = path

    images = read_idx(found["images"])
    labels = read_idx(found["labels"])
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(
            f"{found['images']}: expected uint8 images of shape (n, rows, cols), got "
            f"{images.dtype} of shape {images.shape}."
        )
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise ValueError(
            f"{found['labels']}: expected uint8 labels of shape (n,), got {labels.dtype} "
            f"of shape {labels.shape}."
        )
    if images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{images.shape[0]} images but {labels.shape[0]} labels in {directory}."
        )
    return images, labels
