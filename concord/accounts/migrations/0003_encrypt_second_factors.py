"""Encrypt the TOTP secrets and recovery-code seeds that allauth stored in clear.

Idempotent: a value already sealed (it carries the prefix) is left as it is, so the migration is
safe to run against rows written after StaffMFAAdapter was switched on. Reversing opens them again,
as allauth's default adapter (no encryption) expects.
"""

from django.db import migrations

from concord.accounts.second_factors import opened_data, sealed_data


def _rewrite(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=500):
        data = change(authenticator.data)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_second_factors(apps, schema_editor):
    _rewrite(apps, sealed_data)


def decrypt_second_factors(apps, schema_editor):
    _rewrite(apps, opened_data)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_agency_and_membership_history"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_second_factors, decrypt_second_factors, elidable=False),
    ]
