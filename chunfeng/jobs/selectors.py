from __future__ import annotations

from .models import Job


def job_of(user, pk) -> Job | None:
    """One of the user's own jobs (None when it is not theirs or does not exist)."""
    if not pk:
        return None
    return Job.objects.filter(pk=pk, created_by=user).first()


MY_JOBS = 50  # the newest jobs the "my jobs" page lists


def jobs_of(user) -> list[Job]:
    """The user's own newest jobs (their exports and imports), newest first."""
    return list(Job.objects.filter(created_by=user).order_by("-created_at", "-pk")[:MY_JOBS])
