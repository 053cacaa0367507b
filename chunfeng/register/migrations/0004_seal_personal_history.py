"""What the history and the register kept before personal numbers were sealed: each household
gets the search token of its ID number (contract (b)), and each change of a bank account, a
phone or an ID number in the history is shown masked from now on, its full values kept
encrypted (``chunfeng.core.sealed``) for the auditors."""

from django.db import migrations

from chunfeng.core.personal import mask_bank, mask_id, mask_phone, search_token
from chunfeng.core.sealed import seal

MASKS = {"id_number": mask_id, "bank_account": mask_bank, "phone": mask_phone}


def forwards(apps, schema_editor):
    Household = apps.get_model("register", "Household")
    AuditEvent = apps.get_model("core", "AuditEvent")
    households = list(Household.objects.only("pk", "id_number"))
    for household in households:
        household.id_token = search_token("id", household.id_number) if household.id_number else ""
    Household.objects.bulk_update(households, ["id_token"], batch_size=1000)
    events = AuditEvent.objects.filter(target_type="register.household")
    for event in events.iterator(chunk_size=1000):
        details = dict(event.details or {})
        changes = dict(details.get("changes") or {})
        full = {k: list(v) for k, v in changes.items() if k in MASKS and "sealed" not in details}
        if not full:
            continue
        for key, (old, new) in full.items():
            changes[key] = [MASKS[key](old) if old else "", MASKS[key](new) if new else ""]
        details["changes"] = changes
        details["sealed"] = seal(full)
        event.details = details
        event.save(update_fields=["details"])


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0003_household_version_id_token_pendingchange"),
        ("core", "0002_auditevent_by_system"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
