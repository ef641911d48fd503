from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "concord.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from django.db.models import CharField

        from .lookups import SimilarTo

        CharField.register_lookup(SimilarTo)
