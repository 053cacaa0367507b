"""/payments: batches, real-name lines that answer with the duplicate flags they raise, the
confirmation, masking, and who may read and write what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.core.personal import mask_id
from chunfeng.funds.models import DuplicateFlag, PaymentBatch, PaymentLine
from chunfeng.funds.services import flag_resolve
from chunfeng.register.models import IdAccess
from tests.funds.helpers import PNG

from .records import household, post

URL = "/api/v1/payments"


def new_batch(client, fed, unit: str, name: str = "第一批") -> dict:
    response = post(client, URL, {"campaign": fed.campaign.pk, "unit": unit, "name": name})
    assert response.status_code == 201, response.json()
    return response.json()


def line(h, amount="500", **changes) -> dict:
    return {
        "id_number": h.id_number,
        "amount": amount,
        "aid_type": "condolence",
        "date": "2012-01-05",
        **changes,
    }


def add(client, batch_id: int, data: dict):
    return post(client, f"{URL}/{batch_id}/lines", data)


def sheet(client, batch_id: int, file=None):
    file = file or SimpleUploadedFile("签领表.png", PNG, content_type="image/png")
    return client.post(f"{URL}/{batch_id}/signed-sheet", {"file": file})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def families(fed):
    return {
        "zs": household(fed.zs, 1, "张一", bank="6222020000000000011"),
        "zsg": household(fed.zs_g1, 2, "李强"),
        "xg": household(fed.xg_g1, 3, "赵三"),
    }


# --- batches and lines ------------------------------------------------------------------------


def test_create_a_batch_and_add_lines(fed, client_as, families):
    client = client_as("zs", "filler")
    created = new_batch(client, fed, "210202")
    batch = PaymentBatch.objects.get()
    assert {k: v for k, v in created.items() if k not in ("created_at",)} == {
        "id": batch.pk,
        "campaign": fed.campaign.pk,
        "unit": "210202",
        "name": "第一批",
        "status": "draft",
        "confirmed_at": None,
        "confirm_note": "",
        "confirmed_on": "",
        "signed_sheet": False,
        "approved_at": None,
        "approved_by": None,
        "lines": 0,
        "total": "0.00",
        "open_flags": 0,
        "revealed": False,
        "items": [],
    }
    h = families["zsg"]
    response = add(client, batch.pk, line(h, "1200.5"))
    assert response.status_code == 201, response.json()
    saved = PaymentLine.objects.get()
    assert response.json() == {
        "id": saved.pk,
        "batch": batch.pk,
        "recipient": "household",
        "id_number": mask_id(h.id_number),
        "name": "李强",
        "household": h.pk,
        "amount": "1200.50",
        "kind": "cash",
        "goods": "",
        "aid_type": "condolence",
        "date": "2012-01-05",
        "unit": "210202",
        "campaign": fed.campaign.pk,
        "cancelled": False,
        "result": "",
        "result_reason": "",
        "flags": [],
    }
    goods = add(
        client,
        batch.pk,
        line(
            families["zs"],
            "300",
            kind="goods",
            goods="米、面",
            aid_type="heating",
            date="2012/01/06",
        ),
    )
    assert goods.status_code == 201, goods.json()
    assert (goods.json()["kind"], goods.json()["goods"], goods.json()["date"]) == (
        "goods",
        "米、面",
        "2012-01-06",
    )
    detail = client.get(f"{URL}/{batch.pk}").json()
    assert (detail["lines"], detail["total"]) == (2, "1500.50")
    assert [i["name"] for i in detail["items"]] == ["李强", "张一"]
    assert h.id_number not in str(detail) and families["zs"].id_number not in str(detail)


def test_grassroots_union_pays_in_the_citys_campaign(fed, client_as, families):
    """The city's campaign reaches 青泥洼桥街道 through 中山区, which takes part in it."""
    client = client_as("zsg", "filler")
    batch = new_batch(client, fed, "210202001", "街道慰问")
    assert add(client, batch["id"], line(families["zsg"], "300")).status_code == 201
    listed = client.get(f"{URL}?campaign={fed.campaign.pk}").json()
    assert [(b["name"], b["lines"], b["total"]) for b in listed] == [("街道慰问", 1, "300.00")]


