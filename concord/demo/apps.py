from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "concord.demo"
    label = "demo"
