from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "concord.consent"
    label = "consent"
    verbose_name = "Consent and overrides"

    def ready(self) -> None:
        from .events import register_kinds

        register_kinds()
