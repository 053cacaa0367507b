import pytest

ALL = {"210200", "210202", "210203", "2102C01", "210202001", "210203001"}


@pytest.mark.parametrize(
    "key, role, expected",
    [
        ("zs", "filler", {"210202", "210202001"}),
        ("zs", "viewer", {"210202", "210202001"}),
        ("xg", "reviewer", {"210203", "210203001"}),
        ("zsg", "filler", {"210202001"}),
        ("ind", "admin", {"2102C01"}),
        ("city", "viewer", ALL),
    ],
)
def test_units_are_the_callers_subtree(client_as, key, role, expected):
    response = client_as(key, role).get("/api/v1/orgunits")
    assert response.status_code == 200
    assert {u["code"] for u in response.json()} == expected


def test_unit_fields(client_as):
    units = {u["code"]: u for u in client_as("zs", "filler").get("/api/v1/orgunits").json()}
    assert units["210202"] == {
        "code": "210202",
        "name": "中山区总工会",
        "kind": "county",
        "parent": "210200",
        "active": True,
        "depth": units["210202"]["depth"],
    }
    assert units["210202001"]["parent"] == "210202"
    assert units["210202001"]["depth"] == units["210202"]["depth"] + 1


def test_root_has_no_parent(client_as):
    units = {u["code"]: u for u in client_as("city", "admin").get("/api/v1/orgunits").json()}
    assert units["210200"]["parent"] is None
