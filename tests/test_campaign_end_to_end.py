"""Issue 10's "done means", end to end through the API and the pages as the users would: the
province gives its campaign to the city; the city passes it to its district and industrial
union, the district on to its grassroots unions with an earlier deadline; the grassroots unions
file, the district approves, keeps its 本级 and files 合计; the city sees per-form completeness
at both levels, keeps its 本级 and files 合计 = 本级 + 下级 exactly (the 属地/产业 rule applied
to planted overlapping workers) to the province, which closes the campaign with a final report
that can be printed and exported. Alongside: a 劳模 off the register paid by two unions is
flagged and counted in 06A only, a payment out of the period is refused, and the bank's result
file confirms some lines and lists the failed ones.

Only the tree, its users and the register's households are planted through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.fixtures import attach_work_report
from tests.funds.helpers import household, ident
from tests.rollups.tree import build_tree, figures

LAOMO = ident(801, birth="19600305")  # a 劳模 in no hardship file
ACCOUNTS = ("6222020000000000011", "6222020000000000022", "6222020000000000033")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree(db):
    found = build_tree()
    found.campaign.recipients.set([found.city])  # the province gives it to the city only
    return found


class Actors:
    """API clients (and page clients) of the tree's users, one token each."""

    def __init__(self, tree, api, login):
        self.tree, self._api, self._login = tree, api, login
        self.cid = tree.campaign.pk

    def api(self, unit, role: str):
        return self._api(self.tree.token(unit, role))

    def page(self, unit, role: str):
        return self._login(self.tree.user(unit, role))

    def url(self, unit, tail: str = "") -> str:
        return f"/api/v1/campaigns/{self.cid}/reports/{unit.code}/F1{tail}"

    def put(self, unit, values: dict, *, own: bool = False):
        response = self.api(unit, "filler").put(
            self.url(unit, "/own" if own else ""),
            {"values": values},
            content_type="application/json",
        )
        assert response.status_code == 200, response.json()
        return response.json()

    def submit(self, unit):
        attach_work_report(self.tree.campaign, unit, self.tree.user(unit, "filler"))
        response = self.api(unit, "filler").post(self.url(unit, "/submit"))
        assert response.status_code == 200, response.json()

    def approve(self, unit, by):
        response = self.api(by, "reviewer").post(
            self.url(unit, "/approve"), {}, content_type="application/json"
        )
        assert response.status_code == 200, response.json()

    def fill(self, unit):
        """The page's 汇总填入 button: the unit's report filled with 本级 + 下级合计."""
        page = self.page(unit, "filler")
        response = page.post(f"/campaigns/{self.cid}/reports/{unit.code}/F1/fill/")
        assert response.status_code == 302, response.content.decode()[:500]

    def values(self, unit, *, own: bool = False) -> dict:
        response = self.api(unit, "viewer").get(self.url(unit, "/own" if own else ""))
        assert response.status_code == 200, response.json()
        return response.json()["values"]

    def pass_down(self, unit, target: str, deadline: str):
        response = self.api(unit, "admin").post(
            f"/api/v1/campaigns/{self.cid}/pass-down",
            {"target": target, "deadline": deadline, "notice": f"请于{deadline}前报送"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        return response.json()

    def completeness(self, unit, viewer_unit=None):
        client = self.api(viewer_unit or unit, "viewer")
        response = client.get(f"/api/v1/campaigns/{self.cid}/completeness?unit={unit.code}")
        assert response.status_code == 200, response.json()
        return response.json()

    def summary(self, unit):
        client = self.api(unit, "viewer")
        response = client.get(f"/api/v1/campaigns/{self.cid}/summary/{unit.code}/F1")
        assert response.status_code == 200, response.json()
        return response.json()


@pytest.fixture
def act(tree, api, login):
    return Actors(tree, api, login)


def exactly(summary: dict) -> None:
    """合计 = 本级 + 下级合计 for every blank of a summary answer, in exact decimals."""
    for code, blank in summary["blanks"].items():
        own, children, total = (blank[k] for k in ("own", "children", "total"))
        if total is None:
            continue
        parts = [Decimal(v) for v in (own, children) if v is not None]
        assert Decimal(total) == sum(parts, Decimal(0)), code


def test_one_campaign_from_the_province_to_the_grassroots_and_back(tree, act):
    city, district, industry = tree.city, tree.district, tree.industry
    g1, g2 = tree.grassroots

    # --- the campaign passed down the tree, each level with an earlier deadline -------------
    passed = act.pass_down(city, "children", "2012-01-07")
    assert passed["units"] == [district.code, industry.code]
    act.pass_down(district, "children", "2012-01-05")
    act.pass_down(industry, "children", "2012-01-06")
    late = act.api(district, "admin").post(
        f"/api/v1/campaigns/{act.cid}/pass-down",
        {"target": "children", "deadline": "2012-01-08"},
        content_type="application/json",
    )
    assert late.status_code == 400 and late.json()["code"] == "late_deadline"
    tree_of = act.api(g1, "viewer").get(f"/api/v1/campaigns/{act.cid}/deadlines").json()
    assert [(r["unit"], r["deadline"]) for r in tree_of] == [
        ("210000", "2012-01-08"),
        ("210200", "2012-01-07"),
        ("210202", "2012-01-05"),
    ]

    # --- grassroots unions file, the district approves, keeps 本级 and files 合计 ------------
    for unit, vals in ((g1, figures(100, 10, "1.5000", 2)), (g2, figures(50, 5, "0.2500", 1))):
        act.put(unit, vals)
        act.submit(unit)
        act.approve(unit, by=district)
    act.put(district, figures(7, 0, "3.0000", 4), own=True)
    act.fill(district)
    filed = act.values(district)
    assert (filed["01A"], filed["01A.2"], filed["04C"]) == ("157", "15", "7")
    assert filed["05A"] == "4.7500"  # 3 + 1.5 + 0.25
    exactly(act.summary(district))
    act.submit(district)

    # --- the industrial union: its grassroots union's 80 workers are also in the district's -
    act.put(tree.industry_grassroots, figures(80, 8, "2.0000", 3))
    act.submit(tree.industry_grassroots)
    act.approve(tree.industry_grassroots, by=industry)
    act.put(industry, figures(0, 0, "0.5000", 1), own=True)
    act.fill(industry)
    act.submit(industry)

    # --- the city sees completeness per form at both levels ----------------------------------
    at_city = act.completeness(city)
    rows = {r["unit"]: r for r in at_city["rows"]}
    assert set(rows) == {city.code, district.code, industry.code, g1.code, g2.code, "2102C01001"}
    assert rows[city.code]["status"] == "not_started"  # the city's own 合计 is still to come
    assert rows[g1.code]["deadline"] == "2012-01-05" and rows[g1.code]["status"] == "approved"
    assert rows[district.code]["deadline"] == "2012-01-07"
    assert rows[district.code]["status"] == "submitted"  # its 本级 is not a filing
    f1_total = next(r for r in at_city["form_rates"] if r["form"] == "F1" and r["level"] == "合计")
    assert (f1_total["expected"], f1_total["filed"]) == (6, 5)
    at_district = act.completeness(district, viewer_unit=city)
    assert {r["unit"] for r in at_district["rows"]} == {district.code, g1.code, g2.code}
    assert act.completeness(district)["rows"] == at_district["rows"]  # the district's own view
    act.approve(district, by=city)
    act.approve(industry, by=city)

    # --- the city keeps 本级 and files 合计 = 本级 + 下级, 01–03 from the 属地 branch only -----
    act.put(city, figures(0, 0, "10.0000", 5), own=True)
    at_city = act.summary(city)
    assert at_city["branches"] == {"territory": [district.code], "industry": [industry.code]}
    workers = at_city["blanks"]["01A"]
    assert (workers["territory"], workers["industry"], workers["rule"]) == (
        "157",
        "80",
        "territory",
    )
    assert workers["total"] == "157"  # not 237: the overlap is not counted twice
    money = at_city["blanks"]["05A"]
    assert (money["own"], money["children"], money["total"]) == ("10.0000", "7.2500", "17.2500")
    exactly(at_city)
    act.fill(city)
    filed = act.values(city)
    assert {c: filed[c] for c in at_city["values"]} == at_city["values"]  # the 合计, as shown
    assert filed["04C"] == "16"
    act.submit(city)
    act.approve(city, by=tree.province)

    # --- the province closes: its final report = its 本级 + the city's filed 合计 -------------
    act.put(tree.province, figures(0, 0, "1.0000", 0), own=True)
    closed = act.api(tree.province, "reviewer").post(f"/api/v1/campaigns/{act.cid}/close")
    assert closed.status_code == 200, closed.json()
    final = act.values(tree.province)
    assert (final["01A"], final["05A"], final["04C"]) == ("157", "18.2500", "16")
    exactly(act.summary(tree.province))
    again = act.api(tree.province, "filler").put(
        act.url(tree.province, "/own"),
        {"values": figures(1, 0, "1.0000", 0)},
        content_type="application/json",
    )
    assert again.status_code == 403  # frozen
    page = act.page(tree.province, "viewer")
    base = f"/campaigns/{act.cid}/reports/{tree.province.code}/F1/file/export"
    for ext, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        exported = page.get(f"{base}.{ext}")
        assert exported.status_code == 200, ext
        body = b"".join(exported.streaming_content) if exported.streaming else exported.content
        assert body.startswith(magic), ext


def pay(client, batch: int, body: dict):
    line = {"kind": "cash", "aid_type": "condolence", "date": "2012-01-10"} | body
    return client.post(f"/api/v1/payments/{batch}/lines", line, content_type="application/json")


def new_batch(client, cid: int, unit, name: str) -> int:
    response = client.post(
        "/api/v1/payments",
        {"campaign": cid, "unit": unit.code, "name": name},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_aid_by_real_name_within_the_period_and_on_the_bank_word(tree, act):
    district, industry = tree.district, tree.industry
    act.pass_down(tree.city, "children", "2012-01-07")
    zs, ind = act.api(district, "filler"), act.api(industry, "filler")

    # --- a 劳模 not on the register, paid by two unions: flagged, counted in 06A only -------
    laomo = {"recipient": "model", "id_number": LAOMO, "name": "王劳模"}
    first = pay(zs, new_batch(zs, act.cid, district, "劳模慰问"), laomo | {"amount": "1000"})
    assert first.status_code == 201, first.json()
    assert first.json()["household"] is None and first.json()["flags"] == []
    second = pay(ind, new_batch(ind, act.cid, industry, "劳模慰问"), laomo | {"amount": "500"})
    assert second.status_code == 201, second.json()
    assert [f["kind"] for f in second.json()["flags"]] == ["exact"]
    assert LAOMO not in second.content.decode()
    derived = act.api(tree.city, "viewer").get(
        f"/api/v1/campaigns/{act.cid}/derived/{tree.city.code}/F1"
    )
    got = derived.json()["values"]
    assert got["06A"] == "0.1500"  # 1000 + 500 元 in 万元
    assert all(got.get(c, "0") in ("0", "0.0000") for c in ("06B", "06C", "04C", "04C.4"))

    # --- a payment dated out of the period is refused, naming the field ---------------------
    families = [household(district, 20 + i, f"职工{i}", bank=a) for i, a in enumerate(ACCOUNTS)]
    bank_batch = new_batch(zs, act.cid, district, "春节慰问第一批")
    late = pay(
        zs,
        bank_batch,
        {"id_number": families[0].id_number, "amount": "500.00", "date": "2012-01-23"},
    )  # 春节 itself
    assert late.status_code == 400 and "不在活动期间" in late.json()["message"]
    assert late.json()["details"][0]["field"] == "date"

    # --- paid through the bank: the result file confirms some lines, lists the failed ------
    for h in families:
        assert (
            pay(zs, bank_batch, {"id_number": h.id_number, "amount": "500.00"}).status_code == 201
        )
    approved = act.api(tree.city, "reviewer").post(f"/api/v1/payments/{bank_batch}/approve")
    assert approved.status_code == 200, approved.json()
    result = "\r\n".join(
        [
            "账号或身份证号码,金额,结果,原因",
            f"{ACCOUNTS[0]},500.00,成功,",
            f"{ACCOUNTS[1]},500.00,成功,",
            f"{families[2].id_number},500.00,失败,账户已销户",
        ]
    )
    upload = SimpleUploadedFile("结果.csv", ("\ufeff" + result).encode(), content_type="text/csv")
    done = zs.post(f"/api/v1/payments/{bank_batch}/bank-result", {"file": upload})
    assert done.status_code == 200, done.json()
    answer = done.json()
    assert len(answer["paid"]) == 2 and answer["pending"] == 0 and answer["confirmed"]
    assert [(f["name"], f["reason"]) for f in answer["failed"]] == [("职工2", "账户已销户")]
    assert families[2].id_number not in done.content.decode()
    assert answer["batch"]["status"] == "confirmed" and answer["batch"]["total"] == "1000.00"
