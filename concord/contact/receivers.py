"""Until the contact-rules screen replaces it, a contact decision recorded on the consent ledger (her
per-channel "yes" or "no") keeps her rules' safe channels in step, in the same transaction."""

from __future__ import annotations

from concord.consent.vocabularies import Decision, Scope

from .models import ContactRules


def contact_decision_recorded(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw or instance.scope != Scope.CONTACT_BY_CHANNEL or not instance.channel:
        return
    rules, _created = ContactRules.objects.select_for_update().get_or_create(person_id=instance.case.survivor_id)
    channels = [channel for channel in rules.safe_channels if channel != instance.channel]
    if instance.decision == Decision.GIVEN:
        channels.append(instance.channel)
    rules.safe_channels = channels
    rules.version += 1
    rules.save(update_fields=["safe_channels", "version"])
