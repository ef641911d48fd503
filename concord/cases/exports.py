"""What leaves the system in a case summary (printed for a meeting, attached to a referral, put in a
court bundle). An export is read once and then kept where Concord cannot protect it, so it carries
less than the screen:

- never a refuge location, for anyone, the lead agency included (the failure every refuge fears is
  its address in a bundle the perpetrator's solicitor reads);
- never a phone number or an e-mail address: contact goes through Concord, where her safe-contact
  rules are kept;
- other protected locations only for an agency that may see them on this case, marked as such;
- nothing about how she may be contacted;
- of the rest, only the facets the exporter's access decision holds (an override for incidents
  exports incidents, not her needs or her consent notes).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from concord import policy
from concord.access.facets import Facet
from concord.consent import selectors as consent_selectors
from concord.people.models import ProtectedLocation
from concord.people.vocabularies import LocationKind
from concord.policy import AccessDecision

from .events import TimelineEntry
from .models import Case
from .selectors import case_timeline
from .vocabularies import ExportPurpose

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
    needs: list[Any] | None  # None: withheld (not a facet the exporter holds)
    consent: list[Any] | None
    timeline: list[TimelineEntry]
    narratives: bool = False
    locations: list[ProtectedLocation] = field(default_factory=list)
    protected_withheld: bool = True
    risk: Any = None  # concord.risk.selectors.RiskPicture: the level and reasons; her words with the facet
    purpose: str = ""  # an ExportPurpose, for a printed document (its footer and the access log)
    purpose_detail: str = ""

    @property
    def purpose_label(self) -> str:
        if self.purpose == ExportPurpose.OTHER and self.purpose_detail:
            return self.purpose_detail
        label = str(ExportPurpose(self.purpose).label) if self.purpose in ExportPurpose.values else ""
        return f"{label}: {self.purpose_detail}" if label and self.purpose_detail else label

    @property
    def fields(self) -> list[str]:
        """What the summary shows, for the access log."""
        shown = ["survivor", "people", "incidents", "timeline"]
        shown += ["incident_narratives"] if self.narratives else []
        shown += ["needs"] if self.needs is not None else []
        shown += ["consent"] if self.consent is not None else []
        shown += ["locations"] if self.locations else []
        shown += ["risk_level"] + (["her_view", "her_words"] if self.risk is not None and self.risk.sees_answers
                                   else [])
        return shown + ([f"purpose:{self.purpose}"] if self.purpose else [])


def case_summary(access: AccessDecision, *, purpose: str = "", purpose_detail: str = "") -> CaseSummary:
    """The export of a case, to what the exporter's access decision allows (and, for a document that
    will be kept, what it is for)."""
    from concord.risk.selectors import risk_picture  # the risk app builds on the case record

    case, actor = access.case, access.actor
    sees_protected = access.sees(Facet.PROTECTED)
    locations = (list(case.protected_locations.exclude(kind__in=NEVER_EXPORTED_LOCATIONS).select_related("person"))
                 if sees_protected else [])
    consent = (list(consent_selectors.consent_history(case, contact_channels=False).order_by("decided_at", "id"))
               if access.sees(Facet.CONSENT) else None)
    incidents = list(policy.incidents_of(access).select_related("recorded_for")
                     .prefetch_related("persons_causing_harm"))
    return CaseSummary(
        case=case, exported_at=timezone.now(), exported_by=actor.label, agency=actor.agency.name,  # type: ignore[union-attr]
        participants=list(case.participants.select_related("person")), incidents=incidents,
        needs=list(policy.needs_of(access)) if access.sees(Facet.NEEDS) else None, consent=consent,
        timeline=case_timeline(access, incidents=incidents), narratives=access.sees(Facet.INCIDENT_NARRATIVES),
        locations=locations, protected_withheld=not sees_protected, risk=risk_picture(access, history=False),
        purpose=purpose, purpose_detail=purpose_detail,
    )
