from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "concord.access"
    label = "access"
    verbose_name = "Access (derived from the consent ledger)"
