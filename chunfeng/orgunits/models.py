from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省总工会")  # a deployment's tree may start above the cities
    CITY = "city", _("市总工会")
    COUNTY = "county", _("区市县总工会")
    INDUSTRY = "industry", _("产业工会")
    GRASSROOTS = "grassroots", _("基层工会")


class OrgUnit(models.Model):
    """A union in the federation tree. ``path`` is the chain of codes from the root, so that a
    subtree is one indexed prefix query (``path__startswith``)."""

    code = models.CharField(
        _("代码"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z_-]+$", _("代码只能由字母、数字、- 和 _ 组成"))],
    )
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=512, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    contact_person = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active=True) | models.Q(retired_on__isnull=False),
                name="orgunit_retired_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def is_within(self, other: "OrgUnit") -> bool:
        """True when self is ``other`` or one of its descendants."""
        return self.path.startswith(other.path)