def test_district_paying_a_family_the_grassroots_paid_is_flagged_at_once(fed, client_as, families):
    h = families["zsg"]
    zsg = client_as("zsg", "filler")
    first = new_batch(zsg, fed, "210202001", "街道慰问")
    earlier = add(zsg, first["id"], line(h, "300")).json()
    assert earlier["flags"] == []

    zs = client_as("zs", "filler")
    batch = new_batch(zs, fed, "210202")
    response = add(zs, batch["id"], line(h, "500", date="2012-01-08"))
    assert response.status_code == 201, response.json()
    flags = response.json()["flags"]
    flag = DuplicateFlag.objects.get()
    assert [
        {k: f[k] for k in ("id", "kind", "status", "other_line", "other_unit", "other_date")}
        for f in flags
    ] == [
        {
            "id": flag.pk,
            "kind": "exact",
            "status": "open",
            "other_line": earlier["id"],
            "other_unit": "210202001",
            "other_date": "2012-01-05",
        }
    ]
    message = flags[0]["message"]
    assert (
        "青泥洼桥街道总工会" in message and "300.00" in message and mask_id(h.id_number) in message
    )
    assert h.id_number not in response.content.decode()

    detail = zs.get(f"{URL}/{batch['id']}").json()
    assert detail["open_flags"] == 1 and detail["items"][0]["flags"][0]["id"] == flag.pk

    # the flag blocks the confirmation until a reviewer above resolves it
    assert sheet(zs, batch["id"]).status_code == 200
    city = client_as("city", "reviewer")
    confirm = post(city, f"{URL}/{batch['id']}/signed-sheet/confirm")
    assert confirm.status_code == 409 and confirm.json()["code"] == "open_flags"
    flag_resolve(
        flag=flag, outcome="genuine", reason="大病另行救助", actor=fed.user("city", "reviewer")
    )
    confirm = post(city, f"{URL}/{batch['id']}/signed-sheet/confirm", {"note": "签字齐全"})
    assert confirm.status_code == 200, confirm.json()
    got = confirm.json()
    assert (got["status"], got["confirm_note"], got["open_flags"], got["confirmed_on"]) == (
        "confirmed",
        "签领表已核对：签字齐全",
        0,
        "signed",
    )
    assert got["confirmed_at"] is not None
    assert got["items"][0]["flags"][0]["status"] == "genuine"

    locked = add(zs, batch["id"], line(families["zs"]))
    assert locked.status_code == 409 and locked.json()["code"] == "batch_locked"
    assert PaymentLine.objects.count() == 2


def test_suspected_duplicate_same_name_and_birth(fed, client_as):
    a = household(fed.zs_g1, 4, "张伟")
    b = household(fed.xg_g1, 5, "张伟")  # another ID number, same name and birth date
    zs = client_as("zs", "filler")
    add(zs, new_batch(zs, fed, "210202")["id"], line(a))
    xg = client_as("xg", "filler")
    response = add(xg, new_batch(xg, fed, "210203")["id"], line(b))
    assert response.status_code == 201
    # 中山区's payment lies outside 西岗区's subtree: only said to exist (contract (d))
    assert [(f["kind"], f["other_unit"], f["other_line"]) for f in response.json()["flags"]] == [
        ("name_birth", None, None)
    ]
    message = response.json()["flags"][0]["message"]
    assert "疑似重复" in message and "中山区" not in message and "大连市总工会的审核员" in message
    assert a.id_number not in response.content.decode()


def test_list_figures_count_each_line_once(fed, client_as, families):
    """Three payments to one family: three lines, three flags — not nine of anything."""
    client = client_as("zs", "filler")
    batch = new_batch(client, fed, "210202")
    for _ in range(3):
        add(client, batch["id"], line(families["zs"], "100"))
    assert DuplicateFlag.objects.count() == 3
    listed = client.get(URL).json()
    assert [(b["lines"], b["total"], b["open_flags"]) for b in listed] == [(3, "300.00", 3)]


