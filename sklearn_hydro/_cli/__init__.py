"""The command line, a thin shell over the library: parser, entry point, and one function per
command. Private: the public entry point is ``python -m sklearn_hydro`` (and the
``sklearn-hydro`` script).

Importing it imports nothing heavy, so ``--help`` is fast (no torch).
"""

from ._main import main

__all__ = ["main"]
