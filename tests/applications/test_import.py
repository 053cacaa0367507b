"""A household list imported as filed (source marked) or as applications, each row checked
against its region's standard; a row that does not fit is named and nothing is saved."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chunfeng.applications.imports import households_import
from chunfeng.applications.models import Application, FileState
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.register.models import Household

from .conftest import ident

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "身份证号码", "联系电话", "工作单位", "困难类别", "家庭人口", "家庭月人均收入",
          "是否农民工", "是否劳模", "致困原因", "家庭住址", "类别说明"]  # fmt: skip


def listed(*rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("困难职工名单.csv", out.getvalue().encode("utf-8"))


def row(n, category="B", income="300", causes="大病", explanation=""):
    return [f"职工{n}", ident(n), "", "示例厂", category, "3", income, "否", "否", causes,
            "中山区友好路 1 号", explanation]  # fmt: skip


def test_filed_with_the_source_marked(fed, standard):
    count = households_import(
        unit=fed.zs_g1, upload=listed(row(1), row(2, "C", "500", "失业")), mode="filed",
        actor=fed.user("zsg", "filler"),
    )  # fmt: skip
    assert count == 2 and Household.objects.count() == 2
    states = FileState.objects.all()
    assert {s.source for s in states} == {"import"}
    assert all("困难职工名单.csv" in s.source_note for s in states)
    assert Application.objects.count() == 0


def test_as_applications(fed, standard):
    households_import(
        unit=fed.zs_g1, upload=listed(row(1), row(2)), mode="applications",
        actor=fed.user("zsg", "filler"),
    )  # fmt: skip
    found = Application.objects.order_by("name")
    assert [(a.source, a.status, a.family_size, a.per_capita) for a in found] == [
        ("import", "submitted", 3, 300), ("import", "submitted", 3, 300),
    ]  # fmt: skip
    assert Household.objects.count() == 0


@pytest.mark.parametrize("mode", ["filed", "applications"])
def test_rows_that_do_not_fit_are_named(fed, standard, mode):
    upload = listed(row(1), row(2, "B", "450", "失业"), row(3, "C", "700", "失业", "说明理由"))
    with pytest.raises(ApplicationError) as refused:
        households_import(unit=fed.zs_g1, upload=upload, mode=mode, actor=fed.user("zsg", "filler"))
    texts = [d["text"] for d in refused.value.details]
    assert len(texts) == 1 and texts[0].startswith("第 3 行“困难类别”") and "450.00" in texts[0]
    assert Household.objects.count() == 0 and Application.objects.count() == 0


def test_who_may_import(fed, standard, login):
    with pytest.raises(NotPermitted):
        households_import(
            unit=fed.zs_g1, upload=listed(row(1)), mode="filed", actor=fed.user("zs", "reviewer")
        )
    url = reverse("application-import")
    assert login(fed.user("zs", "reviewer")).get(url).status_code == 403
    client = login(fed.user("zsg", "filler"))
    refused = client.post(
        url, {"unit": fed.zs_g1.code, "mode": "filed", "file": listed(row(1, "C"))}
    )
    assert refused.status_code == 400 and "第 2 行" in refused.content.decode()
    done = client.post(url, {"unit": fed.zs_g1.code, "mode": "filed", "file": listed(row(1))})
    assert done.status_code == 302 and Household.objects.count() == 1
