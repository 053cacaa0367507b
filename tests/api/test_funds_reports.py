"""/duplicates, /coverage and /campaigns/{id}/derived/{unit}/{form}: what the real-name records
say, checked against figures worked out by hand from one small set of records."""

import datetime as dt

import pytest

from chunfeng.core.actors import SYSTEM
from chunfeng.core.personal import mask_id
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.register.services import household_create, household_escape
from tests.fixtures import file_report

from .records import ident, post

F1 = latest_builtin("F1")


def filed(unit, seq: int, name: str, *, birth: str = "19700101", category: str = "B", **flags):
    region = unit.code[:6]
    data = {
        "id_number": ident(seq, birth=birth, region=region),
        "name": name,
        "category": category,
        "family_size": 3,
        "income": "500",
        **flags,
    }
    return household_create(unit=unit, data=data, actor=SYSTEM)


def batch(client, fed, unit: str, name: str) -> int:
    response = post(
        client, "/api/v1/payments", {"campaign": fed.campaign.pk, "unit": unit, "name": name}
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def pay(client, batch_id: int, h, amount: str, aid: str, date: str = "2012-01-05") -> dict:
    response = post(
        client,
        f"/api/v1/payments/{batch_id}/lines",
        {"id_number": h.id_number, "amount": amount, "aid_type": aid, "date": date},
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def records(fed, client_as):
    """中山区 keeps h1, h3, h5 (escaped in 2011); 青泥洼桥街道 h2 and h6; 八一路街道 h4.
    The street union pays h2; the district pays h1, h3 and h2 again (a duplicate); 西岗区
    pays h4; h6 is reached by nobody."""
    zs, g1 = fed.zs, fed.zs_g1
    h = {
        1: filed(zs, 1, "张一", birth="19850101", is_migrant=True),
        2: filed(g1, 2, "李二", category="C", is_model_worker=True),
        3: filed(zs, 3, "王三", birth="19750101", category="D"),
        4: filed(fed.xg_g1, 4, "赵四"),
        5: filed(zs, 5, "钱五"),
        6: filed(g1, 6, "孙六"),
    }
    household_escape(
        household=h[5], on=dt.date(2011, 6, 1), reason="再就业", actor=fed.user("zs", "filler")
    )
    receipts = (
        ("zs", "210202", "government", "30000"),
        ("zs", "210202", "union", "12345.67"),
        ("zsg", "210202001", "donation", "100.50"),
    )
    for key, unit, source, amount in receipts:
        response = post(
            client_as(key, "filler"),
            "/api/v1/receipts",
            {
                "campaign": fed.campaign.pk,
                "unit": unit,
                "source": source,
                "amount": amount,
                "received_on": "2011-12-25",
            },
        )
        assert response.status_code == 201, response.json()
    zsg, zs_client, xg = (client_as(k, "filler") for k in ("zsg", "zs", "xg"))
    street = batch(zsg, fed, "210202001", "街道慰问")
    pay(zsg, street, h[2], "800.00", "medical")
    district = batch(zs_client, fed, "210202", "区慰问")
    pay(zs_client, district, h[1], "1000.00", "living")
    pay(zs_client, district, h[3], "300.00", "heating")
    again = pay(zs_client, district, h[2], "200.00", "condolence", "2012-01-09")
    assert [f["kind"] for f in again["flags"]] == ["exact"]
    pay(xg, batch(xg, fed, "210203", "西岗慰问"), h[4], "500.00", "living")
    return h


def url(fed, unit: str, form: str = "F1", campaign=None) -> str:
    return f"/api/v1/campaigns/{campaign or fed.campaign.pk}/derived/{unit}/{form}"


# Worked out by hand for 中山区 (210202) and its street union.
ZS = {
    # on file at the end of the campaign: h1, h2, h3, h6 (h5 escaped before it)
    "03A": "4", "03A.2": "1", "03B": "2", "03C": "1", "03D": "1", "03E": "1",
    # no visits; helped = paid: h1, h2, h3 (h1 a migrant, h2 a model worker)
    "04A": "0", "04A.2": "0", "04B": "0", "04C": "3", "04C.2": "3", "04C.3": "1", "04C.4": "1",
    # 万元, rounded half up: 30000; 12345.67 → 1.234567; 100.50 → 0.01005; in all 42446.17
    "05A": "4.2446", "05B": "3.0000", "05C": "1.2346", "05D": "0.0101", "05E": "0.0000",
    # paid 800 + 1000 + 300 + 200 = 2300; to the model worker h2 1000; to the migrant h1 1000
    "06A": "0.2300", "06B": "0.1000", "06C": "0.1000",
    "07D": "1", "07F": "1", "07G": "0", "07H": "0", "07I": "1", "07I.2": "300.00",
}  # fmt: skip
STREET = {
    "03A": "2", "03A.2": "0", "03B": "1", "03C": "1", "03D": "0", "03E": "0",
    "04A": "0", "04A.2": "0", "04B": "0", "04C": "1", "04C.2": "1", "04C.3": "0", "04C.4": "1",
    "05A": "0.0101", "05B": "0.0000", "05C": "0.0000", "05D": "0.0101", "05E": "0.0000",
    "06A": "0.0800", "06B": "0.0800", "06C": "0.0000",
    "07D": "0", "07F": "1", "07G": "0", "07H": "0", "07I": "0", "07I.2": "0.00",
}  # fmt: skip


# --- 表实相符 ---------------------------------------------------------------------------------


def test_derived_figures_without_a_report(fed, client_as, records):
    response = client_as("zs", "viewer").get(url(fed, "210202"))
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "campaign": fed.campaign.pk,
        "unit": "210202",
        "form": "F1",
        "values": ZS,
        "notes": {},
        "report_status": None,
        "reported": {},
        "differences": [],
    }


def test_derived_figures_against_the_units_report(fed, client_as, records):
    file_report(fed, fed.zs, submit=False, values={**ZS, "06A": "9", "07I.2": "250"})
    got = client_as("city", "reviewer").get(url(fed, "210202")).json()
    assert got["values"] == ZS and got["report_status"] == "draft"
    assert got["reported"] == {**ZS, "06A": "9.0000", "07I.2": "250.00"}
    assert got["differences"] == [
        {
            "code": "06A",
            "label": F1.blanks["06A"].label,
            "reported": "9.0000",
            "recorded": "0.2300",
        },
        {
            "code": "07I.2",
            "label": F1.blanks["07I.2"].label,
            "reported": "250.00",
            "recorded": "300.00",
        },
    ]


def test_derived_figures_of_a_street_union(fed, client_as, records):
    """Not a recipient of the campaign, so no report; its own filler may still compare."""
    for who in (("zsg", "filler"), ("zs", "filler"), ("city", "viewer")):
        got = client_as(*who).get(url(fed, "210202001")).json()
        assert got["values"] == STREET and got["reported"] == {}, who


def test_only_kinds_of_records_kept_are_derived(fed, client_as):
    filed(fed.xg, 1, "独户")
    got = client_as("xg", "filler").get(url(fed, "210203")).json()
    assert got["values"] == {
        "03A": "1",
        "03A.2": "0",
        "03B": "1",
        "03C": "0",
        "03D": "0",
        "03E": "0",
    }


@pytest.mark.parametrize("form", ["F9", "f1"])
def test_a_form_without_derived_figures_is_404(fed, client_as, records, form):
    response = client_as("zs", "filler").get(url(fed, "210202", form))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_of_a_district(fed, client_as, records):
    response = client_as("zs", "filler").get(f"/api/v1/coverage?campaign={fed.campaign.pk}")
    assert response.status_code == 200, response.json()
    h6 = records[6]
    assert response.json() == {
        "campaign": fed.campaign.pk,
        "unit": "210202",
        "on_file": 4,
        "helped": 3,
        "rate": "75.0",
        "children": [{"unit": "210202001", "on_file": 2, "helped": 1, "rate": "50.0"}],
        "missing_count": 1,
        "page": 1,
        "page_size": 200,
        "missing": [
            {"id": h6.pk, "name": "孙六", "id_number": mask_id(h6.id_number), "unit": "210202001"}
        ],
    }
    assert h6.id_number not in response.content.decode()


def test_coverage_of_the_city(fed, client_as, records):
    got = (
        client_as("city", "viewer")
        .get(f"/api/v1/coverage?campaign={fed.campaign.pk}&unit=210200")
        .json()
    )
    assert (got["on_file"], got["helped"], got["rate"]) == (5, 4, "80.0")
    assert got["children"] == [
        {"unit": "210202", "on_file": 4, "helped": 3, "rate": "75.0"},
        {"unit": "210203", "on_file": 1, "helped": 1, "rate": "100.0"},
        {"unit": "2102C01", "on_file": 0, "helped": 0, "rate": None},
    ]
    assert [m["name"] for m in got["missing"]] == ["孙六"]


def test_coverage_pages_the_missing(fed, client_as, records):
    for seq in range(10, 13):
        filed(fed.zs, seq, f"未覆盖{seq}")
    client = client_as("zs", "viewer")
    base = f"/api/v1/coverage?campaign={fed.campaign.pk}&page_size=2"
    first, second = client.get(base).json(), client.get(base + "&page=2").json()
    assert first["missing_count"] == 4 and len(first["missing"]) == 2
    assert len(second["missing"]) == 2
    assert client.get(base.replace("page_size=2", "page_size=1001")).status_code == 400


# --- duplicates -------------------------------------------------------------------------------


def test_duplicates_of_a_district(fed, client_as, records):
    response = client_as("zs", "viewer").get(f"/api/v1/duplicates?campaign={fed.campaign.pk}")
    assert response.status_code == 200, response.json()
    got = response.json()
    h2 = records[2]
    assert (got["campaign"], got["unit"]) == (fed.campaign.pk, "210202")
    [flag] = got["flags"]
    assert (flag["kind"], flag["status"], flag["other_unit"], flag["other_date"]) == (
        "exact",
        "open",
        "210202001",
        "2012-01-05",
    )
    assert (flag["line"]["unit"], flag["line"]["amount"], flag["line"]["date"]) == (
        "210202",
        "200.00",
        "2012-01-09",
    )
    assert flag["line"]["id_number"] == flag["other"]["id_number"] == mask_id(h2.id_number)
    assert "青泥洼桥街道总工会" in flag["message"]
    [group] = got["groups"]
    assert (group["kind"], group["key"], group["units"]) == ("exact", mask_id(h2.id_number), 2)
    assert sorted((ln["unit"], ln["amount"]) for ln in group["lines"]) == [
        ("210202", "200.00"),
        ("210202001", "800.00"),
    ]
    content = response.content.decode()
    for h in records.values():
        assert h.id_number not in content


def test_duplicates_by_status(fed, client_as, records):
    from chunfeng.funds.models import DuplicateFlag
    from chunfeng.funds.services import flag_resolve

    flag_resolve(
        flag=DuplicateFlag.objects.get(), outcome="distinct", actor=fed.user("city", "reviewer")
    )
    client = client_as("zs", "filler")
    base = f"/api/v1/duplicates?campaign={fed.campaign.pk}"
    assert client.get(base + "&status=open").json()["flags"] == []
    [flag] = client.get(base + "&status=distinct").json()["flags"]
    assert flag["status"] == "distinct" and flag["resolved_at"] is not None
    assert client.get(base).json()["flags"][0]["status"] == "distinct"
    bad = client.get(base + "&status=maybe")
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "status"


def test_other_district_sees_no_duplicates(fed, client_as, records):
    got = client_as("xg", "filler").get(f"/api/v1/duplicates?campaign={fed.campaign.pk}").json()
    assert got["flags"] == [] and got["groups"] == []


def test_street_union_sees_the_flag_against_its_own_line(fed, client_as, records):
    """The district's line is above the street union, but it pays the street's family."""
    got = client_as("zsg", "viewer").get(f"/api/v1/duplicates?campaign={fed.campaign.pk}").json()
    assert [f["other"]["unit"] for f in got["flags"]] == ["210202001"]
    assert got["groups"] == []  # the scan covers lines within its own subtree only


# --- permissions ------------------------------------------------------------------------------

READS = [
    "/api/v1/duplicates?campaign={c}&unit={u}",
    "/api/v1/coverage?campaign={c}&unit={u}",
    "/api/v1/campaigns/{c}/derived/{u}/F1",
]


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize(
    "who, unit, status",
    [
        (("zs", "filler"), "210203", 404),
        (("zs", "viewer"), "210203001", 404),
        (("zsg", "filler"), "210202", 404),
        (("zs", "reviewer"), "210202001", 200),
        (("city", "viewer"), "210203", 200),
        (("city", "viewer"), "210202001", 200),
        (("ind", "viewer"), "2102C01", 200),
        (("ind", "viewer"), "210202", 404),
    ],
)
def test_read_matrix(fed, client_as, records, path, who, unit, status):
    response = client_as(*who).get(path.format(c=fed.campaign.pk, u=unit))
    assert response.status_code == status, response.json()


@pytest.mark.parametrize("path", READS)
def test_unknown_campaign_is_404(fed, client_as, path):
    response = client_as("city", "viewer").get(path.format(c=999999, u="210200"))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/duplicates", "/api/v1/coverage"])
def test_campaign_is_required(fed, client_as, path):
    assert client_as("zs", "filler").get(path).status_code == 422


@pytest.mark.parametrize("path", READS)
def test_requires_token(fed, api, path):
    assert api(None).get(path.format(c=fed.campaign.pk, u="210202")).status_code == 401
