"""Writing users' files: all or nothing, never over an existing file unless asked."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_hydro.utils import atomic_path


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path):
    path = tmp_path / "model.skops"
    path.write_text("previous")
    with pytest.raises(OSError, match="disk full"):
        with atomic_path(path, overwrite=True) as tmp:
            tmp.write_text("half of it")
            raise OSError("disk full")
    assert path.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["model.skops"]


def test_an_existing_file_is_refused_without_overwrite(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("keep me")
    with pytest.raises(FileExistsError, match="--force"):
        with atomic_path(path):
            pass
    assert path.read_text() == "keep me"


def test_two_writers_of_one_path_cannot_both_succeed(tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(FileExistsError, match="another writer"):
        with atomic_path(path) as first:
            first.write_text("first")
            with atomic_path(path) as second:  # a second writer finishes first
                second.write_text("second")
    assert path.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=2000), st.booleans())
def test_whatever_is_written_arrives_whole_and_nothing_else_is_left(content, existing):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / "out.bin"
    if existing:
        path.write_bytes(b"old")
    with atomic_path(path, overwrite=True) as tmp:
        tmp.write_bytes(content)
    assert path.read_bytes() == content
    assert [p.name for p in folder.iterdir()] == ["out.bin"]
