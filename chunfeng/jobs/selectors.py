from __future__ import annotations

from .models import Job


def job_of(user, pk) -> Job | None:
    """One of the user's own jobs (None when it is not theirs or does not exist)."""
    if not pk:
        return None
    return Job.objects.filter(pk=pk, created_by=user).first()
