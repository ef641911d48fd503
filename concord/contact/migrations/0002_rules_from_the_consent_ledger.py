"""Her per-channel contact consent, until now on each case's consent ledger, becomes part of her one
set of contact rules. A channel is safe if, on every case where she decided about it, her latest
decision was to allow it (a refusal on any case wins: the safer reading). The per-number "safe / not
safe" stays on each contact point, which the gate reads across all her cases."""

from django.db import migrations


def rules_from_ledger(apps, schema_editor):
    ConsentDecision = apps.get_model("consent", "ConsentDecision")
    ContactRules = apps.get_model("contact", "ContactRules")
    latest: dict[tuple[int, str], dict[int, str]] = {}  # (person, channel) -> {case: latest decision}
    decisions = (ConsentDecision.objects.filter(scope="contact").exclude(channel="")
                 .order_by("decided_at", "id").values_list("case__survivor_id", "case_id", "channel", "decision"))
    for person_id, case_id, channel, decision in decisions.iterator(chunk_size=2000):
        latest.setdefault((person_id, channel), {})[case_id] = decision
    channels: dict[int, list[str]] = {}
    for (person_id, channel), by_case in latest.items():
        channels.setdefault(person_id, [])
        if all(decision == "given" for decision in by_case.values()):
            channels[person_id].append(channel)
    ContactRules.objects.bulk_create(
        [ContactRules(person_id=person_id, safe_channels=sorted(safe)) for person_id, safe in channels.items()],
        batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("contact", "0001_initial"),
        ("consent", "0005_withdrawal_to_confirm"),
        ("cases", "0008_case_workers"),
    ]

    operations = [
        migrations.RunPython(rules_from_ledger, migrations.RunPython.noop),
    ]
