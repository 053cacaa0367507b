from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health
from .selectors import MY_JOBS, job_of, jobs_of


@login_required
def job_list(request):
    """The user's own background jobs, newest first: where a large export started on another
    page is downloaded later (a running job's panel keeps polling)."""
    return render(request, "jobs/list.html", {"jobs": jobs_of(request.user), "limit": MY_JOBS})


@login_required
def job_status(request, pk: int):
    """The progress panel of a job (polled by htmx every second until it ends)."""
    job = job_of(request.user, pk)
    if job is None:
        raise Http404(_("没有这个任务"))
    return render(request, "jobs/_status.html", {"job": job})


@require_GET
@never_cache
def health_view(request):
    """For load balancers and monitoring, without login: 200 while the database answers (the
    body says whether a worker is alive and how many jobs wait), 503 when it does not."""
    body = health()
    return JsonResponse(body, status=200 if body["database"]["ok"] else 503)


@login_required
def job_file(request, pk: int):
    """The file a finished job made (an export), for the user who started it only."""
    job = job_of(request.user, pk)
    if job is None or job.status != "done" or not job.file:
        raise Http404(_("没有这个文件"))
    name = job.result.get("filename") or job.file.name.rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