def test_list_filters(fed, client_as, families):
    new_batch(client_as("zs", "filler"), fed, "210202", "区第一批")
    new_batch(client_as("zsg", "filler"), fed, "210202001", "街道第一批")
    new_batch(client_as("xg", "filler"), fed, "210203", "西岗第一批")
    client = client_as("city", "viewer")

    def names(query: str = "") -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.json()
        return sorted(b["name"] for b in response.json())

    assert names() == ["区第一批", "街道第一批", "西岗第一批"]
    assert names("unit=210202") == ["区第一批", "街道第一批"]
    assert names(f"unit=210202001&campaign={fed.campaign.pk}") == ["街道第一批"]
    assert client.get(f"{URL}?campaign=999999").status_code == 404
    assert client_as("zs", "viewer").get(URL).json()[0]["name"] == "区第一批"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount": "1.234"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"kind": "goods"}, "goods"),
        ({"kind": "cheque"}, "kind"),
        ({"aid_type": "gift"}, "aid_type"),
        ({"date": "明天"}, "date"),
        ({"id_number": "123"}, "id_number"),
    ],
)
def test_bad_lines_are_400_naming_the_field(fed, client_as, families, changes, field):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed, "210202")
    response = add(client, batch["id"], line(families["zs"], **changes))
    assert response.status_code == 400, response.json()
    assert response.json()["details"][0]["field"] == field
    assert not PaymentLine.objects.exists()


def test_a_family_outside_the_subtree_cannot_be_paid(fed, client_as, families):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed, "210202")
    response = add(client, batch["id"], line(families["xg"]))
    assert response.status_code == 400
    assert "未在您的管辖范围内建立困难职工档案" in response.json()["message"]
    assert families["xg"].id_number not in response.content.decode()


def test_signed_sheet_needs_lines_a_picture_and_a_reviewer(fed, client_as, families):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed, "210202")
    empty = sheet(client, batch["id"])
    assert empty.status_code == 400 and empty.json()["code"] == "batch_empty"
    add(client, batch["id"], line(families["zs"]))
    text = sheet(client, batch["id"], SimpleUploadedFile("签领表.txt", b"signed"))
    assert text.status_code == 400 and text.json()["code"] == "bad_type"
    assert sheet(client, batch["id"]).json()["signed_sheet"] is True
    bare = post(client, f"{URL}/{batch['id']}/signed-sheet/confirm", {"note": "都签了"})
    assert bare.status_code == 403  # the paying union cannot declare its own batch paid
    assert post(client, f"{URL}/{batch['id']}/confirm", {"basis": "signed"}).status_code == 404
    assert PaymentBatch.objects.get().status == "draft"


def test_bad_batch_bodies(fed, client_as):
    client = client_as("zs", "filler")
    blank = post(client, URL, {"campaign": fed.campaign.pk, "unit": "210202", "name": " "})
    assert blank.status_code == 400 and blank.json()["details"][0]["field"] == "name"
    missing = post(client, URL, {"campaign": 999999, "unit": "210202", "name": "x"})
    assert missing.status_code == 404
    assert post(client, URL, {"unit": "210202", "name": "x"}).status_code == 422
    assert not PaymentBatch.objects.exists()


# --- masking --------------------------------------------------------------------------------


@pytest.fixture
def paid(fed, client_as, families):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed, "210202")
    add(client, batch["id"], line(families["zs"]))
    add(client, batch["id"], line(families["zsg"]))
    return batch["id"]


