"""Test-wide settings.

The suite runs with torch's own default thread count: every neural estimator applies its own
``n_threads`` (default 1) inside ``fit``/``predict``/``sample``, which is what keeps the tiny
networks of the tests fast, as it does for a user's script, a notebook or a parallel grid
search. A global ``torch.set_num_threads(1)`` here would hide an estimator that forgets it,
so instead every test checks that the caller's thread setting is left as it was.

scikit-learn's OpenMP pool and the BLAS pools, which no estimator of the package is asked to
manage outside its own fit, run on one thread for the whole session: the tests' data are
tiny, and gradient boosting's busy-waiting OpenMP threads turned a 0.2 s fit into more than
a minute whenever anything else used the machine (``benchmarks/bench_threads.py``), which
made the suite's time depend on the machine's load. torch's own OpenMP pool is left alone
so that the check above keeps its meaning; a test that needs a multi-threaded caller sets
one itself.
"""

import os

import pytest
from hypothesis import settings
from threadpoolctl import ThreadpoolController

# CI runs the same examples every time (a red build must be reproducible); locally hypothesis
# explores new ones on each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _one_thread_for_openmp_and_blas_outside_torch():
    import sklearn.ensemble  # noqa: F401  (loads scikit-learn's OpenMP runtime)

    pools = ThreadpoolController()
    others = [c.filepath for c in pools.lib_controllers if not _is_torchs(c.filepath)]
    with pools.select(filepath=others).limit(limits=1):
        yield


def _is_torchs(path):
    return os.sep + "torch" + os.sep in path


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


@pytest.fixture
def short_training():
    """``short_training(model)``: at most 100 iterations for scikit-learn's MLPs in ``model``
    (the study's BP model trains up to 2,000), for tests that need a fitted model of the
    same structure, not a good one (a round trip, a look-ahead audit)."""

    def shorten(model):
        return model.set_params(**{k: 100 for k in model.get_params() if k.endswith("max_iter")})

    return shorten
