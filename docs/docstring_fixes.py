"""Docstring fixes applied while Sphinx reads the API (hooked up in ``docs/conf.py``).

Five people write docstrings; these keep the ``-W`` build clean without asking every one of
them to know reStructuredText's corners.
"""

import re

_TRAILING_UNDERSCORE = re.compile(r"(?<![\w\\`*|])([A-Za-z]\w*)_(?![\w`*|])")
_DIRECTIVE = re.compile(r"^(\s*)\.\. [\w:-]+::")


def _escape_plain(text):
    """Escape ``name_`` outside inline literals, roles and strong text.

    reStructuredText reads ``n_features_in_`` in plain text (e.g. a numpydoc type such as
    ``ndarray of shape (n_samples, n_features_in_)``) as a link to a target that does not
    exist; a backslash keeps it plain text.
    """
    parts = re.split(r"(``.*?``|`[^`]*`_{0,2}|\*\*.*?\*\*|:math:`[^`]*`)", text)
    return "".join(
        part if i % 2 else _TRAILING_UNDERSCORE.sub(r"\1\\_", part)
        for i, part in enumerate(parts)
    )


def escape_trailing_underscores(app, what, name, obj, options, lines):
    """Runs after numpydoc; leaves literal blocks, doctests and directive bodies alone."""
    literal_indent = None
    in_doctest = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if in_doctest:
            in_doctest = bool(stripped)
            continue
        if literal_indent is not None:
            if not stripped or indent > literal_indent:
                continue
            literal_indent = None
        if stripped.startswith(">>>"):
            in_doctest = True
            continue
        if _DIRECTIVE.match(line) or (stripped.endswith("::") and not stripped.startswith(":")):
            literal_indent = indent
            if _DIRECTIVE.match(line):
                continue
        if stripped.startswith(".. "):
            continue
        lines[i] = _escape_plain(line)


def sklearn_glossary_terms(app, env, node, contnode):
    """``:term:`` references to scikit-learn's glossary (in inherited docstrings) link there."""
    if node.get("reftype") != "term" or node.get("refdomain") != "std":
        return None
    from docutils import nodes

    target = node["reftarget"]
    slug = re.sub(r"[^a-z0-9]+", "-", target.lower()).strip("-")
    ref = nodes.reference("", "", internal=False,
                          refuri=f"https://scikit-learn.org/stable/glossary.html#term-{slug}")
    ref += contnode
    return ref


def _comment_docs(module_name, attr):
    """The ``#:`` comment above ``attr = ...`` in ``module_name`` or one of its submodules."""
    import importlib
    import inspect
    import pkgutil

    names = [module_name]
    module = importlib.import_module(module_name)
    if hasattr(module, "__path__"):
        names += [f"{module_name}.{info.name}" for info in pkgutil.iter_modules(module.__path__)]
    assignment = re.compile(rf"^{re.escape(attr)}\s*(:[^=]*)?=")
    for name in names:
        try:
            source = inspect.getsource(importlib.import_module(name)).splitlines()
        except (ImportError, OSError, TypeError):  # no source to read: try the next module
            continue
        for k, line in enumerate(source):
            if assignment.match(line):
                comment = []
                while k > 0 and source[k - 1].startswith("#:"):
                    k -= 1
                    comment.insert(0, source[k][2:].strip())
                if comment:
                    return [*comment, ""]
    return None


def data_comment_docs(app, what, name, obj, options, lines):
    """Constants re-exported by a package: use their ``#:`` comment, not ``tuple``'s doc.

    autodoc looks for the ``#:`` comment in the module that re-exports a constant (e.g.
    ``sklearn_hydro.study``), finds none and falls back to the docstring of the value's type
    ("Built-in immutable sequence..."). This finds the comment where the constant is defined.
    """
    if what not in ("data", "attribute") or "." not in name:
        return
    type_doc = (type(obj).__doc__ or "").strip().splitlines()
    if type_doc and [ln.strip() for ln in lines if ln.strip()][:1] != type_doc[:1]:
        return  # the constant has a documentation of its own
    module_name, attr = name.rsplit(".", 1)
    found = _comment_docs(module_name, attr)
    lines[:] = found if found is not None else []


def alias_resolver(aliases):
    """A ``missing-reference`` handler: ``sklearn_hydro.make_windows`` and other names
    importable from a package but documented under their home module link to that page.

    ``aliases`` maps an importable dotted name to its documented (home) dotted name.
    """

    def resolve(app, env, node, contnode):
        if node.get("refdomain") != "py":
            return None
        target = aliases.get(node.get("reftarget"))
        if target is None:
            return None
        domain = env.get_domain("py")
        return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], target,
                                   node, contnode)

    return resolve


def skip_torch_members(app, what, name, obj, skip, options):
    """Members a torch module inherits from ``torch.nn.Module`` are torch's to document.

    The class template lists inherited members (scikit-learn's ``get_params`` and friends
    belong on every estimator page), but ``nn.Module``'s hundred methods would bury
    ``DualRecurrentNet``'s own, and their docstrings are not valid numpydoc.
    """
    if what == "class" and (getattr(obj, "__module__", None) or "").startswith("torch"):
        return True
    return None
