"""Write intersphinx inventories for scikit-learn, pandas, NumPy, PyTorch and skorch.

The docs build has no network (neither here nor in CI), so intersphinx cannot download the
projects' own ``objects.inv``. This script writes small stand-ins into ``docs/_inventories/``
from the public names of the *installed* packages, with the URL layout of each project's
online reference (e.g. scikit-learn's ``modules/generated/<name>.html``). They cover classes,
functions and public methods, not every label of the real inventories. Regenerate after
upgrading a dependency::

    python docs/tools/make_inventories.py
"""

import importlib
import inspect
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_inventories"


def _public(names):
    return sorted(n for n in names if not n.startswith("_"))


def _methods(cls):
    return [n for n, v in vars(cls).items()
            if not n.startswith("_") and (inspect.isfunction(v) or isinstance(v, property))]


def _entries_for(module_name, page, *, methods=True, names=None):
    """(name, role, uri) for the public classes/functions of one module."""
    module = importlib.import_module(module_name)
    names = names if names is not None else getattr(module, "__all__", None)
    if names is None:
        names = _public(dir(module))
    out = []
    for name in names:
        try:
            obj = getattr(module, name, None)
        except ImportError:  # e.g. scikit-learn's experimental names behind an import flag
            continue
        if obj is None or inspect.ismodule(obj):
            continue
        full = f"{module_name}.{name}"
        if inspect.isclass(obj):
            role = "py:exception" if issubclass(obj, BaseException) else "py:class"
            uri = page(full)
            out.append((full, role, uri))
            if methods:
                for meth in _methods(obj):
                    kind = "py:property" if isinstance(vars(obj)[meth], property) else "py:method"
                    out.append((f"{full}.{meth}", kind, page(full, meth)))
        elif callable(obj):
            out.append((full, "py:function", page(full)))
    return out


def _write(filename, project, version, entries):
    seen, lines = set(), []
    for name, role, uri, *display in entries:
        if (name, role) in seen:
            continue
        seen.add((name, role))
        priority = -1 if role.startswith("std:") else 1
        lines.append(f"{name} {role} {priority} {uri} {display[0] if display else '-'}")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    body = zlib.compress(("\n".join(sorted(lines)) + "\n").encode(), 9)
    (OUT / filename).write_bytes(header + body)
    print(f"{filename}: {len(lines)} entries ({project} {version})")


def sklearn():
    import sklearn

    def page(full, meth=None):
        anchor = f"{full}.{meth}" if meth else full
        return f"modules/generated/{full}.html#{anchor}"

    # labels that scikit-learn's own docstrings (inherited by our estimators) refer to
    entries = [
        ("metadata_routing", "std:label", "metadata_routing.html#metadata-routing",
         "Metadata routing"),
        ("r2_score", "std:label", "modules/model_evaluation.html#r2-score",
         "R² score, the coefficient of determination"),
        ("df_output_transform", "std:label", "developers/develop.html#df-output-transform",
         "set_output API"),
        ("sphx_glr_auto_examples_miscellaneous_plot_set_output.py", "std:label",
         "auto_examples/miscellaneous/plot_set_output.html",
         "Introducing the set_output API"),
        ("glossary", "std:label", "glossary.html#glossary", "Glossary"),
        ("cross_validation", "std:label", "modules/cross_validation.html#cross-validation",
         "Cross-validation"),
        ("time_series_split", "std:label", "modules/cross_validation.html#time-series-split",
         "Time Series Split"),
        ("grid_search", "std:label", "modules/grid_search.html#grid-search",
         "Tuning the hyper-parameters of an estimator"),
        ("scoring_parameter", "std:label", "modules/model_evaluation.html#scoring-parameter",
         "The scoring parameter"),
        ("pipeline", "std:label", "modules/compose.html#pipeline", "Pipeline"),
        ("column_transformer", "std:label", "modules/compose.html#column-transformer",
         "ColumnTransformer"),
        ("common_pitfalls", "std:label", "common_pitfalls.html#common-pitfalls",
         "Common pitfalls and recommended practices"),
        ("data_leakage", "std:label", "common_pitfalls.html#data-leakage", "Data leakage"),
        ("visualizations", "std:label", "visualizations.html#visualizations", "Visualizations"),
    ]
    for sub in [*sklearn.__all__, "base", "utils", "utils.validation"]:
        try:
            entries += _entries_for(f"sklearn.{sub}", page)
        except ImportError:
            continue
    return "sklearn.inv", "scikit-learn", sklearn.__version__, entries


