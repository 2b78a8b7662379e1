"""Dependencies run one way (issue #14): read from the source with ``ast``, nothing imported.

- Feature apps never import the portal app: the portal's pages (dashboard, profile,
  children) use the features, and features build their pages with the small toolkit in
  ``schoolportal.parentviews``.
- ``schoolportal.access`` imports models only: no views, forms, URLs or page-type modules,
  which ask ``access`` themselves.
- No import circle among the project's modules, counting imports inside functions too (a
  circle broken only by importing late is still a circle).
- No application module over 500 lines, migrations aside: a longer one is split along a seam.
"""

import ast
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("schoolportal", "pages", "snippets", "forms")
FEATURE_APPS = (
    "agenda",
    "mailings",
    "grouppages",
    "classposts",
    "notifications",
    "people",
    "accounts",
    "conversations",
    "results",
    "dataexport",
)
MAX_MODULE_LINES = 500


def project_modules(root=ROOT, packages=PACKAGES):
    """``{dotted module name: file}`` of every module of ``packages``, migrations aside."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


class _Imports(ast.NodeVisitor):
    """Every ``(line, imported name)`` of a module; ``from a import b`` gives ``a.b``."""

    def __init__(self, module, is_package):
        self.package = module if is_package else module.rpartition(".")[0]
        self.found = []

    def visit_If(self, node):
        # What only type checkers import is never imported when the code runs.
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
        if name == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node):
        self.found.extend((node.lineno, alias.name) for alias in node.names)

    def visit_ImportFrom(self, node):
        if node.level:
            parts = self.package.split(".")
            base = parts[: len(parts) - node.level + 1]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module
        self.found.extend((node.lineno, f"{source}.{alias.name}") for alias in node.names)


def imports_of(module, path):
    visitor = _Imports(module, path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return visitor.found


def _within(name, modules):
    """The module of ``modules`` that ``name`` is or lies in, or None (not the project's)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules):
    """``{module: {imported project module: line of the first such import}}``."""
    graph = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, {})
        for line, name in imports_of(module, path):
            target = _within(name, modules)
            # A package importing its own parts is no circle: Python runs those first.
            if target and target != module and not module.startswith(target + "."):
                edges.setdefault(target, line)
    return graph


def find_cycle(graph):
    """One import circle as ``[a, b, ..., a]``, or None."""
    state = {}  # module: "open" while on the path being followed, "done" after

    def visit(module, path):
        state[module] = "open"
        path.append(module)
        for target in sorted(graph.get(module, {})):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target, path)
                if found:
                    return found
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module, [])
            if found:
                return found
    return None


def _where(modules, module, line, root=ROOT):
    return f"{modules[module].relative_to(root)}:{line}"


def describe_cycle(cycle, graph, modules, root=ROOT):
    steps = [
        f"  {_where(modules, a, graph[a][b], root)}: {a} imports {b}" for a, b in pairwise(cycle)
    ]
    return "import circle:\n" + "\n".join(steps)


def test_feature_apps_never_import_the_portal():
    modules = project_modules()
    wrong = [
        f"{_where(modules, module, line)}: imports {name}"
        for module, path in modules.items()
        if module.split(".")[:2] in [["schoolportal", app] for app in FEATURE_APPS]
        for line, name in imports_of(module, path)
        if name == "schoolportal.portal" or name.startswith("schoolportal.portal.")
    ]
    assert not wrong, "feature apps import the portal app:\n" + "\n".join(wrong)


def _may_be_imported_by_access(name, modules):
    target = _within(name, modules)
    if target is None:  # not the project's: Django, Wagtail, taggit...
        last = name.split(".")
        return not {"views", "forms", "urls", "wagtail_hooks"} & set(last)
    if target == "schoolportal.access" or target.startswith("schoolportal.access."):
        return True
    parts = target.split(".")
    return len(parts) == 3 and parts[0] == "schoolportal" and parts[2] == "models"


def test_access_imports_models_only():
    modules = project_modules()
    wrong = [
        f"{_where(modules, module, line)}: imports {name}"
        for module, path in modules.items()
        if module == "schoolportal.access" or module.startswith("schoolportal.access.")
        for line, name in imports_of(module, path)
        if not _may_be_imported_by_access(name, modules)
    ]
    assert not wrong, "schoolportal.access imports more than models:\n" + "\n".join(wrong)


def test_no_import_circles():
    modules = project_modules()
    graph = import_graph(modules)
    cycle = find_cycle(graph)
    assert cycle is None, describe_cycle(cycle, graph, modules)


def test_an_import_circle_through_a_late_import_is_found(tmp_path):
    """The check above finds circles, late (in-function) imports included."""
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("from . import helpers\n")
    (package / "helpers.py").write_text("def rule():\n    from app.rules import check\n")
    (package / "rules.py").write_text("from .models import Thing\n")
    modules = project_modules(tmp_path, ("app",))
    graph = import_graph(modules)
    cycle = find_cycle(graph)
    assert cycle == ["app.helpers", "app.rules", "app.models", "app.helpers"]
    described = describe_cycle(cycle, graph, modules, tmp_path)
    assert "app/helpers.py:2: app.helpers imports app.rules" in described

    (package / "rules.py").write_text("import os\n")
    assert find_cycle(import_graph(project_modules(tmp_path, ("app",)))) is None


def long_modules(modules, root=ROOT, limit=MAX_MODULE_LINES):
    """``"path: N lines"`` for every module of ``modules`` longer than ``limit`` lines."""
    counts = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in modules.values()}
    return [
        f"{path.relative_to(root)}: {count} lines"
        for path, count in sorted(counts.items())
        if count > limit
    ]


def test_no_application_module_is_over_500_lines():
    too_long = long_modules(project_modules())
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(too_long)


def test_a_module_over_500_lines_is_named_with_its_length(tmp_path):
    """The check above counts every module of the folders, migrations aside."""
    package = tmp_path / "app"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("x = 1\n" * MAX_MODULE_LINES)
    (package / "views.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    (package / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900)
    modules = project_modules(tmp_path, ("app",))
    assert long_modules(modules, tmp_path) == ["app/views.py: 501 lines"]
