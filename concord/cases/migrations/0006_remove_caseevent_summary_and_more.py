"""Timeline events become data: object type and id, facet, parameters, and the system as an actor.

Existing events keep their sentence as `params["summary"]` (shown as it was written) and get the facet
their kind belongs to, so an override's line is hidden from agencies that may not see overrides."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# kind → (facet, object type), as the kinds are registered in concord.cases.events and concord.consent.events.
FACET_OF_KIND = {
    "opened": ("core", "case"), "agency_involved": ("core", "involvement"), "agency_ended": ("core", "involvement"),
    "lead_changed": ("core", "case"), "participant_added": ("core", "participant"),
    "incident_recorded": ("core", "incident"), "incident_edited": ("core", "incident"),
    "need_recorded": ("needs", "need"), "need_updated": ("needs", "need"), "closed": ("core", "case"),
    "reopened": ("core", "case"), "restriction_changed": ("core", "case"),
    "conflict_declared": ("access_log", "case"), "location_recorded": ("protected", "protected"),
    "person_updated": ("core", "person"), "contact_recorded": ("protected", "protected"),
    "contact_updated": ("protected", "protected"), "consent_recorded": ("consent", "consent"),
    "override_granted": ("overrides", "override"), "override_ended": ("overrides", "override"),
    "protected_granted": ("protected", "protected"), "protected_ended": ("protected", "protected"),
}


def keep_summaries(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.all().iterator(chunk_size=2000):
        # An unknown kind gets the narrowest facet: only the lead agency's oversight reads it.
        facet, object_type = FACET_OF_KIND.get(event.kind, ("access_log", "case"))
        event.facet, event.object_type = facet, object_type
        event.params = {"summary": event.summary} if event.summary else {}
        event.save(update_fields=["facet", "object_type", "params"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_agency_and_membership_history'),
        ('cases', '0005_incident_violence_type_list'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='caseagency',
            name='may_correct_details',
            field=models.BooleanField(default=False, verbose_name='may correct her details'),
        ),
        migrations.AddField(
            model_name='caseevent',
            name='facet',
            field=models.CharField(default='access_log', max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='caseevent',
            name='object_id',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='caseevent',
            name='object_type',
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name='caseevent',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='caseevent',
            name='system_actor',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='historicalcaseagency',
            name='may_correct_details',
            field=models.BooleanField(default=False, verbose_name='may correct her details'),
        ),
        migrations.RunPython(keep_summaries, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='caseevent',
            name='summary',
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(max_length=40),
        ),
        migrations.AddConstraint(
            model_name='caseevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('actor__isnull', False), ('agency__isnull', False), ('system_actor', '')), models.Q(('actor__isnull', True), ('agency__isnull', True), models.Q(('system_actor', ''), _negated=True)), _connector='OR'), name='event_by_a_person_or_the_system'),
        ),
    ]
