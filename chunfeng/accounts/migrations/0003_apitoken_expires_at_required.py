"""Every token has an expiry now (0002 gave the older ones theirs). A migration of its own, so
that PostgreSQL alters the table in another transaction than the one that filled it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_password_change_and_token_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
