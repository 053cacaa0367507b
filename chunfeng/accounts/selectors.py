from django.db.models import QuerySet

from chunfeng.orgunits.selectors import units_visible_to

from .models import User


def users_visible_to(user) -> QuerySet[User]:
    """The users of the units in ``user``'s subtree."""
    return (
        User.objects.filter(unit__in=units_visible_to(user))
        .select_related("unit")
        .order_by("unit__path", "username")
    )
