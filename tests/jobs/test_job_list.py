""" "我的后台任务": each user sees their own jobs only, newest first, a finished export with its
download, a running one with its polling panel; the page's queries do not grow with the jobs."""

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.jobs.models import Job


def test_my_jobs_lists_only_mine_with_their_files(fed, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mine, other = fed.user("zs", "viewer"), fed.user("xg", "viewer")
    done = Job.objects.create(
        kind="export:register",
        status="done",
        created_by=mine,
        result={"filename": "名单.xlsx"},
        total=1,
        done=1,
    )
    done.file.save("list.xlsx", ContentFile(b"xlsx"))
    running = Job.objects.create(kind="export:register", status="running", created_by=mine)
    theirs = Job.objects.create(
        kind="export:register", status="done", created_by=other, result={"filename": "别人的.xlsx"}
    )
    client = login(mine)
    text = client.get("/jobs/").content.decode()
    assert f'id="job-{done.pk}"' in text and f'id="job-{running.pk}"' in text
    assert text.index(f'id="job-{running.pk}"') < text.index(f'id="job-{done.pk}"')  # newest first
    assert f"/jobs/{done.pk}/file/" in text and "名单.xlsx" in text
    assert f'hx-get="/jobs/{running.pk}/"' in text  # a running job keeps polling
    assert f'id="job-{theirs.pk}"' not in text and "别人的.xlsx" not in text
    assert client.get(f"/jobs/{theirs.pk}/file/").status_code == 404
    assert 'href="/jobs/"' in text  # the header links the page on every page


def test_my_jobs_takes_the_same_queries_for_2_and_20_jobs(fed, login):
    user = fed.user("zs", "viewer")
    client = login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/jobs/").status_code == 200
        return len(captured)

    for _ in range(2):
        Job.objects.create(kind="export:register", status="done", created_by=user)
    two = queries()
    for _ in range(18):
        Job.objects.create(kind="export:register", status="queued", created_by=user)
    assert queries() == two


def test_no_jobs_yet(fed, login):
    text = login(fed.user("zs", "viewer")).get("/jobs/").content.decode()
    assert "您还没有后台任务。" in text
