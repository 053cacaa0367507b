"""/households: the register through the API — masking and logged reveals, 一户一档, changes,
脱困, the all-or-nothing import, and who may read and write what."""

import datetime as dt

import pytest

from chunfeng.core.models import AuditEvent
from chunfeng.core.personal import mask_bank, mask_id
from chunfeng.register.models import Household, IdAccess
from chunfeng.register.services import household_escape

from .records import csv_upload, household, ident, import_row, patch, post, xlsx_upload

URL = "/api/v1/households"


def body(seq: int = 1, **changes) -> dict:
    return {
        "id_number": ident(seq),
        "name": "王芳",
        "phone": "13800000001",
        "employer": "大连港",
        "category": "C",
        "family_size": 3,
        "income": "650.5",
        "is_migrant": True,
        "is_model_worker": False,
        "bank_account": "6222021234567890123",
        **changes,
    }


@pytest.fixture
def files(fed):
    """Files across the federation, with bank accounts: zs, its grassroots union, xg."""
    return {
        "zs": household(fed.zs, 1, "张一", bank="6222020000000000011", phone="13800000011"),
        "zsg": household(fed.zs_g1, 2, "李二", bank="6222020000000000022", category="C"),
        "xg": household(fed.xg_g1, 3, "赵三", bank="6222020000000000033", category="D"),
    }


# --- create -------------------------------------------------------------------------------------


def test_filler_creates_a_household(fed, client_as):
    response = post(client_as("zs", "filler"), URL, body(unit="210202001"))
    assert response.status_code == 201, response.json()
    got = response.json()
    household_ = Household.objects.get()
    number = ident(1)
    assert got == {
        "id": household_.pk,
        "version": 1,
        "id_number": mask_id(number),
        "revealed": False,
        "name": "王芳",
        "gender": "M" if int(number[16]) % 2 else "F",
        "birth_date": "1970-01-01",
        "phone": "138****0001",
        "employer": "大连港",
        "unit": "210202001",
        "category": "C",
        "family_size": 3,
        "income": "650.50",
        "is_migrant": True,
        "is_new_generation_migrant": False,
        "is_model_worker": False,
        "is_laid_off": False,
        "causes": [],
        "bank_account": mask_bank("6222021234567890123"),
        "status": "active",
        "escaped_on": None,
        "escaped_reason": "",
        "pending": [],
    }
    assert response["ETag"] == '"1"'
    assert household_.unit == fed.zs_g1 and household_.created_by == fed.user("zs", "filler")
    assert household_.id_number == number and household_.bank_account == "6222021234567890123"
    assert number not in response.content.decode()
    assert AuditEvent.objects.filter(action="household.create").count() == 1


def test_unit_defaults_to_the_callers_and_numbers_may_be_numbers(fed, client_as):
    data = body(
        id_number=ident(5, birth="19880202"),
        income=1200,
        family_size=1,
        category="因意外事件、重大疾病、自然灾害等致困",
    )
    response = post(client_as("zs", "admin"), URL, data)
    assert response.status_code == 201, response.json()
    got = response.json()
    assert (got["unit"], got["income"], got["category"]) == ("210202", "1200.00", "D")
    assert got["is_new_generation_migrant"] is True  # a migrant born in 1988


def test_bad_id_number_names_the_field(fed, client_as):
    number = ident(1)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = post(client_as("zs", "filler"), URL, body(id_number=bad))
    got = response.json()
    assert response.status_code == 400
    assert got["details"] == [{"field": "id_number", "message": got["message"]}]
    assert "校验位" in got["message"]
    assert not Household.objects.exists()