@pytest.mark.parametrize("who", [("zs", "filler"), ("city", "admin")])
def test_batch_reveal_for_those_who_pay_is_logged(fed, client_as, families, paid, who):
    got = client_as(*who).get(f"{URL}/{paid}?reveal=1").json()
    assert got["revealed"] is True
    assert [i["id_number"] for i in got["items"]] == [
        families["zs"].id_number,
        families["zsg"].id_number,
    ]
    access = IdAccess.objects.all()
    assert {a.household_id for a in access} == {families["zs"].pk, families["zsg"].pk}
    assert {(a.user, a.purpose, a.details["batch"]) for a in access} == {
        (fed.user(*who), "api:batch", paid)
    }


@pytest.mark.parametrize("who", [("zs", "reviewer"), ("zs", "viewer"), ("city", "viewer")])
def test_batch_reveal_stays_masked_for_other_roles(fed, client_as, families, paid, who):
    response = client_as(*who).get(f"{URL}/{paid}?reveal=1")
    assert response.status_code == 200 and response.json()["revealed"] is False
    for h in families.values():
        assert h.id_number not in response.content.decode()
    assert not IdAccess.objects.exists()


def test_without_reveal_nothing_is_logged(fed, client_as, families, paid):
    response = client_as("zs", "filler").get(f"{URL}/{paid}")
    assert families["zs"].id_number not in response.content.decode()
    assert not IdAccess.objects.exists()


# --- permissions ------------------------------------------------------------------------------


@pytest.fixture
def xg_batch(fed, client_as, families):
    client = client_as("xg", "filler")
    batch = new_batch(client, fed, "210203", "西岗第一批")
    add(client, batch["id"], line(families["xg"], "700"))
    return batch["id"]


@pytest.mark.parametrize("who", [("zs", "filler"), ("zs", "admin"), ("zs", "viewer")])
def test_other_subtrees_are_404(fed, client_as, families, xg_batch, who):
    client = client_as(*who)
    assert client.get(f"{URL}/{xg_batch}").status_code == 404
    assert client.get(f"{URL}?unit=210203").status_code == 404
    assert all(b["name"] != "西岗第一批" for b in client.get(URL).json())
    writes = [
        add(client, xg_batch, line(families["zs"])),
        post(client, f"{URL}/{xg_batch}/signed-sheet/confirm"),
        post(client, URL, {"campaign": fed.campaign.pk, "unit": "210203", "name": "越权"}),
    ]
    assert [w.status_code for w in writes] == [404] * 3
    assert PaymentBatch.objects.count() == 1 and PaymentLine.objects.count() == 1
    assert PaymentBatch.objects.get().status == "draft"


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_write(fed, client_as, families, role):
    filler = client_as("zs", "filler")
    batch = new_batch(filler, fed, "210202")
    add(filler, batch["id"], line(families["zs"]))
    client = client_as("zs", role)
    writes = [
        post(client, URL, {"campaign": fed.campaign.pk, "unit": "210202", "name": "x"}),
        add(client, batch["id"], line(families["zsg"])),
        post(client, f"{URL}/{batch['id']}/signed-sheet/confirm"),
        sheet(client, batch["id"]),
    ]
    assert [w.status_code for w in writes] == [403] * 4
    assert all(w.json()["code"] == "forbidden" for w in writes)
    assert client.get(f"{URL}/{batch['id']}").status_code == 200
    assert PaymentBatch.objects.count() == 1 and PaymentLine.objects.count() == 1


def test_city_viewer_reads_all(fed, client_as, families, xg_batch):
    zs = client_as("zs", "filler")
    zs_batch = new_batch(zs, fed, "210202")["id"]
    client = client_as("city", "viewer")
    assert {b["id"] for b in client.get(URL).json()} == {xg_batch, zs_batch}
    assert client.get(f"{URL}/{xg_batch}").json()["items"][0]["amount"] == "700.00"
    assert client.get(f"{URL}/{zs_batch}").status_code == 200


def test_requires_token(fed, api):
    assert api(None).get(URL).status_code == 401
    assert (
        post(
            api(None), URL, {"campaign": fed.campaign.pk, "unit": "210202", "name": "x"}
        ).status_code
        == 401
    )
    assert not PaymentBatch.objects.exists()
