"""Writing a user's files safely: a whole new file or none, never a half-written one."""

import os
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["atomic_path", "check_not_input"]


@contextmanager
def atomic_path(path, *, overwrite=False):
    """A temporary path next to ``path``, moved into place when the block succeeds.

    The output is written to a temporary file in the same folder and renamed to ``path``
    only if the ``with`` block finishes; on any error or interruption (Ctrl-C included) the
    temporary file is removed and ``path`` is left as it was. Without ``overwrite`` an
    existing ``path`` is refused, before and after the block: the file is put in place with
    a hard link, which fails if another writer created ``path`` meanwhile, so two writers
    cannot both succeed silently.

    Parameters
    ----------
    path : str or Path
    overwrite : bool, default=False
        Replace an existing ``path`` (atomically).

    Yields
    ------
    Path
        Where to write.

    Raises
    ------
    FileExistsError
        ``path`` exists and ``overwrite`` is False.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sklearn_hydro.utils import atomic_path
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("all or nothing")
    >>> target.read_text()
    'all or nothing'
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise FileExistsError(f"{path} exists; not replaced (pass --force, or overwrite=True, "
                              "to replace it)")
    fd, name = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".",
                                prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise FileExistsError(f"{path} was created by another writer meanwhile; "
                                      "not replaced") from None
            tmp.unlink()
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()


def check_not_input(output, inputs, what="--output"):
    """Refuse an output path that is one of the inputs (it would destroy the input).

    Paths are compared after resolving them (``./a.csv`` and ``a.csv`` are one file);
    None among ``inputs`` is skipped.

    Examples
    --------
    >>> from sklearn_hydro.utils import check_not_input
    >>> check_not_input("forecast.csv", ["history.csv", None])
    >>> try:
    ...     check_not_input("./history.csv", ["history.csv"])
    ... except ValueError as exc:
    ...     print(str(exc).split(";")[0])
    --output ./history.csv is also an input (history.csv)
    """
    out = Path(output).resolve()
    for item in inputs:
        if item is None:
            continue
        if Path(item).resolve() == out:
            raise ValueError(f"{what} {output} is also an input ({item}); writing it would "
                             "destroy that input: choose another output path")
