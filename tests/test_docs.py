"""The documentation: every public name has an API page, and the user guide's code runs."""

import doctest
import importlib
import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _apigen():
    return _load("apigen")


def test_every_public_name_has_an_api_page():
    apigen = _apigen()
    entries, aliases = apigen.api_entries()
    documented = {f"{m}.{n}" for m, names in entries.items() for n in names}
    rst = apigen.api_rst()
    for module, names in apigen.public_names().items():
        mod = importlib.import_module(module)
        for name in names:
            assert hasattr(mod, name), f"{module}.__all__ lists {name!r}, which does not exist"
            full = f"{module}.{name}"
            targets = dict(aliases[module])
            assert full in documented or targets.get(name) in documented, full
    # each documented name is listed under an autosummary of its module, once
    for module, names in entries.items():
        block = rst.split(f".. currentmodule:: {module}\n", 1)[1]
        for name in names:
            assert f"\n   {name}\n" in block.split(".. currentmodule::", 1)[0], (module, name)
    assert len(documented) == sum(len(v) for v in entries.values())


def test_public_modules_are_found_by_walking_the_package():
    modules = _apigen().public_modules()
    for expected in ("sklearn_hydro", "sklearn_hydro.preprocessing", "sklearn_hydro.metrics",
                     "sklearn_hydro.plotting", "sklearn_hydro.study", "sklearn_hydro.datasets"):
        assert expected in modules
    assert not any(part.startswith("_") for m in modules for part in m.split(".")[1:])


def test_top_level_names_link_to_their_home_page():
    entries, aliases = _apigen().api_entries()
    top = dict(aliases["sklearn_hydro"])
    assert top["make_windows"] == "sklearn_hydro.windows.make_windows"
    assert top["SigmaOutlierSmoother"] == "sklearn_hydro.preprocessing.SigmaOutlierSmoother"
    assert "SigmaOutlierSmoother" in entries["sklearn_hydro.preprocessing"]


def test_trailing_underscores_escaped_only_in_plain_text():
    fixes = _load("docstring_fixes")
    lines = [
        "**loss_curve_** : ndarray of shape (n_iter_,)",
        "    Uses ``level_`` and :attr:`level_`, then level_ and `Link <http://x>`_.",
        "",
        ">>> model.n_features_in_",
        "{'n_features_in_': 3}",
        "",
        "Example::",
        "",
        "    est.coef_",
        "",
        ".. code-block:: python",
        "",
        "    est.coef_",
        "back in prose: coef_",
    ]
    fixes.escape_trailing_underscores(None, "class", "x", None, None, lines)
    assert lines[0] == "**loss_curve_** : ndarray of shape (n_iter\\_,)"
    assert lines[1] == ("    Uses ``level_`` and :attr:`level_`, then level\\_ and "
                        "`Link <http://x>`_.")
    assert lines[3:6] == [">>> model.n_features_in_", "{'n_features_in_': 3}", ""]
    assert lines[8] == "    est.coef_" and lines[12] == "    est.coef_"
    assert lines[13] == "back in prose: coef\\_"


def test_reexported_constants_get_their_comment_not_their_types_docstring():
    from sklearn_hydro.study import STUDY_MODELS

    fixes = _load("docstring_fixes")
    lines = tuple.__doc__.splitlines()
    fixes.data_comment_docs(None, "data", "sklearn_hydro.study.STUDY_MODELS", STUDY_MODELS,
                            None, lines)
    assert "seven models" in " ".join(lines)
    own = ["My own words."]
    fixes.data_comment_docs(None, "data", "sklearn_hydro.study.STUDY_MODELS", STUDY_MODELS,
                            None, own)
    assert own == ["My own words."]


GUIDE = sorted((DOCS / "user_guide").glob("*.rst")) + [DOCS / "getting_started.rst"]


@pytest.mark.parametrize("page", GUIDE, ids=lambda p: p.name)
def test_user_guide_examples_run(page):
    result = doctest.testfile(
        str(page), module_relative=False, verbose=False, report=True,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert result.failed == 0, f"{result.failed} failing example(s) in {page.name}"


EXAMPLES = sorted((DOCS.parent / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_gallery_examples_have_a_title_and_a_fast_mode(example):
    # the docs build runs every example; without a fast mode one slow example breaks the
    # CI time budget, and without a reST title sphinx-gallery cannot link it (-W fails)
    text = example.read_text()
    lines = text.split('"""')[1].strip().splitlines()
    assert len(lines) >= 2 and set(lines[1]) == {"="} and len(lines[1]) >= len(lines[0])
    assert "SKLEARN_HYDRO_DOCS_FAST" in text
