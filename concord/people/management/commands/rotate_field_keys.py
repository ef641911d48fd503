"""Re-encrypt every protected field with the newest key, then prove the older keys can be retired.

Rotation, step by step:
1. generate a key:  python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
2. put it first:    CONCORD_FIELD_KEYS="<new>,<old>"  (restart the app: it now writes with <new>)
3. run:             python manage.py rotate_field_keys
4. when it reports that every value opens with the newest key alone, remove <old> from the setting.

Besides the EncryptedTextFields, it covers allauth's second factors (TOTP secrets and recovery-code
seeds in Authenticator.data, see concord.accounts.second_factors); a secret still in clear is sealed.

Each batch is its own transaction and rewriting is idempotent, so an interrupted run is simply run again.
"""

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from tqdm import tqdm

from concord.accounts import second_factors
from concord.crypto import EncryptedTextField, _fernet_for

BATCH = 500


def encrypted_fields():
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "Re-encrypt all protected fields with the first key of CONCORD_FIELD_KEYS and verify."

    def add_arguments(self, parser):
        parser.add_argument("--verify-only", action="store_true", help="Only check that the newest key opens all.")

    def handle(self, *args, verify_only=False, **options):
        try:
            if not verify_only:
                for model, fields in encrypted_fields():
                    self._rewrite(model, fields)
                self._rewrite_second_factors()
            unreadable = sum(self._count_not_opened_by_newest_key(model, fields)
                             for model, fields in encrypted_fields())
            unreadable += self._count_second_factors_not_opened_by_newest_key()
        except KeyboardInterrupt:
            raise CommandError("Interrupted. Finished batches are saved; run the command again to continue.") from None
        if unreadable:
            raise CommandError(f"{unreadable} value(s) still need an older key: do not retire it yet.")
        older = len(settings.FIELD_ENCRYPTION_KEYS) - 1
        self.stdout.write(self.style.SUCCESS(
            "Every protected value opens with the newest key alone."
            + (f" The {older} older key(s) can now be removed from CONCORD_FIELD_KEYS." if older else "")))

    def _rewrite(self, model, fields):
        names = [f.name for f in fields]
        ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        label = f"{model._meta.label} ({', '.join(names)})"
        with tqdm(total=len(ids), desc=label, unit="row", disable=None) as progress:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start:start + BATCH]
                with transaction.atomic():
                    for row in model._default_manager.filter(pk__in=chunk).values("pk", *names):
                        # Reading decrypts with whichever key opens it; writing encrypts with the newest.
                        model._default_manager.filter(pk=row.pop("pk")).update(**row)
                progress.update(len(chunk))

    def _count_not_opened_by_newest_key(self, model, fields) -> int:
        newest = _fernet_for((settings.FIELD_ENCRYPTION_KEYS[0],))
        failures = 0
        for field in fields:
            raw = (model._default_manager.annotate(_raw=Cast(field.name, output_field=TextField()))
                   .exclude(**{field.name: ""}).values_list("_raw", flat=True))
            for token in raw.iterator(chunk_size=2000):
                if not token:
                    continue
                try:
                    newest.decrypt(token.encode())
                except Exception:  # noqa: BLE001 - any failure means the newest key cannot open it
                    failures += 1
        return failures

    def _rewrite_second_factors(self):
        ids = list(Authenticator.objects.order_by("pk").values_list("pk", flat=True))
        label = f"{Authenticator._meta.label} (TOTP secrets, recovery-code seeds)"
        with tqdm(total=len(ids), desc=label, unit="row", disable=None) as progress:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start:start + BATCH]
                with transaction.atomic():
                    # Locked: allauth rewrites the data when a recovery code is used.
                    for pk, data in (Authenticator.objects.select_for_update().filter(pk__in=chunk)
                                     .values_list("pk", "data")):
                        resealed = second_factors.resealed_data(data)
                        if resealed != data:
                            Authenticator.objects.filter(pk=pk).update(data=resealed)
                progress.update(len(chunk))

    def _count_second_factors_not_opened_by_newest_key(self) -> int:
        newest = _fernet_for((settings.FIELD_ENCRYPTION_KEYS[0],))
        return sum(not second_factors.opens_with(value, newest)
                   for data in Authenticator.objects.values_list("data", flat=True).iterator(chunk_size=2000)
                   for value in second_factors.secrets_in(data))