def test_one_file_per_person_names_the_holding_union_only_within_the_subtree(fed, client_as):
    number = household(fed.xg_g1, 1, "先建档").id_number
    response = post(client_as("zs", "filler"), URL, body(id_number=number))
    assert response.status_code == 400
    got = response.json()
    assert "八一路" not in got["message"] and "210203001" not in got["message"]
    assert "已在其他单位建档" in got["message"] and "大连市总工会的审核员" in got["message"]
    assert "一户一档" in got["message"] and got["details"][0]["field"] == "id_number"
    assert number not in response.content.decode()
    # the district's filler, whose subtree holds the file, is told where
    inside = post(client_as("xg", "filler"), URL, body(id_number=number, unit="210203"))
    assert "八一路街道总工会（210203001）" in inside.json()["message"]
    assert Household.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": " "}, "name"),
        ({"category": "E"}, "category"),
        ({"family_size": 0}, "family_size"),
        ({"family_size": 31}, "family_size"),
        ({"income": "abc"}, "income"),
        ({"income": -1}, "income"),
        ({"income": "-0.5"}, "income"),
        ({"causes": ["illness", "luck"]}, "causes"),
    ],
)
def test_bad_fields_are_400_naming_the_field(fed, client_as, changes, field):
    response = post(client_as("zs", "filler"), URL, body(**changes))
    assert response.status_code == 400, response.json()
    assert response.json()["details"][0]["field"] == field
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    "changes", [{"id_number": 210202197001010011}, {"nickname": "x"}, {"is_migrant": "maybe"}]
)
def test_wrong_shape_is_422(fed, client_as, changes):
    response = post(client_as("zs", "filler"), URL, body(**changes))
    assert response.status_code == 422
    assert not Household.objects.exists()


def test_retired_unit_is_refused(fed, client_as):
    from chunfeng.orgunits.services import orgunit_retire

    orgunit_retire(unit=fed.zs_g1, on=dt.date(2012, 1, 1), actor=fed.user("zs", "admin"))
    client = client_as("zs", "filler")
    response = post(client, URL, body(unit="210202001"))
    assert response.status_code == 400 and response.json()["code"] == "unit_retired"
    response = upload(client, csv_upload([import_row(1)]), "210202001")
    assert response.status_code == 400 and response.json()["code"] == "unit_retired"
    assert not Household.objects.exists()


# --- list ------------------------------------------------------------------------------------


def test_list_is_masked_and_scoped(fed, client_as, files):
    response = client_as("zs", "filler").get(URL)
    assert response.status_code == 200
    got = response.json()
    assert (got["count"], got["page"], got["page_size"]) == (2, 1, 50)
    assert [h["name"] for h in got["items"]] == ["李二", "张一"]  # newest first
    assert all(h["revealed"] is False for h in got["items"])
    content = response.content.decode()
    for h in files.values():
        assert h.id_number not in content and h.bank_account not in content
    assert {h["id_number"] for h in got["items"]} == {
        mask_id(files["zs"].id_number),
        mask_id(files["zsg"].id_number),
    }


def test_reveal_is_ignored_on_lists(fed, client_as, files):
    response = client_as("zs", "filler").get(f"{URL}?reveal=1")
    assert files["zs"].id_number not in response.content.decode()
    assert not IdAccess.objects.exists()


def test_filters(fed, client_as, files):
    household_escape(
        household=files["zs"],
        on=dt.date(2012, 1, 2),
        reason="再就业",
        actor=fed.user("zs", "filler"),
    )
    client = client_as("city", "viewer")

    def names(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.json()
        return sorted(h["name"] for h in response.json()["items"])

    assert names("") == ["张一", "李二", "赵三"]
    assert names("unit=210202") == ["张一", "李二"]
    assert names("unit=210202001") == ["李二"]
    assert names("status=escaped") == ["张一"]
    assert names("status=active&category=D") == ["赵三"]
    assert names("q=李") == ["李二"]
    assert names(f"q={files['xg'].id_number}") == ["赵三"]
    assert names(f"q={files['xg'].id_number[:-1]}") == []  # not a whole number: a name search


def test_search_by_id_number_answers_masked(fed, client_as, files):
    response = client_as("zs", "filler").get(f"{URL}?q={files['zsg'].id_number}")
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["id_number"] == mask_id(files["zsg"].id_number)


def test_paging(fed, client_as):
    for seq in range(1, 6):
        household(fed.zs, seq)
    client = client_as("zs", "viewer")
    first = client.get(f"{URL}?page_size=2").json()
    third = client.get(f"{URL}?page_size=2&page=3").json()
    assert first["count"] == 5 and len(first["items"]) == 2 and len(third["items"]) == 1
    assert client.get(f"{URL}?page_size=2&page=9").json()["items"] == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=201", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("status=gone", "status"),
        ("category=A", "category"),
    ],
)
def test_bad_parameters_are_400(fed, client_as, query, field):
    response = client_as("zs", "filler").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_parameter"
    assert response.json()["details"][0]["field"] == field


