from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .selectors import job_of


@login_required
def job_status(request, pk: int):
    """The progress panel of a job (polled by htmx every second until it ends)."""
    job = job_of(request.user, pk)
    if job is None:
        raise Http404("没有这个任务")
    return render(request, "jobs/_status.html", {"job": job})
