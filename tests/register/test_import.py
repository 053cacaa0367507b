"""Bulk import of a household list: the contract headers without a mapping step, a mapping
step otherwise, a preview with every problem (row, column, reason), duplicates inside the file,
GBK csv, and an all-or-nothing commit run as a background job with progress."""

import io
import re

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.core.idnumbers import parse_id
from chunfeng.jobs.models import Job
from chunfeng.register.import_jobs import import_file, import_job
from chunfeng.register.listfile import (
    CONTRACT,
    SAMPLE_NAME,
    HouseholdFile,
    contract_mapping,
    example_id,
    guess_mapping,
)
from chunfeng.register.models import Household, Person

from .conftest import csv_bytes, make_id, new_household, row, wrong_check, xlsx_bytes

pytestmark = pytest.mark.usefixtures("media")


def upload(client, run_jobs, data: bytes, name="名单.xlsx", unit="210202"):
    with run_jobs():
        return client.post(
            reverse("household-import"), {"unit": unit, "file": SimpleUploadedFile(name, data)}
        )


def token_of(url: str) -> str:
    return re.search(r"/import/(\w+)/", url).group(1)


def commit(client, run_jobs, token):
    with run_jobs():
        response = client.post(reverse("household-import-commit", args=[token]))
    assert response.status_code == 302
    return Job.objects.get(kind="register.import")


@pytest.fixture
def filler(fed, login):
    return login(fed.user("zs", "filler"))


def test_contract_headers_go_straight_to_the_preview_and_import(fed, filler, run_jobs):
    rows = [
        row(i, 是否农民工="是" if i % 2 else "否", 困难类别=c)
        for i, c in zip(range(1, 26), "BCD" * 9, strict=False)
    ]
    rows[0] |= {"身份证号码": make_id(1, birth="19790101")}  # a migrant born before 1980
    response = upload(filler, run_jobs, xlsx_bytes(rows))
    token = token_of(response.url)
    assert response.url == reverse("household-import-preview", args=[token])
    html = filler.get(response.url).content.decode()
    assert "共 25 行，全部检查通过" in html and "确认导入" in html
    assert html.count("<tr><td>职工") == 20  # the first 20 rows as they will be saved
    assert "是（新生代）" in html and make_id(3) not in html and "2102**********" in html
    assert not Household.objects.exists()  # nothing before the commit

    job = commit(filler, run_jobs, token)
    assert job.status == "done" and job.done == job.total > 0
    assert job.result["next"] == reverse("household-list") + "?unit=210202"
    assert job.result["count"] == 25 and "25" in job.message
    assert Household.objects.filter(unit=fed.zs).count() == 25
    assert Person.objects.filter(active=True, is_worker=True).count() == 25
    first = Household.objects.get(id_number=make_id(1, birth="19790101"))
    assert first.is_migrant and not first.is_new_generation_migrant
    third = Household.objects.get(id_number=make_id(3))
    assert third.is_new_generation_migrant and third.category == "D"
    assert third.family_size == 3 and str(third.income) == "650.00"
    assert third.created_by == fed.user("zs", "filler") and third.gender == "M"
    page = filler.get(reverse("household-import-preview", args=[token])).content.decode()
    assert "查看结果" in page and "确认导入" not in page  # not twice
    assert not default_storage.exists(job.params["path"])  # the upload goes after the import


def test_chinese_category_names_and_yes_no(fed, tmp_path):
    rows = [
        row(1, 困难类别="低于当地最低生活保障线", 是否劳模="是"),
        row(2, 困难类别="d", 是否农民工="否", 家庭人口="", 家庭月人均收入=""),
    ]
    path = tmp_path / "h.csv"
    path.write_bytes(csv_bytes(rows))
    file = HouseholdFile(path)
    import_file(file, contract_mapping(file.header().columns), unit=fed.zs, actor=SYSTEM)
    one, two = Household.objects.order_by("pk")
    assert (one.category, one.is_model_worker) == ("B", True)
    assert (two.category, two.family_size, two.income) == ("D", 1, 0)


OTHER_HEADER = ("序号", "职工姓名", "身份证号", "手机", "单位", "类别", "人均收入", "家庭人数")


def other_rows():
    return [
        {
            "序号": i,
            "职工姓名": f"职工{i}",
            "身份证号": make_id(i),
            "手机": "13900000000",
            "单位": "某厂",
            "类别": "C",
            "人均收入": 500,
            "家庭人数": 2,
        }
        for i in (1, 2)
    ]