def test_unit_filter_outside_the_subtree_is_404(fed, client_as):
    assert client_as("zs", "filler").get(f"{URL}?unit=210203").status_code == 404


# --- one household and the reveal -------------------------------------------------------------


def test_get_is_masked_without_reveal(fed, client_as, files):
    response = client_as("zs", "filler").get(f"{URL}/{files['zsg'].pk}")
    assert response.status_code == 200
    assert response.json()["id_number"] == mask_id(files["zsg"].id_number)
    assert response.json()["bank_account"] == mask_bank(files["zsg"].bank_account)
    assert not IdAccess.objects.exists()


@pytest.mark.parametrize("who", [("zs", "filler"), ("zs", "admin"), ("city", "filler")])
def test_reveal_shows_the_number_and_is_logged(fed, client_as, files, who):
    h = files["zsg"]
    response = client_as(*who).get(f"{URL}/{h.pk}?reveal=1")
    got = response.json()
    assert response.status_code == 200
    assert (got["id_number"], got["bank_account"], got["revealed"]) == (
        h.id_number,
        h.bank_account,
        True,
    )
    access = IdAccess.objects.get()
    assert (access.user, access.household, access.purpose, access.count) == (
        fed.user(*who),
        h,
        "api:view",
        1,
    )


@pytest.mark.parametrize(
    "who", [("zs", "reviewer"), ("zs", "viewer"), ("city", "viewer"), ("city", "reviewer")]
)
def test_reveal_stays_masked_for_other_roles(fed, client_as, files, who):
    response = client_as(*who).get(f"{URL}/{files['zs'].pk}?reveal=1")
    assert response.status_code == 200
    assert response.json()["id_number"] == mask_id(files["zs"].id_number)
    assert response.json()["revealed"] is False
    assert files["zs"].id_number not in response.content.decode()
    assert not IdAccess.objects.exists()


def test_grassroots_filler_cannot_reveal_the_districts_file(fed, client_as, files):
    assert client_as("zsg", "filler").get(f"{URL}/{files['zs'].pk}?reveal=1").status_code == 404


# --- change and 脱困 --------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(fed, client_as, files):
    h = files["zsg"]
    response = patch(
        client_as("zs", "filler"),
        f"{URL}/{h.pk}",
        {"phone": "13911112222", "income": 720, "is_model_worker": True},
    )
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["phone"], got["income"], got["is_model_worker"]) == ("139****2222", "720.00", True)
    assert (got["name"], got["category"], got["family_size"]) == ("李二", "C", 3)
    h.refresh_from_db()
    assert h.phone == "13911112222" and h.bank_account == "6222020000000000022"
    event = AuditEvent.objects.get(action="household.update")
    assert set(event.details["changes"]) == {"phone", "income", "is_model_worker"}
    assert event.details["changes"]["phone"][1] == "139****2222"  # the history masks numbers


