from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "concord.safety"
    label = "safety"
    verbose_name = "Safety planning"

    def ready(self) -> None:
        from .events import register_kinds

        register_kinds()
