from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "concord.conferences"
    label = "conferences"
    verbose_name = "Multi-agency risk conferences"

    def ready(self) -> None:
        from .events import register_kinds

        register_kinds()
