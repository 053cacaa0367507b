"""A record's number in a page's URL is at most 18 digits (``core.converters``): one that no
database integer can hold matches no page, where SQLite could not even bind it."""

import pytest
from django.urls import Resolver404, get_resolver, resolve

from ..routes import concrete, walk

LARGEST = 10**18 - 1  # 18 digits, within 64 bits (9.2 × 10¹⁸)


def test_every_page_route_takes_record_numbers_through_the_bounded_converter():
    routes = [(name, route) for name, route in walk(get_resolver().url_patterns) if "<id:" in route]
    assert len(routes) >= 70  # 74 when this was written
    for name, route in routes:
        assert resolve(concrete(route, str(LARGEST))).url_name == name.split(":")[-1], route
        with pytest.raises(Resolver404):
            resolve(concrete(route, str(LARGEST + 1)))


def test_a_page_asked_for_with_a_number_too_large_is_a_404(fed, login):
    client = login(fed.user("city", "admin"))
    assert client.get(f"/campaigns/{10**19}/").status_code == 404
    assert client.get(f"/campaigns/{LARGEST}/").status_code == 404
    assert client.get(f"/campaigns/{fed.campaign.pk}/").status_code == 200
