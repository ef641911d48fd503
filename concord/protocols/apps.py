from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "concord.protocols"
    label = "protocols"
    verbose_name = "Interagency protocols and deadlines"

    def ready(self) -> None:
        from concord.cases.signals import incident_saved

        from .receivers import incident_saved_fire

        incident_saved.connect(incident_saved_fire, dispatch_uid="protocols-fire-on-incident")
