"""Contact points and protected locations belong to the case they were recorded on, and a contact
point's note is encrypted like its value.

Need-to-know is granted per case, so protected details must be per case too: otherwise an agency
that opens a second case for the same person (becoming its lead) would see what she told the first.
Existing rows go to the earliest case the person is on (as survivor, else as a participant); a row
of a person on no case is deleted, since no one could be granted it.
"""

import django.db.models.deletion
from django.db import migrations, models

import concord.crypto


def assign_cases_and_encrypt_notes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseParticipant = apps.get_model("cases", "CaseParticipant")
    for model_name in ("ContactPoint", "ProtectedLocation"):
        model = apps.get_model("people", model_name)
        for row in model.objects.filter(case__isnull=True).iterator():
            case_id = (Case.objects.filter(survivor_id=row.person_id).order_by("opened_at", "pk")
                       .values_list("pk", flat=True).first()
                       or CaseParticipant.objects.filter(person_id=row.person_id).order_by("pk")
                       .values_list("case_id", flat=True).first())
            if case_id is None:
                row.delete()
            else:
                model.objects.filter(pk=row.pk).update(case_id=case_id)
    # The note column held plain text until now; the historical model's field is still plain here,
    # so encrypt by hand (values already tokens are left alone).
    ContactPoint = apps.get_model("people", "ContactPoint")
    for pk, note in ContactPoint.objects.exclude(note="").values_list("pk", "note").iterator():
        if not note.startswith("gAAAA"):
            ContactPoint.objects.filter(pk=pk).update(note=concord.crypto.encrypt(note))


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_protectedlocation"),
        ("cases", "0003_alter_caseevent_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contactpoint",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AddField(
            model_name="contactpoint",
            name="case",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="contact_points", to="cases.case"),
        ),
        migrations.AddField(
            model_name="protectedlocation",
            name="case",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="protected_locations", to="cases.case"),
        ),
        migrations.RunPython(assign_cases_and_encrypt_notes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contactpoint",
            name="case",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="contact_points", to="cases.case"),
        ),
        migrations.AlterField(
            model_name="protectedlocation",
            name="case",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="protected_locations", to="cases.case"),
        ),
        migrations.AlterField(
            model_name="contactpoint",
            name="note",
            field=concord.crypto.EncryptedTextField(blank=True, verbose_name="note"),
        ),
    ]
