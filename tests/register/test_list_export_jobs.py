"""A register list longer than CHUNFENG_EXPORT_IN_REQUEST_ROWS is exported by a worker: the GET
offers it and starts nothing, the POST starts the job, the file is kept through the storage API
and downloaded from the job by the user who started it only; masked unless the role may see
full numbers (checked again when the job runs), a full export logged."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from chunfeng.core.models import AuditEvent
from chunfeng.jobs.models import Job, JobStatus
from chunfeng.jobs.tasks import job_run
from chunfeng.register.list_export import COLUMNS, TARGET, list_export_start
from chunfeng.register.models import IdAccess
from tests.register.conftest import make_id, new_household

URL = reverse("household-list-export")
ID = COLUMNS.index("身份证号码")
NAME = COLUMNS.index("姓名")


@pytest.fixture
def large(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHUNFENG_EXPORT_IN_REQUEST_ROWS = 0  # any list is a long one


@pytest.fixture
def families(fed):
    return [
        new_household(fed, fed.zs, 1, name="张一"),
        new_household(fed, fed.zs_g1, 2, name="王二", category="C"),
        new_household(fed, fed.xg, 3, name="李三"),
    ]


def rows_of(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS
    return rows[1:]


def download(client, job: Job) -> list[list]:
    response = client.get(f"/jobs/{job.pk}/file/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return rows_of(b"".join(response.streaming_content))


def test_a_short_list_is_exported_in_the_request(fed, login, families, settings):
    settings.CHUNFENG_EXPORT_IN_REQUEST_ROWS = 2
    response = login(fed.user("zs", "filler")).get(URL)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert len(rows_of(b"".join(response.streaming_content))) == 2
    assert not Job.objects.exists()


def test_a_long_list_is_made_by_a_worker_masked(
    fed, login, families, large, django_capture_on_commit_callbacks
):
    client = login(fed.user("zs", "filler"))
    offer = client.get(URL, {"category": "B"})
    assert offer.status_code == 200 and "开始生成" in offer.content.decode()
    assert 'name="category" value="B"' in offer.content.decode()
    assert not Job.objects.exists()  # a GET starts nothing
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(URL, {"category": "B"})
    assert page.status_code == 200
    job = Job.objects.get()
    assert (job.kind, job.status, job.unit) == ("export:register", JobStatus.DONE, fed.zs)
    assert default_storage.exists(job.file.name)
    assert f"/jobs/{job.pk}/file/" in client.get(f"/jobs/{job.pk}/").content.decode()
    rows = download(client, job)
    assert [r[NAME] for r in rows] == ["张一"]
    assert rows[0][ID] != make_id(1) and make_id(1)[-4:] in rows[0][ID]
    assert not IdAccess.objects.exists()


def test_only_its_creator_downloads_it(
    fed, login, families, large, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(fed.user("zs", "filler")).post(URL)
    job = Job.objects.get()
    assert login(fed.user("xg", "filler")).get(f"/jobs/{job.pk}/file/").status_code == 404
    assert login(fed.user("zs", "viewer")).get(f"/jobs/{job.pk}/file/").status_code == 404
    assert login(fed.user("xg", "filler")).get(f"/jobs/{job.pk}/").status_code == 404


def test_full_numbers_by_a_worker_are_logged(
    fed, login, families, large, django_capture_on_commit_callbacks
):
    filler = fed.user("zs", "filler")
    client = login(filler)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"full": "1", "unit": fed.zs.code})
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    rows = download(client, job)
    assert sorted(r[ID] for r in rows) == sorted([make_id(1), make_id(2)])
    logged = IdAccess.objects.filter(purpose="export:list")
    assert logged.count() == 2 and {a.user for a in logged} == {filler}
    assert logged.first().details == {"filter": {"unit": fed.zs.code}, "count": 2}
    event = AuditEvent.objects.get(action="household.export_full")
    assert event.actor == filler and event.details["count"] == 2
    assert make_id(1) not in str(job.params) + str(job.result) + job.message


@pytest.mark.parametrize("who", ["viewer", "reviewer"])
def test_full_numbers_refused_before_a_job_starts(fed, login, families, large, who):
    response = login(fed.user("zs", who)).post(URL, {"full": "1"})
    assert response.status_code == 403
    assert not Job.objects.exists() and not IdAccess.objects.exists()


def test_the_worker_asks_the_rulebook_again(fed, families, large):
    """A role changed between the request and the run: the job fails, nothing is written."""
    filler = fed.user("zs", "filler")
    job = list_export_start(user=filler, params={"unit": ""}, full=True)
    filler.role = "viewer"
    filler.save(update_fields=["role"])
    assert job_run(job.pk, TARGET) == JobStatus.FAILED
    job.refresh_from_db()
    assert "不能导出完整" in job.message and not job.file
    assert not IdAccess.objects.exists()


def test_a_full_id_searched_is_kept_as_its_token(fed, families, large):
    job = list_export_start(user=fed.user("zs", "filler"), params={"q": make_id(1)}, full=False)
    assert make_id(1) not in str(job.params)
    assert job_run(job.pk, TARGET) == JobStatus.DONE
    job.refresh_from_db()
    assert job.result["count"] == 1


def test_the_list_page_links_the_offer_not_a_download(fed, login, families, large):
    page = login(fed.user("zs", "filler")).get(reverse("household-list")).content.decode()
    link = page[page.index(f'href="{URL}') :].split(">", 1)[0]
    assert "download" not in link
