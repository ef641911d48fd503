from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "concord.contact"
    label = "contact"
    verbose_name = "Her contact rules and the outbound gate"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from concord.consent.models import ConsentDecision

        from .events import register_kinds
        from .receivers import contact_decision_recorded

        register_kinds()
        post_save.connect(contact_decision_recorded, sender=ConsentDecision, dispatch_uid="contact-rules-from-consent")
