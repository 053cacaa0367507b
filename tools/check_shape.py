"""Shape checks that ruff and import-linter do not make, run by ``./dev lint``:

* no module of the package over 400 lines (migrations aside);
* no import inside a function unless the import line (or the line above it) says why in a
  comment — imports belong at the top, where the layers contract sees them plainly;
* no ORM query in a view or an API module: reads live in selectors, writes in services.

Prints each problem as ``path:line: message`` and exits 1 when there is any."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_LINES = 400
ORM_CALLS = {
    "objects", "filter", "exclude", "annotate", "aggregate", "values_list", "select_related",
    "prefetch_related", "order_by", "select_for_update", "bulk_create", "update_or_create",
    "get_or_create",
}  # fmt: skip


def _is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py") or "api" in path.parts


def _function_imports(tree: ast.AST) -> list[ast.stmt]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(inner)
    return found


def _orm_uses(tree: ast.AST) -> list[tuple[int, str]]:
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ORM_CALLS:
            uses.append((node.lineno, node.attr))
    return uses


def check(root: Path) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if len(lines) > MAX_LINES:
            problems.append(f"{path}:1: {len(lines)} lines (at most {MAX_LINES}): split it")
        tree = ast.parse(text)
        for node in _function_imports(tree):
            here = lines[node.lineno - 1]
            above = lines[node.lineno - 2] if node.lineno > 1 else ""
            if "#" not in here and not above.strip().startswith("#"):
                problems.append(
                    f"{path}:{node.lineno}: import inside a function without a comment saying why"
                )
        if _is_view_module(path):
            for lineno, attr in _orm_uses(tree):
                problems.append(
                    f"{path}:{lineno}: ORM call .{attr} in a view or API module: "
                    "use a selector or a service"
                )
    return problems


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "chunfeng")
    problems = check(root)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
