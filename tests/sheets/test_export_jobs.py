"""A 汇总 export over more units than CHUNFENG_EXPORT_IN_REQUEST_UNITS is made by a worker: the
GET offers it, the POST starts a job, and the file is downloaded from the job (through the
storage API) by the user who started it only."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage

from chunfeng.jobs.models import Job

from .test_views_cli import approve_two


@pytest.fixture
def large(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHUNFENG_EXPORT_IN_REQUEST_UNITS = 1  # the test federation's two districts: large


def base(fed) -> str:
    return f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"


@pytest.mark.parametrize(
    "tail, ending",
    [
        ("file.xlsx", "汇总.xlsx"),
        ("file.pdf", "汇总.pdf"),
        ("table.csv", "明细.csv"),
        ("table.xlsx", "明细.xlsx"),
    ],
)
def test_a_large_export_runs_as_a_job_and_is_downloaded(
    fed, login, large, django_capture_on_commit_callbacks, tail, ending
):
    approve_two(fed)
    client = login(fed.user("city", "reviewer"))
    offer = client.get(base(fed) + tail + "?status=approved")
    assert offer.status_code == 200 and "开始生成" in offer.content.decode()
    assert not Job.objects.exists()  # a GET starts nothing
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(base(fed) + tail + "?status=approved")
    job = Job.objects.get()
    what = "summary" if tail.startswith("file") else "table"
    assert (job.kind, job.status, job.unit.code) == (f"export:{what}", "done", "210200")
    assert job.result["filename"].endswith(ending)
    assert default_storage.exists(job.file.name)
    assert f"/jobs/{job.pk}/file/" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert page.status_code == 200
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert data
    if tail == "file.xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        cells = {
            k[6:]: v
            for k, v in wb["_chunfeng"].iter_rows(values_only=True)
            if str(k).startswith("blank:")
        }
        assert str(wb.worksheets[0][cells["05A"]].value) == "3.2346"
    if tail == "table.csv":
        assert "合计" in data.decode("utf-8-sig")
    if tail == "table.xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert [r[0] for r in rows[1:3]] == ["210202", "210203"] and rows[-1][0] == "合计"


def test_only_its_creator_downloads_the_file(fed, login, large, django_capture_on_commit_callbacks):
    approve_two(fed)
    reviewer = login(fed.user("city", "reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(base(fed) + "file.xlsx")
    job = Job.objects.get()
    other = login(fed.user("city", "viewer"))
    assert other.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert reviewer.get(f"/jobs/{job.pk}/file/").status_code == 200


def test_a_small_export_is_made_in_the_request(fed, login, settings):
    settings.CHUNFENG_EXPORT_IN_REQUEST_UNITS = 200
    approve_two(fed)
    client = login(fed.user("city", "reviewer"))
    response = client.get(base(fed) + "file.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert not Job.objects.exists()


def test_outside_the_users_subtree_is_404_before_anything_starts(fed, login, large):
    client = login(fed.user("zs", "reviewer"))
    assert client.get(base(fed) + "file.xlsx").status_code == 404
    assert client.post(base(fed) + "file.xlsx").status_code == 404
    assert client.post(base(fed) + "file.docx").status_code == 404
    assert not Job.objects.exists()


def test_export_files_are_removed_after_their_days(
    fed, login, large, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from chunfeng.jobs.services import job_files_sweep

    settings.CHUNFENG_JOB_FILE_DAYS = 7
    approve_two(fed)
    client = login(fed.user("city", "reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base(fed) + "table.csv")
    job = Job.objects.get()
    name = job.file.name
    assert job_files_sweep() == 0 and default_storage.exists(name)
    Job.objects.update(finished_at=timezone.now() - dt.timedelta(days=8))
    assert job_files_sweep() == 1
    assert not default_storage.exists(name) and not Job.objects.get().file
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
