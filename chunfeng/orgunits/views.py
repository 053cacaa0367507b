from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import units_visible_to


@login_required
def unit_list(request):
    return render(request, "orgunits/unit_list.html", {"units": units_visible_to(request.user)})
