from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import User


@login_required
def user_list(request):
    users = User.objects.filter(unit__path__startswith=request.user.unit.path).select_related("unit")
    return render(request, "accounts/user_list.html", {"users": users})
