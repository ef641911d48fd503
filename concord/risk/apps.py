from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "concord.risk"
    label = "risk"
    verbose_name = "Risk instruments and assessments"

    def ready(self) -> None:
        from concord.cases.signals import incident_saved

        from .events import register_kinds
        from .receivers import incident_saved_reconsider

        register_kinds()
        incident_saved.connect(incident_saved_reconsider, dispatch_uid="risk-reconsider-on-incident")
