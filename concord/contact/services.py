"""Writing her contact rules. One set per survivor: a change made on any of her cases holds on all."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.access.facets import Facet
from concord.cases.events import record_event
from concord.policy import AccessDecision, Action

from .events import ContactEventKind
from .models import ContactRules
from .vocabularies import ContactChannel

FIELDS = ("safe_channels", "safe_times", "voicemail_ok", "may_name_agency", "never_post_home", "third_party",
          "code_word")


def contact_rules_set(*, access: AccessDecision, changes: dict[str, Any], version: int | None) -> ContactRules:
    """Set her rules from the case `access` was decided on. `version` is the one the writer read (None:
    she had none yet); a stale one is refused, not overwritten."""
    if not (access.may(Action.RECORD_CONTACT_CONSENT) and access.sees(Facet.CONTACT_CHANNELS)):
        raise PermissionDenied
    cleaned = _clean(changes)
    person = access.case.survivor
    with transaction.atomic():
        rules = ContactRules.objects.select_for_update().filter(person=person).first()
        current = rules.version if rules is not None else None
        if current != version:
            raise ValidationError({"version": _("Someone changed her contact rules since you opened them. "
                                                "Reload to see the change, then make yours.")})
        if rules is None:
            rules = ContactRules(person=person, version=0)
        for name, value in cleaned.items():
            setattr(rules, name, value)
        rules.version += 1
        rules.updated_at, rules.updated_by = timezone.now(), access.actor.user
        rules.save()
        record_event(access=access, kind=ContactEventKind.RULES_SET, object_id=rules.pk,
                     params={"channels": rules.safe_channels}, fields=list(cleaned))
    return rules


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({name: _("Not one of her contact rules.") for name in sorted(unknown)})
    cleaned = dict(changes)
    errors: dict[str, str] = {}
    if "safe_channels" in cleaned:
        channels = list(dict.fromkeys(cleaned["safe_channels"] or []))
        if any(channel not in ContactChannel.values for channel in channels):
            errors["safe_channels"] = _("Choose channels from the list.")
        cleaned["safe_channels"] = channels
    if "safe_times" in cleaned:
        try:
            cleaned["safe_times"] = [_window(item) for item in cleaned["safe_times"] or []]
        except (KeyError, TypeError, ValueError):
            errors["safe_times"] = _("Give each safe time as days of the week and a start before its end.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _window(item: dict[str, Any]) -> dict[str, Any]:
    days = sorted({int(day) for day in item["days"]})
    start, end = datetime.time.fromisoformat(item["start"]), datetime.time.fromisoformat(item["end"])
    if not days or any(day not in range(7) for day in days) or start >= end:
        raise ValueError
    return {"days": days, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
