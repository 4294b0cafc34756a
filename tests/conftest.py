"""Test-wide settings.

Tiny networks run 5-100x slower with torch's default of one thread per core on a small,
busy machine (thread hand-off dominates), so the suite runs torch on one thread.
"""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _torch_single_thread():
    try:
        import torch
    except ImportError:  # pragma: no cover
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
