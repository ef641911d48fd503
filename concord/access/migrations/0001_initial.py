"""The derived access table, filled from the ledger for the cases already there."""

import datetime
import django.db.models.deletion
from django.db import migrations, models


def derive_existing(apps, schema_editor):
    # The rule as the code states it now (concord.access.derive): on a new database there is nothing
    # to derive; on an existing one this runs once, when the table is created.
    from concord.access.derive import rebuild_all

    rebuild_all()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_agency_and_membership_history'),
        ('cases', '0006_remove_caseevent_summary_and_more'),
        ('consent', '0003_override_facets'),
    ]

    operations = [
        migrations.CreateModel(
            name='AgencyAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('basis', models.CharField(choices=[('lead', 'Lead agency'), ('consent', 'Her consent'), ('override', 'Supervised override'), ('need_to_know', 'Need-to-know grant')], max_length=16)),
                ('source_id', models.BigIntegerField(blank=True, null=True)),
                ('valid_from', models.DateTimeField(default=datetime.datetime(1900, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))),
                ('valid_until', models.DateTimeField(default=datetime.datetime(9999, 12, 31, 0, 0, tzinfo=datetime.timezone.utc))),
                ('facets', models.JSONField(default=list)),
                ('may_correct_details', models.BooleanField(default=False)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.case')),
            ],
            options={
                'verbose_name': 'derived access',
                'indexes': [models.Index(fields=['agency', 'case'], name='access_agency_case'), models.Index(fields=['case', 'agency'], name='access_case_agency')],
                'constraints': [models.CheckConstraint(condition=models.Q(('valid_from__lt', models.F('valid_until'))), name='access_interval_not_empty')],
            },
        ),
        migrations.RunPython(derive_existing, migrations.RunPython.noop),
    ]
