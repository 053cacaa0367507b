"""A bank result file longer than CHUNFENG_BANK_ROWS_IN_REQUEST is applied by a worker: the
same service as the page (all or nothing), the file kept through the storage API only until
the job has read it, its progress and outcome on the job's panel for the user who uploaded it,
no full number in the job's record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.funds.models import BatchStatus, LineResult, PaymentLine
from chunfeng.jobs.models import Job, JobStatus

from .helpers import text
from .test_confirmation import ACCOUNTS, approved, csv_file  # noqa: F401 - the fixture

UNMATCHED = "6222020000000009999"


@pytest.fixture
def long_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHUNFENG_BANK_ROWS_IN_REQUEST = 1  # two rows make a long file


def post(client, batch, content: bytes):
    upload = SimpleUploadedFile("结果.csv", content, content_type="text/csv")
    return client.post(f"/funds/batches/{batch.pk}/bank-result/", {"file": upload})


def test_a_short_file_is_applied_in_the_request(fed, approved, login):  # noqa: F811
    b, _families = approved
    response = post(login(fed.user("zs", "filler")), b, csv_file(f"{ACCOUNTS[0]},500.00,成功,"))
    assert response.status_code == 302
    assert not Job.objects.exists()
    assert PaymentLine.objects.filter(batch=b, result=LineResult.PAID).count() == 1


def test_a_long_file_is_applied_by_a_worker(
    fed,
    approved,  # noqa: F811
    login,
    long_files,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    b, families = approved
    client = login(fed.user("zs", "filler"))
    content = csv_file(
        *(f"{a},500.00,成功," for a in ACCOUNTS[:2]),
        f"{ACCOUNTS[2]},500.00,失败,户名不符",
        f"{UNMATCHED},300.00,成功,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = post(client, b, content)
    assert page.status_code == 200 and "正在后台导入" in text(page)
    job = Job.objects.get()
    assert (job.kind, job.status, job.unit) == ("import:bank_result", JobStatus.DONE, fed.zs)
    assert "2 笔入账，1 笔失败" in job.message
    assert not job.file and not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    lines = PaymentLine.objects.filter(batch=b)
    assert sorted(lines.values_list("result", flat=True)) == ["failed", "paid", "paid"]
    b.refresh_from_db()
    assert b.status == BatchStatus.CONFIRMED
    panel = text(client.get(f"/jobs/{job.pk}/"))
    assert "2 笔入账" in panel and "第 5 行" in panel and UNMATCHED not in panel
    recorded = str(job.params) + str(job.result) + job.message
    assert all(a not in recorded for a in (*ACCOUNTS, UNMATCHED))
    assert all(h.id_number not in recorded for h in families)
    assert login(fed.user("xg", "filler")).get(f"/jobs/{job.pk}/").status_code == 404


def test_a_bad_cell_in_a_long_file_saves_nothing(
    fed,
    approved,  # noqa: F811
    login,
    long_files,
    django_capture_on_commit_callbacks,
):
    b, _families = approved
    client = login(fed.user("zs", "filler"))
    content = csv_file(f"{ACCOUNTS[0]},500.00,成功,", f"{ACCOUNTS[1]},五百,成功,")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, b, content)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "1 处错误" in job.message
    assert job.result["details"][0]["row"] == 3 and job.result["details"][0]["column"] == "金额"
    assert not job.file
    assert not PaymentLine.objects.filter(batch=b).exclude(result="").exists()
    assert "第 3 行" in text(client.get(f"/jobs/{job.pk}/"))


def test_a_viewer_starts_no_job(fed, approved, login, long_files):  # noqa: F811
    b, _families = approved
    content = csv_file(*(f"{a},500.00,成功," for a in ACCOUNTS))
    assert post(login(fed.user("zs", "viewer")), b, content).status_code == 403
    assert not Job.objects.exists()