def test_patch_of_the_id_number_waits_for_a_reviewer(fed, client_as, files):
    h = files["zs"]
    response = patch(client_as("zs", "filler"), f"{URL}/{h.pk}", {"id_number": ident(9)})
    assert response.status_code == 200
    assert [(c["field"], c["value"]) for c in response.json()["pending"]] == [
        ("id_number", mask_id(ident(9)))
    ]
    h.refresh_from_db()
    assert h.id_number == ident(1)
    wrong = ident(9)[:-1] + ("0" if ident(9)[-1] != "0" else "1")
    bad = patch(client_as("zs", "filler"), f"{URL}/{h.pk}", {"id_number": wrong})
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "id_number"


def test_patch_refuses_unknown_keys(fed, client_as, files):
    response = patch(client_as("zs", "filler"), f"{URL}/{files['zs'].pk}", {"unit": "210202001"})
    assert response.status_code == 422


def test_escape(fed, client_as, files):
    client = client_as("zs", "filler")
    url = f"{URL}/{files['zs'].pk}/escape"
    response = post(client, url, {"on": "2012-01-10", "reason": "子女就业"})
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["status"], got["escaped_on"], got["escaped_reason"]) == (
        "escaped",
        "2012-01-10",
        "子女就业",
    )
    again = post(client, url, {"on": "2012-01-11", "reason": "x"})
    assert again.status_code == 409 and again.json()["code"] == "bad_status"
    # the person may be filed again once escaped
    data = body(name="张一", id_number=files["zs"].id_number)
    assert post(client, URL, data).status_code == 201


def test_escape_needs_a_reason_and_a_date(fed, client_as, files):
    client = client_as("zs", "filler")
    url = f"{URL}/{files['zs'].pk}/escape"
    blank = post(client, url, {"on": "2012-01-10", "reason": "  "})
    assert blank.status_code == 400 and blank.json()["details"][0]["field"] == "escaped_reason"
    assert post(client, url, {"reason": "x"}).status_code == 422
    assert post(client, url, {"on": "昨天", "reason": "x"}).status_code == 422
    files["zs"].refresh_from_db()
    assert files["zs"].status == "active"


# --- import -------------------------------------------------------------------------------------

IMPORT = f"{URL}/import"


def upload(client, file, unit: str | None = None):
    return client.post(IMPORT + (f"?unit={unit}" if unit else ""), {"file": file})


@pytest.mark.parametrize("make", [csv_upload, xlsx_upload])
def test_import_csv_and_xlsx(fed, client_as, make):
    rows = [import_row(1), import_row(2, 是否农民工="是", 困难类别="D", 家庭月人均收入="820.5")]
    response = upload(client_as("zs", "filler"), make(rows), "210202001")
    assert response.status_code == 200, response.json()
    assert response.json() == {"imported": 2}
    imported = {h.name: h for h in Household.objects.all()}
    assert set(imported) == {"导入1", "导入2"}
    assert all(h.unit == fed.zs_g1 for h in imported.values())
    h2 = imported["导入2"]
    assert (h2.category, str(h2.income), h2.is_migrant) == ("D", "820.50", True)
    assert h2.persons.filter(active=True).count() == 1  # 一户一档 holds for imported files


def test_import_defaults_to_the_callers_unit(fed, client_as):
    response = upload(client_as("zs", "admin"), csv_upload([import_row(1)]))
    assert response.json() == {"imported": 1}
    assert Household.objects.get().unit == fed.zs


def test_import_is_all_or_nothing(fed, client_as):
    filed = household(fed.xg_g1, 7, "已建档").id_number
    good = ident(2, birth="19800101")
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        import_row(1),  # file row 2
        import_row(2, 身份证号码=wrong),  # wrong check digit
        import_row(3, 困难类别="E", 家庭人口="99"),
        import_row(4, 身份证号码=ident(1, birth="19800101")),  # the same person as row 2
        import_row(5, 身份证号码=filed),  # filed in 八一路街道
        import_row(6),
    ]
    response = upload(client_as("zs", "filler"), csv_upload(rows))
    assert response.status_code == 400
    got = response.json()
    assert got["code"] == "import_invalid" and "未导入任何数据" in got["message"]
    problems = {(d["row"], d["column"]) for d in got["details"]}
    assert problems == {
        (3, "身份证号码"),
        (4, "困难类别"),
        (4, "家庭人口"),
        (5, "身份证号码"),
        (6, "身份证号码"),
    }
    assert all(set(d) == {"row", "column", "message"} for d in got["details"])
    by_row = {d["row"]: d["message"] for d in got["details"] if d["column"] == "身份证号码"}
    assert "第 2 行重复" in by_row[5]
    assert "已在其他单位建档" in by_row[6] and "八一路" not in by_row[6]
    assert Household.objects.count() == 1  # the good rows were not saved either
    assert filed not in response.content.decode()


