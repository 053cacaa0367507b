"""/payments: lines for every kind of recipient the notice names (masked), payments within the
activity period, the bank's result file and the signed sheet, and who may send them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.funds.approval import batch_approve
from chunfeng.funds.models import PaymentBatch, PaymentLine
from tests.funds.helpers import ident

from .records import household, post

URL = "/api/v1/payments"
LAOMO = ident(901, birth="19580101")
ACCOUNT = "6222020000000000011"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_batch(client, fed, unit="210202"):
    return post(client, URL, {"campaign": fed.campaign.pk, "unit": unit, "name": "第一批"}).json()


def add(client, batch_id, **data):
    body = {"amount": "500", "aid_type": "condolence", "date": "2012-01-05"} | data
    return post(client, f"{URL}/{batch_id}/lines", body)


def bank_file(*rows):
    text = "\r\n".join(["账号或身份证号码,金额,结果,原因", *rows]) + "\r\n"
    return SimpleUploadedFile("结果.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_model_worker_off_the_register_is_paid_and_masked(fed, client_as):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed)
    made = add(client, batch["id"], recipient="model", id_number=LAOMO, name="王劳模")
    assert made.status_code == 201, made.json()
    got = made.json()
    assert (got["recipient"], got["household"], got["name"]) == ("model", None, "王劳模")
    assert got["id_number"] == LAOMO[:4] + "*" * 10 + LAOMO[-4:]
    assert LAOMO not in made.content.decode()
    full = client.get(f"{URL}/{batch['id']}?reveal=1").json()
    assert full["items"][0]["id_number"] == LAOMO  # a filler of the paying union, logged
    viewer = client_as("city", "viewer").get(f"{URL}/{batch['id']}?reveal=1")
    assert LAOMO not in viewer.content.decode()
    xg = client_as("xg", "filler")
    again = add(
        xg, new_batch(xg, fed, "210203")["id"], recipient="model", id_number=LAOMO, name="王劳模"
    )
    assert [f["kind"] for f in again.json()["flags"]] == ["exact"]
    assert LAOMO not in again.content.decode()


def test_out_of_period_is_400_naming_the_date(fed, client_as):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed)
    refused = add(
        client, batch["id"], recipient="model", id_number=LAOMO, name="王", date="2012-01-23"
    )
    assert refused.status_code == 400
    assert refused.json()["details"][0]["field"] == "date"
    assert "不在活动期间" in refused.json()["message"]


def test_bank_result_import(fed, client_as):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed)
    a = household(fed.zs, 1, "张一", bank=ACCOUNT)
    b = household(fed.zs, 2, "李二", bank="6222020000000000022")
    add(client, batch["id"], id_number=a.id_number)
    add(client, batch["id"], id_number=b.id_number)
    early = client.post(f"{URL}/{batch['id']}/bank-result", {"file": bank_file()})
    assert early.status_code == 400 and early.json()["code"] == "not_approved"
    batch_approve(batch=PaymentBatch.objects.get(), actor=fed.user("city", "reviewer"))
    rows = (f"{ACCOUNT},500.00,成功,", f"{b.id_number},500.00,失败,账户冻结", "123,1.00,成功,")
    done = client.post(f"{URL}/{batch['id']}/bank-result", {"file": bank_file(*rows)})
    assert done.status_code == 200, done.json()
    got = done.json()
    line_a = PaymentLine.objects.get(household=a)
    assert got["paid"] == [line_a.pk] and got["pending"] == 0 and got["confirmed"] is True
    assert [(f["name"], f["reason"]) for f in got["failed"]] == [("李二", "账户冻结")]
    assert got["unmatched"] == ["第 4 行：*** 1.00 元，批次中没有对应的发放记录"]
    assert got["batch"]["status"] == "confirmed" and got["batch"]["confirmed_on"] == "bank"
    assert b.id_number not in done.content.decode()


def test_bank_result_with_the_banks_own_columns(fed, client_as):
    client = client_as("zs", "filler")
    batch = new_batch(client, fed)
    a = household(fed.zs, 1, "张一", bank=ACCOUNT)
    add(client, batch["id"], id_number=a.id_number)
    batch_approve(batch=PaymentBatch.objects.get(), actor=fed.user("city", "reviewer"))
    text = f"卡号,交易金额,交易状态\r\n{ACCOUNT},500.00,成功\r\n"
    upload = SimpleUploadedFile("b.csv", text.encode("utf-8"))
    done = client.post(f"{URL}/{batch['id']}/bank-result?column_result=交易状态", {"file": upload})
    assert done.status_code == 200 and done.json()["confirmed"] is True


@pytest.mark.parametrize("who", [("zs", "viewer"), ("zs", "reviewer"), ("city", "viewer")])
def test_only_writers_send_evidence(fed, client_as, who):
    filler = client_as("zs", "filler")
    batch = new_batch(filler, fed)
    add(filler, batch["id"], id_number=household(fed.zs, 1, bank=ACCOUNT).id_number)
    client = client_as(*who)
    sheet = SimpleUploadedFile("s.png", b"\x89PNG" + b"0" * 10)
    assert client.post(f"{URL}/{batch['id']}/bank-result", {"file": bank_file()}).status_code == 403
    assert client.post(f"{URL}/{batch['id']}/signed-sheet", {"file": sheet}).status_code == 403
    outside = client_as("xg", "filler")
    assert outside.post(f"{URL}/{batch['id']}/signed-sheet", {"file": sheet}).status_code == 404
    assert not PaymentBatch.objects.get().signed_sheet


def test_the_schema_documents_them(client_as):
    schema = client_as("zs", "viewer").get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/payments/{batch_id}/bank-result",
        "/api/v1/payments/{batch_id}/signed-sheet",
        "/api/v1/payments/{batch_id}/signed-sheet/confirm",
        "/api/v1/payments/bank-result-template",
    ):
        assert path in paths, path
    assert "/api/v1/payments/{batch_id}/confirm" not in paths
