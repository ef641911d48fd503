from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "concord.protocols"
    label = "protocols"
    verbose_name = "Interagency protocols and deadlines"
