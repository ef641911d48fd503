from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "concord.referrals"
    label = "referrals"
    verbose_name = "Referrals between agencies"

    def ready(self) -> None:
        from .events import register_kinds

        register_kinds()
