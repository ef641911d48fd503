from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "concord.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from .events import CASE_EVENT_KINDS, register

        register(*CASE_EVENT_KINDS)
