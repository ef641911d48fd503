"""What leaves the system in a case summary (printed for a meeting, attached to a referral, put in a
court bundle). An export is read once and then kept where Concord cannot protect it, so it carries
less than the screen:

- never a refuge location, for anyone, the lead agency included (the failure every refuge fears is
  its address in a bundle the perpetrator's solicitor reads);
- never a phone number or an e-mail address: contact goes through Concord, where her safe-contact
  rules are kept;
- other protected locations only for an agency that may see them on this case, marked as such;
- nothing about how she may be contacted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from concord import policy
from concord.consent import selectors as consent_selectors
from concord.people.models import ProtectedLocation
from concord.people.vocabularies import LocationKind
from concord.policy import Actor

from .models import Case
from .selectors import TimelineEntry, case_timeline

# Never in any export, whoever asks.
NEVER_EXPORTED_LOCATIONS = frozenset({LocationKind.REFUGE})


@dataclass
class CaseSummary:
    case: Case
    exported_at: datetime.datetime
    exported_by: str
    agency: str
    participants: list[Any]
    incidents: list[Any]
    needs: list[Any]
    consent: list[Any]
    timeline: list[TimelineEntry]
    locations: list[ProtectedLocation] = field(default_factory=list)
    protected_withheld: bool = True

    @property
    def fields(self) -> list[str]:
        """What the summary shows, for the access log."""
        shown = ["survivor", "people", "incidents", "needs", "consent", "timeline"]
        return shown + (["locations"] if self.locations else [])


def case_summary(actor: Actor, case: Case) -> CaseSummary:
    """The export of a case the actor has already fetched through the policy."""
    sees_protected = policy.can_see_protected(actor, case)
    locations = (list(case.protected_locations.exclude(kind__in=NEVER_EXPORTED_LOCATIONS).select_related("person"))
                 if sees_protected else [])
    consent = list(consent_selectors.consent_history(case, contact_channels=False).order_by("decided_at", "id"))
    return CaseSummary(
        case=case, exported_at=timezone.now(), exported_by=str(actor.user), agency=actor.agency.name,
        participants=list(case.participants.select_related("person")),
        incidents=list(case.incidents.prefetch_related("violence_types", "persons_causing_harm")),
        needs=list(case.needs.all()), consent=consent, timeline=case_timeline(case),
        locations=locations, protected_withheld=not sees_protected,
    )
