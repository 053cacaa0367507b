"""Households anonymised before their search tokens were cleared with them: clear them now,
and the tokens of their payment lines, and replace the ID number their visits still hold
(``funds.retention``: a search by the real number must find nothing)."""

from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad


def clear(apps, schema_editor):
    Household = apps.get_model("register", "Household")
    PaymentLine = apps.get_model("funds", "PaymentLine")
    Visit = apps.get_model("funds", "Visit")
    pseudonym = Concat(Value("ANON"), LPad(Cast("household_id", CharField()), 14, Value("0")))
    Household.objects.filter(anonymised_on__isnull=False).exclude(id_token="").update(id_token="")
    of_anonymised = {"household__anonymised_on__isnull": False}
    PaymentLine.objects.filter(**of_anonymised).exclude(id_token="").update(id_token="")
    Visit.objects.filter(**of_anonymised).update(id_number=pseudonym, id_token="")


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0007_token_indexes"),
        ("register", "0006_token_indexes"),
    ]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