def test_other_headers_need_the_mapping_step(fed, filler, run_jobs):
    response = upload(filler, run_jobs, xlsx_bytes(other_rows(), OTHER_HEADER))
    token = token_of(response.url)
    assert response.url == reverse("household-import-map", args=[token])
    assert not Job.objects.exists()
    page = filler.get(response.url).content.decode()
    assert "B 列：职工姓名" in page and "C 列：身份证号" in page
    # the proposal: 姓名 ← B, 身份证号码 ← C, … (what the form posts back)
    guess = guess_mapping(list(OTHER_HEADER))
    assert guess["姓名"] == 1 and guess["身份证号码"] == 2 and guess["家庭人口"] == 7
    assert guess["是否农民工"] is None
    post = {f"t{i}": "" if v is None else str(v) for i, v in enumerate(guess.values())}
    with run_jobs():
        response = filler.post(reverse("household-import-map", args=[token]), post)
    assert response.url == reverse("household-import-preview", args=[token])
    html = filler.get(response.url).content.decode()
    assert "全部检查通过" in html and "身份证号码 ← C 列：身份证号" in html
    commit(filler, run_jobs, token)
    household = Household.objects.get(id_number=make_id(2))
    assert (household.name, household.category, household.family_size) == ("职工2", "C", 2)
    assert household.phone == "13900000000"