def pandas():
    import pandas as pd

    def page(full, meth=None):
        return f"reference/api/{full}.{meth}.html" if meth else f"reference/api/{full}.html"

    names = [n for n in _public(dir(pd)) if inspect.isclass(getattr(pd, n))
             or inspect.isfunction(getattr(pd, n))]
    return "pandas.inv", "pandas", pd.__version__, _entries_for("pandas", page, names=names)


def numpy():
    import numpy as np

    def page(full, meth=None):
        return f"reference/generated/{full}.{meth}.html" if meth else \
            f"reference/generated/{full}.html"

    names = [n for n in _public(dir(np)) if inspect.isclass(getattr(np, n))
             or callable(getattr(np, n))]
    entries = _entries_for("numpy", page, names=names, methods=False)
    entries += _entries_for("numpy.random", page, names=["default_rng", "Generator"],
                            methods=False)
    return "numpy.inv", "NumPy", np.__version__, entries


def torch():
    import torch as t

    def page(full, meth=None):
        return f"generated/{full}.html#{full}.{meth}" if meth else f"generated/{full}.html"

    entries = _entries_for("torch.nn", page, names=_public(t.nn.modules.__all__))
    entries += _entries_for("torch.optim", page, names=_public(t.optim.__all__))
    funcs = [n for n in ("manual_seed", "set_num_threads", "get_num_threads", "from_numpy",
                         "tensor", "no_grad", "compile")]
    entries += _entries_for("torch", page, names=funcs, methods=False)
    entries += [
        ("torch.Tensor", "py:class", "tensors.html#torch.Tensor"),
        ("torch.device", "py:class", "tensor_attributes.html#torch.device"),
        ("torch.dtype", "py:class", "tensor_attributes.html#torch.dtype"),
        ("torch.utils.data.DataLoader", "py:class", "data.html#torch.utils.data.DataLoader"),
        ("torch.utils.data.Dataset", "py:class", "data.html#torch.utils.data.Dataset"),
        ("torch.cuda.is_available", "py:function", "generated/torch.cuda.is_available.html"),
    ]
    return "torch.inv", "PyTorch", t.__version__.split("+")[0], entries


def skorch():
    import skorch as s

    pages = {"net": "net.html", "regressor": "regressor.html", "classifier": "classifier.html",
             "callbacks": "callbacks.html", "dataset": "dataset.html", "helper": "helper.html",
             "history": "history.html", "utils": "utils.html"}
    entries = []
    for sub, html in pages.items():
        module = f"skorch.{sub}"

        def page(full, meth=None, html=html):
            return f"{html}#{full}.{meth}" if meth else f"{html}#{full}"

        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        names = [n for n in _public(dir(mod)) if getattr(getattr(mod, n), "__module__", "")
                 .startswith(module)]
        entries += _entries_for(module, page, names=names)
    for name in ("NeuralNet", "NeuralNetRegressor", "NeuralNetClassifier"):
        obj = getattr(s, name)
        entries.append((f"skorch.{name}", "py:class",
                        f"{pages[obj.__module__.split('.')[-1]]}#{obj.__module__}.{name}"))
    return "skorch.inv", "skorch", s.__version__, entries


def main():
    OUT.mkdir(exist_ok=True)
    for make in (sklearn, pandas, numpy, torch, skorch):
        _write(*make())


if __name__ == "__main__":
    main()
