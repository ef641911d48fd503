"""Her contact rules as staff read them before contacting her by hand, and her numbers and addresses
as the gate reads them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.cases.models import Case
from concord.people.models import ContactPoint, Person

from .gate import addresses_by_safety
from .models import ContactRules
from .rules import SafeTime, safe_times_from
from .vocabularies import ContactChannel

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Each channel as a sentence names it: "Phone calls only".
_IN_A_SENTENCE: dict[str, Any] = {
    ContactChannel.PHONE_CALL: gettext_lazy("phone calls"),
    ContactChannel.TEXT_MESSAGE: gettext_lazy("text messages"),
    ContactChannel.EMAIL: gettext_lazy("e-mails"),
    ContactChannel.LETTER: gettext_lazy("letters"),
    ContactChannel.THIRD_PARTY: gettext_lazy("messages through a named person"),
}


@dataclass(frozen=True)
class RulesShown:
    rules: ContactRules
    channels: list[str]
    times: list[str]
    sentence: str  # "Phone calls only, weekdays 9:00–17:00; no voicemail; do not say which agency is calling."


def contact_rules_of(person: Person) -> RulesShown | None:
    rules = ContactRules.objects.filter(person=person).first()
    if rules is None:
        return None
    channels = [str(label) for value, label in ContactChannel.choices if value in rules.safe_channels]
    windows = safe_times_from(rules.safe_times)
    times = [_("%(days)s %(start)s–%(end)s") % {
        "days": ", ".join(DAY_NAMES[day] for day in sorted(window.days)),
        "start": window.start.strftime("%H:%M"), "end": window.end.strftime("%H:%M")}
        for window in windows]
    return RulesShown(rules=rules, channels=channels, times=times,
                      sentence=rules_in_a_sentence(rules, windows, their=person.pronoun_forms.their))


def rules_in_a_sentence(rules: ContactRules, windows: tuple[SafeTime, ...], *, their: str) -> str:
    """Her rules in one sentence, for whoever is about to contact her: what is safe, when, and what not
    to do."""
    names = [str(_IN_A_SENTENCE[value]) for value in ContactChannel.values if value in rules.safe_channels]
    if not names:
        return _("No channel is safe: do not contact %(them)s.") % {"them": _object_of(their)}
    channels = names[0] if len(names) == 1 else _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]),
                                                                               "last": names[-1]}
    parts = [_("%(channels)s only") % {"channels": channels[:1].upper() + channels[1:]}]
    parts[0] += ", " + (_(" and ").join(_window_words(window) for window in windows) if windows
                        else _("at any time"))
    parts.append(_("voicemail may be left") if rules.voicemail_ok else _("no voicemail"))
    parts.append(_("the caller may say which agency is calling") if rules.may_name_agency
                 else _("do not say which agency is calling"))
    if rules.never_post_home:
        parts.append(_("never send post to %(their)s home address") % {"their": their})
    if rules.third_party:
        parts.append(_("messages may go through %(person)s") % {"person": rules.third_party})
    if rules.code_word:
        parts.append(_("ask for the code word"))
    return "; ".join(parts) + "."


def _object_of(their: str) -> str:
    return {"his": "him", "their": "them"}.get(their, "her")


def _window_words(window: SafeTime) -> str:
    return _("%(days)s %(start)s–%(end)s") % {"days": _days_words(window.days), "start": _clock(window.start),
                                              "end": _clock(window.end)}


def _days_words(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if ordered == list(range(7)):
        return _("every day")
    if ordered == list(range(5)):
        return _("weekdays")
    if ordered == [5, 6]:
        return _("weekends")
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}–{DAY_NAMES[ordered[-1]]}"
    return ", ".join(DAY_NAMES[day] for day in ordered)


def _clock(time: datetime.time) -> str:
    return f"{time.hour}:{time.minute:02d}"


@dataclass(frozen=True)
class PointShown:
    """One of her numbers or addresses on this case, with whether the gate may use it: one she says
    is not safe on any of her cases is not safe on this one."""

    point: ContactPoint
    safe: bool | None  # True: safe; False: not safe (here or on another case); None: not asked
    not_safe_elsewhere: bool


@dataclass(frozen=True)
class PointsShown:
    on_case: list[PointShown]
    # Her numbers and addresses recorded only on her other cases: counted, never shown (need-to-know is
    # granted case by case), because the gate reads them too.
    elsewhere_safe: int
    elsewhere_not_safe: int


def _safety(address: str, safe: set[str], unsafe: set[str]) -> bool | None:
    if address in unsafe:
        return False
    return True if address in safe else None


def contact_points_for_rules(case: Case) -> PointsShown:
    """Her numbers and addresses as the gate reads them (people.ContactPoint across all her cases), for a
    reader who holds her protected details on this case."""
    points = list(ContactPoint.objects.filter(person_id=case.survivor_id).order_by("created_at", "pk"))
    safe, unsafe = addresses_by_safety(points)
    here = [point for point in points if point.case_id == case.pk]
    seen_here = {point.search_index for point in here}
    on_case = [PointShown(point=point, safe=_safety(point.search_index, safe, unsafe),
                          not_safe_elsewhere=point.search_index in unsafe and point.safe_to_use is not False)
               for point in here]
    elsewhere = {point.search_index for point in points} - seen_here
    return PointsShown(on_case=on_case, elsewhere_safe=len(elsewhere & safe),
                       elsewhere_not_safe=len(elsewhere & unsafe))
