"""The causes of hardship the national system lists, as configuration rows (the codes are
those the register's files keep)."""

from django.db import migrations

CAUSES = [
    ("illness", "大病"),
    ("disability", "残疾"),
    ("schooling", "子女上学"),
    ("unemployment", "失业"),
    ("accident", "意外事件"),
    ("disaster", "灾害"),
    ("low_income", "收入低"),
    ("other", "其他"),
]


def add(apps, schema_editor):
    Cause = apps.get_model("applications", "Cause")
    for order, (code, label) in enumerate(CAUSES, start=1):
        Cause.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
