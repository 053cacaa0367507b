"""Every URL the project routes, for the tests that call each of them."""

import re

from django.urls import URLPattern, URLResolver


def walk(patterns, prefix="", namespace=""):
    """``(name with its namespaces, route)`` for each pattern, includes followed."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}" if p.name else "", prefix + str(p.pattern)


def concrete(route: str, number: str = "1") -> str:
    """A path the route matches: ``number`` for a record's number, ``x`` for anything else."""
    route = re.sub(r"<(?:int|id):[^>]+>", number, route)
    route = re.sub(r"<(?:str:)?[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")
