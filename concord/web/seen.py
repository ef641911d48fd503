"""'Who has seen this record' in plain words: each access-log entry about a case as a sentence her
worker can read out to her, grouped by agency, filtered by agency, kind and period. The log keeps field
and record names (it is evidence); this is only how they read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from concord.audit.models import ObjectType
from concord.audit.selectors import SeenEntry
from concord.cases.vocabularies import ExportPurpose

# What each recorded field or section is, in her words. Anything not named here reads as its name with
# spaces ("occurred_on" → "occurred on").
PLAIN_FIELDS = {
    "case": _("the case record"), "aliases": _("her other names"), "participants": _("the people on the case"),
    "involvements": _("the agencies on the case"), "workers": _("who holds the case"),
    "incidents": _("the incidents"), "own_overrides": _("her agency's override"),
    "restricted_to": _("who may see a restricted case"), "timeline": _("the timeline"),
    "needs": _("her needs"), "consent_picture": _("her consent decisions"),
    "consent_history": _("the history of her consent decisions"), "withdrawals_to_confirm": _("withdrawals to confirm"),
    "locations": _("where she lives or stays"), "contact_points": _("her phone numbers and e-mail addresses"),
    "unsafe_contacts": _("the numbers she says are not safe"), "overrides": _("overrides"),
    "protected_grants": _("who holds her protected details"), "sharing": _("who can see the case"),
    "access_log": _("who has seen the record"), "reference": _("the case reference"),
    "survivor_name": _("her name"), "survivor_date_of_birth": _("her date of birth or age"),
    "lead_agency": _("the lead agency"), "status": _("whether it is open"),
    "updated_at": _("when it was last updated"), "narrative": _("what happened"),
    "in_her_words": _("her need in her words"), "note": _("a note"), "text": _("a note"),
    "safe_to_use": _("whether a number is safe"), "given_name": _("her given name"),
    "family_name": _("her family name"), "date_of_birth": _("her date of birth"),
    "violence_types": _("the kinds of violence"), "persons_causing_harm": _("who caused harm"),
    "decision": _("her decision"), "scope": _("what her decision is about"),
    # Risk: what every agency on the case reads, and her answers (the risk-answers facet).
    "risk": _("her risk level and why"), "risk_level": _("her risk level"), "reasons": _("why it is at that level"),
    "tasks": _("the tasks on the case"), "task": _("a task"), "outcome": _("what was done"),
    "assessments": _("the results of her risk assessments"), "risk_assessment": _("a risk assessment"),
    "answers": _("her answers to a risk assessment"), "her_view": _("her own view of her risk"),
    "her_words": _("what she fears, in her words"), "safe_to_talk": _("whether it was safe for her to talk"),
    "channel": _("how she was assessed"), "interpreter_language": _("the interpreter's language"),
    "risk_judgement": _("a professional judgement"), "judgement_reason": _("a judgement's written reason"),
    "level": _("the level"), "reason_kind": _("the reason for a judgement"), "reason": _("a written reason"),
}

PLAIN_ACTIONS = {"view": _("saw"), "create": _("added"), "update": _("changed"), "delete": _("deleted"),
                 "export": _("printed or saved a summary of"), "search": _("searched"),
                 "override_used": _("used an override to see"),
                 "retention_delete": _("deleted at the end of its retention")}

PLAIN_BASES = {"lead": _("as the lead agency"), "consent": _("with her consent"),
               "override": _("under a supervisor's override"), "need_to_know": _("on need-to-know"),
               "system": _("as the system")}

# The kinds a reader can filter by.
KINDS = {"view": _("Seen"), "listing": _("Shown in a search or list"), "change": _("Added or changed"),
         "export": _("Printed or saved")}
PERIODS = {"7": _("Last 7 days"), "30": _("Last 30 days"), "365": _("Last year")}


def plain_field(name: str) -> str:
    return str(PLAIN_FIELDS.get(name, name.replace("_", " ").replace(":", " ")))


def plain_basis(basis: str) -> str:
    kind = basis.split("@", 1)[0].split(":", 1)[0].split("+", 1)[0]
    said = str(PLAIN_BASES.get(kind, "")) if kind else ""
    return f"{said} ({_('named on a restricted case')})" if "+restricted-named" in basis else said


def kind_of(entry: SeenEntry) -> str:
    if entry.object_type == ObjectType.LISTING:
        return "listing"
    if entry.action in ("create", "update", "delete"):
        return "change"
    return "export" if entry.action == "export" else "view"


@dataclass(frozen=True)
class SeenLine:
    when: datetime.datetime
    who: str
    agency: str
    sentence: str
    basis: str
    kind: str


def describe(entry: SeenEntry) -> SeenLine:
    """"Sam Worker saw her needs, her consent decisions and the timeline" (with her consent)."""
    # A printed document's kind and purpose are said after what it held, not among it.
    purposes = [name.split(":", 1)[1] for name in entry.fields if name.startswith("purpose:")]
    shown = [name for name in entry.fields if name != "pdf" and not name.startswith("purpose:")]
    what = (get_text_list([plain_field(name) for name in shown], str(_("and"))) if shown
            else plain_field(entry.object_type))
    if entry.object_type == ObjectType.LISTING:
        sentence = _("saw her case in a search result or list: %(what)s") % {"what": what}
    elif "pdf" in entry.fields:
        sentence = _("printed a PDF summary of %(what)s") % {"what": what}
    else:
        sentence = f"{PLAIN_ACTIONS.get(entry.action, entry.action_label)} {what}"
    if purposes:
        label = ExportPurpose(purposes[0]).label if purposes[0] in ExportPurpose.values else purposes[0]
        sentence = _("%(sentence)s, for: %(purpose)s") % {"sentence": sentence, "purpose": label}
    return SeenLine(when=entry.when, who=entry.user, agency=entry.agency or str(_("no agency")),
                    sentence=str(sentence), basis=plain_basis(entry.basis), kind=kind_of(entry))


def filtered(entries: Iterable[SeenEntry], *, agency: str = "", kind: str = "", period: str = "") -> list[SeenLine]:
    since = timezone.now() - datetime.timedelta(days=int(period)) if period in PERIODS else None
    lines = [describe(entry) for entry in entries if since is None or entry.when >= since]
    return [line for line in lines if (not agency or line.agency == agency) and (not kind or line.kind == kind)]


def by_agency(lines: list[SeenLine]) -> list[tuple[str, list[SeenLine]]]:
    """Grouped by agency, the agency seen most recently first; each group newest first."""
    groups: dict[str, list[SeenLine]] = {}
    for line in lines:
        groups.setdefault(line.agency, []).append(line)
    return list(groups.items())
