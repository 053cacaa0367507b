"""A record's number in a page's URL is at most 18 digits (``core.converters``): one that no
database integer can hold matches no page, where SQLite could not even bind it."""

import pytest
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse

from chunfeng.core.converters import RecordIdConverter

LARGEST = 10**18 - 1  # 18 digits, within 64 bits (9.2 × 10¹⁸)


def _routes_with_ids(resolver=None, prefix=""):
    """Every page route that takes a record's number, as (name, the number's keyword)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):  # an include()
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _routes_with_ids(pattern, space)
        elif pattern.name:
            converters = pattern.pattern.converters
            ids = [key for key, c in converters.items() if isinstance(c, RecordIdConverter)]
            if ids:
                yield f"{prefix}{pattern.name}", ids, converters


def test_every_page_route_takes_record_numbers_through_the_bounded_converter():
    checked = 0
    for name, ids, converters in _routes_with_ids():
        kwargs = {key: LARGEST if key in ids else "x" for key in converters}
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # another argument of a shape "x" is not
            continue
        assert resolve(url).url_name == name.split(":")[-1]
        longer = url.replace(str(LARGEST), str(LARGEST + 1), 1)
        with pytest.raises(Resolver404):
            resolve(longer)
        checked += 1
    assert checked >= 60  # of the 74 routes that take a record's number


def test_a_page_asked_for_with_a_number_too_large_is_a_404(fed, login):
    client = login(fed.user("city", "admin"))
    assert client.get(f"/campaigns/{10**19}/").status_code == 404
    assert client.get(f"/campaigns/{LARGEST}/").status_code == 404
    assert client.get(f"/campaigns/{fed.campaign.pk}/").status_code == 200
