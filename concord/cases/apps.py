from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "concord.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .changes import install_after_migrate
        from .events import CASE_EVENT_KINDS, register

        register(*CASE_EVENT_KINDS)
        # After every migrate, once every app's tables exist: the triggers that log which case changed.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="concord.cases.changes")
