"""A user may be made to change their password at next login; API tokens expire. Tokens made
before expiry existed get one: their creation time plus the default lifetime
(``CHUNFENG_TOKEN_DAYS``, 180 days unless set)."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def give_existing_tokens_an_expiry(apps, schema_editor):
    days = getattr(settings, "CHUNFENG_TOKEN_DAYS", 180)
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + dt.timedelta(days=days)
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="须修改密码"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
    ]
