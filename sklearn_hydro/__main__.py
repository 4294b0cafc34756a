"""``python -m sklearn_hydro``: see :mod:`sklearn_hydro._cli` (``--help`` lists the commands)."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
