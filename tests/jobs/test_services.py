"""The reaper: a running job whose heartbeat is older than CHUNFENG_JOB_HEARTBEAT_TIMEOUT
has lost its worker and is failed; live, queued and finished jobs are left alone."""

import datetime as dt

from django.utils import timezone

from chunfeng.jobs.models import Job
from chunfeng.jobs.schedule import tick
from chunfeng.jobs.services import STALE_MESSAGE, jobs_fail_stale


def jobs(**heartbeats_ago):
    """``name=(status, seconds since the heartbeat)`` → the jobs, by name."""
    now = timezone.now()
    made = {}
    for name, (status, ago) in heartbeats_ago.items():
        heartbeat = now - dt.timedelta(seconds=ago)
        made[name] = Job.objects.create(kind=name, status=status, heartbeat_at=heartbeat)
    return made


def test_a_stale_running_job_is_failed_and_fresh_ones_are_left(db, settings):
    settings.CHUNFENG_JOB_HEARTBEAT_TIMEOUT = 300
    made = jobs(
        stale=("running", 301), fresh=("running", 60), queued=("queued", 3600), done=("done", 3600)
    )
    assert jobs_fail_stale() == 1
    stale = Job.objects.get(pk=made["stale"].pk)
    assert (stale.status, stale.message) == ("failed", STALE_MESSAGE)
    assert "后台任务中断" in stale.message and stale.message.endswith("请重新提交。")
    assert stale.finished_at is not None
    statuses = dict(Job.objects.exclude(kind="stale").values_list("kind", "status"))
    assert statuses == {"fresh": "running", "queued": "queued", "done": "done"}
    assert jobs_fail_stale() == 0


def test_the_scheduler_runs_the_reaper(db, settings):
    settings.CHUNFENG_JOB_HEARTBEAT_TIMEOUT = 60
    made = jobs(stale=("running", 61))
    assert "jobs.fail_stale" in tick().ran
    assert Job.objects.get(pk=made["stale"].pk).status == "failed"
