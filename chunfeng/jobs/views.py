from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .models import Job


@login_required
def job_status(request, pk: int):
    """The progress panel of a job (polled by htmx every second until it ends)."""
    job = Job.objects.filter(pk=pk, created_by=request.user).first()
    if job is None:
        raise Http404("没有这个任务")
    return render(request, "jobs/_status.html", {"job": job})
