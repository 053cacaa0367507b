"""Job targets for the tests: ``"tests.jobs.targets:<name>"``."""

import time

from chunfeng.core.errors import ApplicationError
from chunfeng.jobs.models import Job
from chunfeng.jobs.services import job_progress


def count(job, *, to: int) -> dict:
    job_progress(job, 0, to, "开始数数…")
    for n in range(1, to + 1):
        job_progress(job, n)
    return {"message": f"数到 {to}", "counted": list(range(1, to + 1))}


def refuse(job) -> dict:
    raise ApplicationError("文件有误", code="bad", details=[{"row": 2, "message": "不对"}])


def crash(job) -> dict:
    return {"message": str(1 / 0)}


def wait_for_beats(job, *, beats: int) -> dict:
    """Watch the job's heartbeat change ``beats`` times (at most 5 seconds)."""
    seen, last, until = 0, job.heartbeat_at, time.monotonic() + 5
    while seen < beats and time.monotonic() < until:
        time.sleep(0.01)
        now = Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
        if now != last:
            seen, last = seen + 1, now
    return {"beats": seen}