def test_the_mapping_needs_the_required_columns_once(fed, filler, run_jobs):
    token = token_of(upload(filler, run_jobs, xlsx_bytes(other_rows(), OTHER_HEADER)).url)
    url = reverse("household-import-map", args=[token])
    response = filler.post(url, {"t0": "1", "t1": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请为“困难类别”选择对应的列" in html and "选择了同一列" in html
    assert not Job.objects.exists()


def test_errors_name_row_and_column_as_the_file_does(fed, filler, run_jobs):
    rows = other_rows() + [
        {
            "职工姓名": "",
            "身份证号": wrong_check(make_id(3)),
            "类别": "E",
            "人均收入": "很多",
            "家庭人数": 0,
        },
    ]
    token = token_of(upload(filler, run_jobs, xlsx_bytes(rows, OTHER_HEADER)).url)
    guess = guess_mapping(list(OTHER_HEADER))
    with run_jobs():
        filler.post(
            reverse("household-import-map", args=[token]),
            {f"t{i}": "" if v is None else str(v) for i, v in enumerate(guess.values())},
        )
    job = Job.objects.get(kind="register.import.check")
    found = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert found == {
        (4, "职工姓名"),
        (4, "身份证号"),
        (4, "类别"),
        (4, "人均收入"),
        (4, "家庭人数"),
    }
    html = filler.get(reverse("household-import-preview", args=[token])).content.decode()
    assert "其中 1 行有错误（共 5 处）" in html and "确认导入" not in html
    assert "困难类别“E”无效" in html
    response = filler.post(reverse("household-import-commit", args=[token]))
    assert response.status_code == 302 and not Job.objects.filter(kind="register.import").exists()
    assert not Household.objects.exists()


def test_duplicates_inside_the_file(fed, filler, run_jobs):
    rows = [row(1), row(2), row(3, 身份证号码=make_id(1)), row(4, 身份证号码=make_id(2).lower())]
    token = token_of(upload(filler, run_jobs, xlsx_bytes(rows)).url)
    errors = Job.objects.get(kind="register.import.check").result["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(4, "身份证号码"), (5, "身份证号码")]
    assert "与第 2 行重复" in errors[0]["message"] and "与第 3 行重复" in errors[1]["message"]
    assert make_id(1) not in str(errors)
    html = filler.get(reverse("household-import-preview", args=[token])).content.decode()
    assert "确认导入" not in html


def test_one_bad_row_imports_nothing(fed, tmp_path):
    rows = [row(i) for i in range(1, 3001)]
    rows[2500] |= {"困难类别": "Z"}  # in the second chunk, after a first chunk was fine
    path = tmp_path / "h.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    file = HouseholdFile(path)
    with pytest.raises(ApplicationError) as err:
        import_file(file, contract_mapping(file.header().columns), unit=fed.zs, actor=SYSTEM)
    assert err.value.code == "import_invalid"
    assert err.value.details == [
        {"row": 2502, "column": "困难类别", "message": "困难类别“Z”无效，应为 B、C、D 或其中文名称"}
    ]
    assert not Household.objects.exists() and not Person.objects.exists()


def test_a_file_made_elsewhere_between_check_and_commit_fails_the_job(fed, filler, run_jobs):
    token = token_of(upload(filler, run_jobs, xlsx_bytes([row(1), row(2), row(3)])).url)
    new_household(fed, fed.xg, 2)  # 西岗区 files the second person meanwhile
    job = commit(filler, run_jobs, token)
    assert job.status == "failed"
    assert job.result["details"] == [
        {
            "row": 3,
            "column": "身份证号码",
            "message": f"身份证号码 2102**********{make_id(2)[-4:]} 已在其他单位建档，"
            "一户一档，不能重复建档；将由大连市总工会的审核员核实。",
        }
    ]
    assert Household.objects.count() == 1  # only 西岗区's
    html = filler.get(reverse("household-import-preview", args=[token])).content.decode()
    assert "失败" in html and "第 3 行" in html and "其他单位" in html
    assert "西岗区" not in html  # a file of another district: only that it exists (contract (d))


def test_failure_details_are_capped_on_the_page_with_the_total(fed, filler, run_jobs):
    rows = [row(i, 困难类别="?") for i in range(1, 251)]
    token = token_of(upload(filler, run_jobs, csv_bytes(rows), name="h.csv").url)
    html = filler.get(reverse("household-import-preview", args=[token])).content.decode()
    assert "共 250 处，下面列出前 200 处" in html
    assert html.count('<tr class="error">') == 200
    # the import job itself, run on the same file, fails with the details
    check = Job.objects.get(kind="register.import.check")
    job = Job.objects.create(
        kind="register.import",
        params=check.params,
        unit=fed.zs,
        created_by=fed.user("zs", "filler"),
    )
    from chunfeng.jobs.tasks import job_run

    job_run(job.pk, "chunfeng.register.import_jobs:import_job")
    job.refresh_from_db()
    assert job.status == "failed" and len(job.result["details"]) == 250
    assert "共 250 处" in job.message and "前 200 处" in job.message
    status = filler.get(reverse("job-status", args=[job.pk])).content.decode()
    assert status.count('class="error"') == 200
    assert not Household.objects.exists()


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("gbk", False)])
def test_csv_in_utf8_with_or_without_bom_and_gbk(fed, filler, run_jobs, encoding, bom):
    rows = [row(1, 姓名="张三丰", 工作单位="大连重工·起重集团"), row(2)]
    token = token_of(
        upload(filler, run_jobs, csv_bytes(rows, encoding=encoding, bom=bom), name="名单.csv").url
    )
    assert (
        "全部检查通过"
        in filler.get(reverse("household-import-preview", args=[token])).content.decode()
    )
    commit(filler, run_jobs, token)
    household = Household.objects.get(id_number=make_id(1))
    assert household.name == "张三丰" and household.employer == "大连重工·起重集团"


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(fed, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(CONTRACT))
    sheet.append([row(1)[h] for h in CONTRACT])
    sheet.append([])
    sheet.append([row(2, 困难类别="")[h] for h in CONTRACT])
    path = tmp_path / "h.xlsx"
    book.save(path)
    file = HouseholdFile(path)
    with pytest.raises(ApplicationError) as err:
        import_file(file, contract_mapping(file.header().columns), unit=fed.zs, actor=SYSTEM)
    assert [(d["row"], d["column"]) for d in err.value.details] == [(4, "困难类别")]


def test_unreadable_and_wrong_files_are_refused_on_upload(fed, filler, run_jobs):
    for name, data, words in (
        ("h.xlsx", b"not a zip", "无法读取"),
        ("h.pdf", b"%PDF", "xlsx"),
        ("h.csv", b"", "空"),
    ):
        response = upload(filler, run_jobs, data, name=name)
        assert response.status_code == 400 and words in response.content.decode()
    assert not Job.objects.exists()


def test_the_template_imports_as_it_is(fed, filler, run_jobs):
    response = filler.get(reverse("household-import-template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert tuple(c.value for c in sheet[1]) == CONTRACT
    assert sheet["B2"].number_format == "@" and sheet["B3"].number_format == "@"
    assert isinstance(sheet["B2"].value, str) and parse_id(sheet["B2"].value)
    assert "示例" in sheet["A2"].value and sheet["A2"].comment is not None  # marked a sample
    sheet.append([row(1)[h] for h in CONTRACT])  # the user's own row below the sample
    out = io.BytesIO()
    book.save(out)
    token = token_of(upload(filler, run_jobs, out.getvalue()).url)
    commit(filler, run_jobs, token)
    assert Household.objects.get().name == "职工1"  # the sample row is never imported


def test_the_sample_row_is_skipped_only_while_marked(fed, filler, run_jobs):
    sample = row(1, 姓名=SAMPLE_NAME, 身份证号码=example_id())
    token = token_of(upload(filler, run_jobs, xlsx_bytes([sample, row(2)])).url)
    commit(filler, run_jobs, token)
    assert [h.name for h in Household.objects.all()] == ["职工2"]


def test_a_row_with_the_sample_number_but_a_real_name_is_read(tmp_path):
    path = tmp_path / "名单.xlsx"
    renamed = row(1, 姓名="王小明", 身份证号码=example_id())  # the sample overwritten by a user
    path.write_bytes(xlsx_bytes([row(1, 姓名=SAMPLE_NAME, 身份证号码=example_id()), renamed]))
    file = HouseholdFile(path)
    names = [r["name"] for _n, r in file.records(contract_mapping(file.header().columns))]
    assert names == ["王小明"]


# --- permissions ---------------------------------------------------------------------------


def test_a_district_filler_imports_into_its_subtree_only(fed, filler, run_jobs):
    form = filler.get(reverse("household-import")).content.decode()
    assert 'value="210202" selected' in form and "210202001" in form and "210203" not in form
    response = upload(filler, run_jobs, xlsx_bytes([row(1)]), unit="210203")
    assert response.status_code == 403 and not Job.objects.exists()
    token = token_of(upload(filler, run_jobs, xlsx_bytes([row(1)]), unit="210202001").url)
    commit(filler, run_jobs, token)
    assert Household.objects.get().unit == fed.zs_g1


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_readers_cannot_import(fed, login, run_jobs, role):
    client = login(fed.user("zs", role))
    assert client.get(reverse("household-import")).status_code == 403
    assert upload(client, run_jobs, xlsx_bytes([row(1)])).status_code == 403
    assert not Job.objects.exists()


def test_another_users_import_is_not_reachable(fed, filler, login, run_jobs):
    token = token_of(upload(filler, run_jobs, xlsx_bytes([row(1)])).url)
    other = login(fed.user("zs", "admin"))
    assert other.get(reverse("household-import-preview", args=[token])).status_code == 404
    assert other.post(reverse("household-import-commit", args=[token])).status_code == 404
    check = Job.objects.get()
    assert other.get(reverse("job-status", args=[check.pk])).status_code == 404


def test_the_import_job_rechecks_the_permission(fed, filler, run_jobs):
    token = token_of(upload(filler, run_jobs, xlsx_bytes([row(1)])).url)
    check = Job.objects.get()
    job = Job.objects.create(
        kind="register.import",
        params=check.params,
        unit=fed.xg,
        created_by=fed.user("zs", "filler"),
    )
    with pytest.raises(ApplicationError):
        import_job(job, **job.params)
    assert token and not Household.objects.exists()


def test_a_file_of_bad_ids_keeps_the_first_errors_and_counts_all(fed, tmp_path):
    from chunfeng.register.bulk_import import household_import_check

    rows = ((n, {"name": "甲", "id_number": "123", "category": "B"}) for n in range(2, 7002))
    check = household_import_check(rows=rows, columns={"id_number": "身份证号码"}, max_errors=100)
    assert (check.rows, check.bad_rows, check.error_count, check.valid) == (7000, 7000, 7000, 0)
    assert [e["row"] for e in check.errors] == list(range(2, 102))


def test_texts_with_tabs_newlines_and_backslashes_are_stored_as_read(fed, tmp_path):
    """PostgreSQL's COPY text format gives tab, newline and backslash a meaning of their own:
    the import escapes them, and every text comes back exactly as the validation read it."""
    from chunfeng.register.validation import clean_household

    odd = {"姓名": "王\\五", "工作单位": "甲厂\t二车间\\班组\n（夜班）\r", "联系电话": "0411\\8"}
    path = tmp_path / "h.xlsx"
    path.write_bytes(xlsx_bytes([row(1, **odd), row(2)]))
    file = HouseholdFile(path)
    import_file(file, contract_mapping(file.header().columns), unit=fed.zs, actor=SYSTEM)
    stored = Household.objects.order_by("pk").first()
    read = dict(zip(("name", "employer", "phone"), odd.values(), strict=True))
    expected, problems = clean_household(read | {"id_number": make_id(1), "category": "B"})
    assert not problems
    assert "\\" in stored.name and "\t" in stored.employer and "\n" in stored.employer
    assert (stored.name, stored.employer, stored.phone) == (
        expected["name"],
        expected["employer"],
        expected["phone"],
    )
    assert stored.causes == [] and stored.status == "active" and stored.version == 1
    assert Person.objects.get(household=stored).id_number == stored.id_number