def test_import_needs_the_contract_headers(fed, client_as):
    header = ("姓名", "身份证号", "困难类别")  # an alias, and most columns missing
    response = upload(client_as("zs", "filler"), csv_upload([import_row(1)], header=header))
    assert response.status_code == 400
    got = response.json()
    assert got["code"] == "bad_columns"
    assert {d["column"] for d in got["details"]} >= {"身份证号码", "联系电话", "是否劳模"}
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("名单.txt", b"x", "bad_type"),
        ("名单.xlsx", b"not a workbook", "bad_type"),
        ("名单.xlsx", b"PK\x03\x04 broken", "damaged"),
        ("名单.csv", b"", "import_empty"),
    ],
)
def test_import_bad_files(fed, client_as, name, data, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = upload(client_as("zs", "filler"), SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_import_without_a_file_is_422(fed, client_as):
    assert client_as("zs", "filler").post(IMPORT).status_code == 422


# --- permissions ------------------------------------------------------------------------------

XG_READS = ["{url}/{pk}", "{url}/{pk}?reveal=1", "{url}?unit=210203"]


@pytest.mark.parametrize("who", [("zs", "filler"), ("zs", "viewer"), ("zsg", "admin")])
def test_other_subtrees_are_404(fed, client_as, files, who):
    client = client_as(*who)
    pk = files["xg"].pk
    for template in XG_READS:
        assert client.get(template.format(url=URL, pk=pk)).status_code == 404
    assert patch(client, f"{URL}/{pk}", {"phone": "1"}).status_code == 404
    assert (
        post(client, f"{URL}/{pk}/escape", {"on": "2012-01-01", "reason": "x"}).status_code == 404
    )
    assert post(client, URL, body(9, unit="210203")).status_code == 404
    assert upload(client, csv_upload([import_row(9)]), "210203").status_code == 404
    files["xg"].refresh_from_db()
    assert files["xg"].phone == "" and files["xg"].status == "active"
    assert Household.objects.count() == 3


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_write(fed, client_as, files, role):
    client = client_as("zs", role)
    pk = files["zs"].pk
    answers = [
        post(client, URL, body(9)),
        patch(client, f"{URL}/{pk}", {"phone": "1"}),
        post(client, f"{URL}/{pk}/escape", {"on": "2012-01-01", "reason": "x"}),
        upload(client, csv_upload([import_row(9)])),
    ]
    assert [a.status_code for a in answers] == [403] * 4
    assert all(a.json()["code"] == "forbidden" for a in answers)
    assert client.get(f"{URL}/{pk}").status_code == 200
    assert Household.objects.count() == 3


def test_city_viewer_reads_everything_masked(fed, client_as, files):
    client = client_as("city", "viewer")
    listed = client.get(URL).json()
    assert listed["count"] == 3
    for h in files.values():
        assert client.get(f"{URL}/{h.pk}").status_code == 200
    assert post(client, URL, body(9)).status_code == 403


def test_grassroots_sees_only_its_own(fed, client_as, files):
    got = client_as("zsg", "filler").get(URL).json()
    assert [h["name"] for h in got["items"]] == ["李二"]


def test_requires_token(fed, api, files):
    assert api(None).get(URL).status_code == 401
    assert api(None).get(f"{URL}/{files['zs'].pk}?reveal=1").status_code == 401
