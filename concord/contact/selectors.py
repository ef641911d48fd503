"""Her contact rules as staff read them before contacting her by hand."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from concord.people.models import Person

from .models import ContactRules
from .rules import safe_times_from
from .vocabularies import ContactChannel

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class RulesShown:
    rules: ContactRules
    channels: list[str]
    times: list[str]


def contact_rules_of(person: Person) -> RulesShown | None:
    rules = ContactRules.objects.filter(person=person).first()
    if rules is None:
        return None
    channels = [str(label) for value, label in ContactChannel.choices if value in rules.safe_channels]
    times = [_("%(days)s %(start)s–%(end)s") % {
        "days": ", ".join(DAY_NAMES[day] for day in sorted(window.days)),
        "start": window.start.strftime("%H:%M"), "end": window.end.strftime("%H:%M")}
        for window in safe_times_from(rules.safe_times)]
    return RulesShown(rules=rules, channels=channels, times=times)
