"""No project module uses a private name of Django, Wagtail or the libraries they bring.

A ``_``-prefixed module, function or attribute of a framework may change or go in any
release without notice; the project must install on the next Django or Wagtail as it is.
The project's modules are read with ``ast`` (not imported), and every finding names its
file and line.
"""

import ast
import functools
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("schoolportal", "pages", "snippets", "forms", "site", "bench")
FRAMEWORKS = {"django", "wagtail", "modelcluster", "taggit", "django_q"}
# Documented although they start with an underscore.
DOCUMENTED = {"_meta", "_default_manager", "_base_manager", "_db"}


def is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def python_files():
    for folder in SCANNED:
        yield from sorted((ROOT / folder).rglob("*.py"))


WORD = re.compile(r"\b_[A-Za-z]\w*")


@functools.cache
def framework_names():
    """Every ``_``-prefixed word in the frameworks' own sources (code, strings, comments)."""
    words = set()
    for package in FRAMEWORKS:
        folder = Path(importlib.util.find_spec(package).origin).parent
        for path in folder.rglob("*.py"):
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(words)


def defined_names(tree, path=None, foreign=frozenset()):
    """The ``_``-prefixed names a module defines itself: functions, classes, module and
    class variables, ``self._x``/``cls._x`` attributes, import aliases, its own file name,
    and attributes it sets on other objects (``instance._x = …``, ``setattr``) unless the
    name is one of ``foreign`` (a framework's: setting it is no definition of the project's).
    """
    names, set_elsewhere = set(), set()
    if path is not None and is_private(path.stem):
        names.add(path.stem)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Name):
                        names.add(part.id)
                    elif isinstance(part, ast.Attribute):
                        own = isinstance(part.value, ast.Name) and part.value.id in {"self", "cls"}
                        (names if own else set_elsewhere).add(part.attr)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
        elif _constant_attribute_call(node, {"setattr"}):
            set_elsewhere.add(node.args[1].value)
    return {name for name in names | (set_elsewhere - foreign) if is_private(name)}


def _constant_attribute_call(node, functions):
    """``getattr(x, "name")`` and the like, with the name as a literal."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in functions
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    )


def _framework_module(module):
    return module is not None and module.split(".")[0] in FRAMEWORKS


def findings(tree, filename, project_names):
    """``file:line: what`` for every private framework name the module reaches for."""
    found = []

    def report(node, what):
        found.append(f"{filename}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if _framework_module(alias.name) and any(map(is_private, parts)):
                    report(node, f"imports private module {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if not _framework_module(node.module):
                continue
            if any(map(is_private, node.module.split("."))):
                report(node, f"imports from private module {node.module}")
            for alias in node.names:
                if is_private(alias.name):
                    report(node, f"imports private name {alias.name} from {node.module}")
        elif isinstance(node, ast.Attribute):
            name = node.attr
            if is_private(name) and name not in DOCUMENTED and name not in project_names:
                report(node, f"uses private attribute .{name}")
        elif _constant_attribute_call(node, {"getattr", "setattr", "hasattr", "delattr"}):
            name = node.args[1].value
            if is_private(name) and name not in DOCUMENTED and name not in project_names:
                report(node, f"uses private attribute {name!r} through {node.func.id}()")
    return found


def scan(sources):
    """Findings over ``{path: source}``, with the names all of them define allowed."""
    trees = {path: ast.parse(source, filename=str(path)) for path, source in sources.items()}
    project_names = set()
    for path, tree in trees.items():
        project_names |= defined_names(tree, Path(path), framework_names())
    return [
        finding
        for path, tree in trees.items()
        for finding in findings(tree, str(path), project_names)
    ]


def test_no_project_module_uses_a_private_framework_name():
    sources = {path.relative_to(ROOT): path.read_text(encoding="utf-8") for path in python_files()}
    assert len(sources) > 50  # the folders were found

    problems = scan(sources)

    assert not problems, "Private framework names in use:\n" + "\n".join(problems)


def test_private_framework_names_are_found_with_file_and_line():
    source = (
        "from django.utils.translation import gettext as _\n"
        "from django.db.models.query import _Sentinel\n"
        "import wagtail._internal\n"
        "from django_q._brokers import orm\n"
        "\n"
        "def rows(qs):\n"
        "    return qs._iterable_class\n"
        "\n"
        "def known(qs):\n"
        "    return getattr(qs, '_prefetch_related_lookups')\n"
        "\n"
        "def forced(qs):\n"
        "    qs._result_cache = []  # setting Django's attribute does not make it ours\n"
    )

    problems = scan({"pages/example.py": source})

    assert problems == [
        "pages/example.py:2: imports private name _Sentinel from django.db.models.query",
        "pages/example.py:3: imports private module wagtail._internal",
        "pages/example.py:4: imports from private module django_q._brokers",
        "pages/example.py:7: uses private attribute ._iterable_class",
        "pages/example.py:10: uses private attribute '_prefetch_related_lookups' through getattr()",
        "pages/example.py:13: uses private attribute ._result_cache",
    ]


def test_documented_and_own_underscore_names_pass():
    source = (
        "from django.utils.translation import gettext as _\n"
        "from .helpers import _local\n"
        "_CACHE = {}\n"
        "\n"
        "class Thing:\n"
        "    _kind = 'a'\n"
        "\n"
        "    def __init__(self):\n"
        "        self._seen = set()\n"
        "\n"
        "    def label(self, model):\n"
        "        fields = model._meta.get_fields(), model._default_manager, model.objects._db\n"
        "        return _(self._kind), self._seen, self.__class__, _CACHE, fields\n"
    )
    other = "def _helper():\n    pass\n\ndef mark(page):\n    page._seen_by_signal = True\n"
    uses = (
        "from pages import example\n"
        "example._helper()\n"
        "example.Thing._kind\n"
        "setattr(example, '_flagged', True)\n"
        "\n"
        "def check(page):\n"
        "    return page._seen_by_signal, getattr(page, '_flagged', False)\n"
    )

    assert scan({"pages/example.py": source, "pages/other.py": other, "pages/uses.py": uses}) == []
