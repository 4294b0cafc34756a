"""Test-wide settings.

The suite runs with torch's own default thread count: every neural estimator applies its own
``n_threads`` (default 1) inside ``fit``/``predict``/``sample``, which is what keeps the tiny
networks of the tests fast, as it does for a user's script, a notebook or a parallel grid
search. A global ``torch.set_num_threads(1)`` here would hide an estimator that forgets it,
so instead every test checks that the caller's thread setting is left as it was.
"""

import os

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red build must be reproducible); locally hypothesis
# explores new ones on each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def _runs_the_command_line(item):
    """The CLI owns its process and sets torch's threads for all of it (``--threads``)."""
    return item.name.startswith("test_cli") or item.path.name in ("test_cli.py", "test_main.py")


@pytest.fixture(autouse=True)
def _threads_are_left_as_they_were(request):
    try:
        import torch
    except ImportError:  # pragma: no cover
        yield
        return
    before = torch.get_num_threads()
    yield
    after = torch.get_num_threads()
    torch.set_num_threads(before)
    if not _runs_the_command_line(request.node):
        assert after == before, f"the test left torch on {after} thread(s) instead of {before}"
