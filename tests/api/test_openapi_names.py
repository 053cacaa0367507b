"""Every schema of the API has its own name: two answers called alike would share one entry in
the OpenAPI document, and the documentation of one would describe the other."""

import ast
from collections import Counter
from pathlib import Path

import chunfeng.api


def test_schema_class_names_are_unique_across_the_api_modules():
    folder = Path(chunfeng.api.__file__).parent
    names = Counter(
        node.name
        for path in folder.glob("*.py")
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef)
    )
    assert [name for name, n in names.items() if n > 1] == []
