"""Sphinx configuration of the sklearn-hydro documentation.

Build (warnings are errors)::

    python -m pip install -e ".[docs]"
    python -m sphinx -W -b html docs docs/_build/html

``SKLEARN_HYDRO_DOCS_FAST=1`` makes the gallery examples use tiny settings (few epochs,
short series), so the whole build takes a few minutes on two CPU cores.
"""

import os
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import apigen  # noqa: E402
from docstring_fixes import (  # noqa: E402
    alias_resolver,
    data_comment_docs,
    escape_trailing_underscores,
    skip_torch_members,
    sklearn_glossary_terms,
)

import sklearn_hydro  # noqa: E402

project = "sklearn-hydro"
author = "the sklearn-hydro developers"
copyright = "the sklearn-hydro developers, BSD-3-Clause"  # noqa: A001
release = sklearn_hydro.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "tools", "Thumbs.db", ".DS_Store", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json",
                    "auto_examples/*.md5", "auto_examples/*.pickle"]
default_role = "literal"
pygments_style = "sphinx"
myst_heading_anchors = 3

# -- API reference: one page per public name, from each module's __all__ ------------------
(HERE / "api.rst").write_text(apigen.api_rst() + "\n")
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
numpydoc_xref_param_type = False

# -- intersphinx: no network at build time ---------------------------------------------
# docs/_inventories/ holds inventories written by docs/tools/make_inventories.py from the
# installed packages (the projects' own objects.inv cannot be downloaded here or in CI).
# A project whose file is missing is left out instead of failing the -W build.
_INVENTORIES = {
    "sklearn": ("https://scikit-learn.org/stable/", "sklearn.inv"),
    "pandas": ("https://pandas.pydata.org/docs/", "pandas.inv"),
    "numpy": ("https://numpy.org/doc/stable/", "numpy.inv"),
    "torch": ("https://docs.pytorch.org/docs/stable/", "torch.inv"),
    "skorch": ("https://skorch.readthedocs.io/en/stable/", "skorch.inv"),
}
intersphinx_mapping = {
    name: (url, str(HERE / "_inventories" / inv))
    for name, (url, inv) in _INVENTORIES.items()
    if inv is not None and (HERE / "_inventories" / inv).is_file()
}
intersphinx_timeout = 1

# -- sphinx-gallery ------------------------------------------------------------------------
from gallery_scraper import TightScraper  # noqa: E402

FAST = os.environ.get("SKLEARN_HYDRO_DOCS_FAST", "") not in ("", "0")
# The MNIST example needs the IDX files (where the example itself looks for them); without
# them it is shown in the gallery but not run.
_MNIST = Path(os.environ.get("SKLEARN_HYDRO_MNIST", HERE.parents[1] / "shared" / "data" / "mnist"))
_RUN = r"/plot_" if any(_MNIST.glob("t10k-images-idx3-ubyte*")) else r"/plot_(?!gan_mnist)"
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # SKLEARN_HYDRO_DOCS_EXAMPLES=regex runs only the matching examples (while writing docs)
    "filename_pattern": os.environ.get("SKLEARN_HYDRO_DOCS_EXAMPLES", _RUN),
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("sklearn_hydro",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "show_memory": False,
    "matplotlib_animations": False,
    "min_reported_time": 5,
    "image_scrapers": (TightScraper(),),
    "reset_modules": ("matplotlib", "seaborn"),
}

# plot directive (figures in the user guide): code shown, run at build time
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 96)]
plot_rcparams = {"figure.autolayout": True}
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\n"

# doctest builder / plain code blocks
doctest_global_setup = "import numpy as np\nimport pandas as pd\n"

# -- HTML ------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-hydro {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
    "navigation_with_keys": False,
}
html_sidebars = {"index": []}
html_show_sourcelink = False

# The gallery runs in this process. Small networks train fastest on one thread, and
# multi-threaded training collapses when other processes share the CPU (as on CI), so the
# build uses one torch thread and one OpenMP/BLAS thread, like the command line and the tests.
try:
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
except ImportError:  # pragma: no cover
    pass

warnings.filterwarnings("ignore", category=UserWarning,
                        message="Matplotlib is currently using agg")
os.environ.setdefault("MPLBACKEND", "Agg")


# -- docstring fixes shared by every page (docs/docstring_fixes.py, tested in tests/) ---------
def setup(app):
    app.connect("autodoc-process-docstring", data_comment_docs, priority=400)
    app.connect("autodoc-skip-member", skip_torch_members)
    app.connect("autodoc-process-docstring", escape_trailing_underscores, priority=900)
    app.connect("missing-reference", sklearn_glossary_terms, priority=900)
    _, aliases = apigen.api_entries()
    app.connect("missing-reference", alias_resolver(
        {f"{module}.{name}": home for module, pairs in aliases.items() for name, home in pairs}
    ), priority=800)
