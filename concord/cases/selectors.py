"""Reads of the case record. Every one starts from concord.policy's scoped querysets."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concord import policy
from concord.access.facets import Facet
from concord.people.models import ContactPoint, Person, PersonAlias, name_key
from concord.people.selectors import phone_search_index
from concord.policy import AccessDecision, Actor

from .events import TimelineEntry, event_entry
from .models import Case, CaseEvent, CaseParticipant, CaseWorker, Incident
from .vocabularies import CaseStatus, ParticipantRole

# What every list of cases shows of each: her name, the lead agency and the risk level (the risk app's
# CaseRisk, one row per case), each in the list's own query.
LISTED = ("survivor", "lead_agency", "risk")

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,12}-\d{4}-\d{1,9}$")
PHONE_PATTERN = re.compile(r"^\+?[\d\s().-]{7,}$")


def case_list(actor: Actor, *, status: str = "", lead: str = "", updated_within_days: int | None = None,
              risk: str = "") -> QuerySet[Case]:
    """The home page list: cases the actor's agency may see, newest activity first.

    `lead`: "mine" (my agency leads), "others" (another agency leads), or "" (all).
    `risk`: a risk level, "none" (not assessed), or "" (any)."""
    cases = policy.cases_visible_to(actor).select_related(*LISTED)
    if status:
        cases = cases.filter(status=status)
    if lead == "mine":
        cases = cases.filter(lead_agency=actor.agency)
    elif lead == "others":
        cases = cases.exclude(lead_agency=actor.agency)
    if updated_within_days:
        cases = cases.filter(updated_at__gte=timezone.now() - datetime.timedelta(days=updated_within_days))
    if risk == "none":
        cases = cases.filter(Q(risk__isnull=True) | Q(risk__level=""))
    elif risk:
        cases = cases.filter(risk__level=risk)
    return cases.order_by("-updated_at", "-pk")


def my_cases(actor: Actor) -> QuerySet[Case]:
    """Her caseload: the open cases the actor holds for the agency they act for (and may still see),
    newest activity first."""
    held = CaseWorker.objects.filter(worker=actor.user, agency=actor.agency, ended_at__isnull=True)
    return case_list(actor, status=CaseStatus.OPEN).filter(pk__in=held.values("case_id"))


def my_high_risk_cases(actor: Actor) -> QuerySet[Case]:
    """Her caseload's cases at high risk now, newest activity first."""
    return my_cases(actor).filter(risk__level="high")


# Dates as people write them: "1 September 2005", "1st Sept 2005", "01/09/2005", "2005-09-01".
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)


def _parse_date(text: str) -> datetime.date | None:
    text = _ORDINAL.sub("", " ".join(text.replace(",", " ").split()))
    text = re.sub(r"\bsept\b", "sep", text, flags=re.IGNORECASE)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# A case number without the rest of its reference ("00297", "297", "2026-00297"): too short for a phone.
PARTIAL_REFERENCE = re.compile(r"^(?:(\d{4})-)?(\d{1,6})$")
FIRST_YEAR = 2000


def _references_for(area, query: str) -> list[str] | None:
    """The full references a partial one may stand for: the number is the area's own counter, so one
    per year at most; each is looked up by the unique index."""
    match = PARTIAL_REFERENCE.match(query)
    if not match:
        return None
    year, number = match.group(1), int(match.group(2))
    years = [int(year)] if year else range(FIRST_YEAR, timezone.localdate().year + 2)
    return [f"{area.code.upper()}-{y}-{number:05d}" for y in years]


MIN_WORD = 2  # a shorter word ("a") would match nearly every name: it is left out of the search


def _has_all_words(key: str) -> Q | None:
    """Every word of the query (of MIN_WORD letters or more) in the name; None when no word is long enough."""
    long_enough = [word for word in key.split() if len(word) >= MIN_WORD]
    if not long_enough:
        return None
    words = Q()
    for word in long_enough:
        words &= Q(name_key__contains=word)
    return words


def _matching_people(area_id: int, query: str) -> list[QuerySet] | None:
    """The area's people whose name, alias or date of birth matches the query, as subqueries of their
    ids; None when the query is too short to search. Name and alias are asked apart: OR-ed together
    in one statement, the alias branch keeps the name's trigram index (PostgreSQL) from being used."""
    if day := _parse_date(query):
        return [Person.objects.filter(area_id=area_id, date_of_birth=day).values("pk")]
    words = _has_all_words(name_key(query))
    if words is None:
        return None
    return [Person.objects.filter(words, area_id=area_id).values("pk"),
            PersonAlias.objects.filter(words, person__area_id=area_id).values("person_id")]


CLOSE_ENOUGH = 0.8  # SQLite's stand-in for pg_trgm: difflib's ratio of the whole name
MAX_CLOSE_CANDIDATES = 5000


def _people_with_names_like(area_id: int, query: str) -> list[QuerySet] | None:
    """The search's second try, when no name has every word: names like the query ("Zoe Lewes" for Zoe
    Lewis), by trigram similarity on PostgreSQL (indexed), by difflib on SQLite (the embedded database,
    among names sharing a word's first letters)."""
    from django.db import connection

    key = name_key(query)
    if len(key.replace(" ", "")) < 4:
        return None
    if connection.vendor == "postgresql":
        return [Person.objects.filter(area_id=area_id, name_key__similar_to=key).values("pk"),
                PersonAlias.objects.filter(person__area_id=area_id, name_key__similar_to=key).values("person_id")]
    import difflib

    stems = Q()
    for word in key.split():
        if len(word) >= 3:
            stems |= Q(name_key__startswith=word[:2]) | Q(name_key__contains=f" {word[:2]}")
    candidates = list(Person.objects.filter(stems, area_id=area_id).values_list("pk", "name_key")
                      [:MAX_CLOSE_CANDIDATES]) if stems else []
    close = [pk for pk, name in candidates if difflib.SequenceMatcher(None, key, name).ratio() >= CLOSE_ENOUGH]
    return [Person.objects.filter(pk__in=close).values("pk")]


def _cases_of_people(area_id: int, people: list[QuerySet]) -> QuerySet:
    """The ids of the area's cases those people are on, as survivor or participant: each lookup one
    indexed semi-join, and the lookups UNIONed in the same statement (OR-ed, they would read every case)."""
    lookups: list[QuerySet] = []
    for matching in people:
        lookups.append(Case.objects.filter(area_id=area_id, survivor_id__in=matching).values("pk"))
        lookups.append(CaseParticipant.objects.filter(person_id__in=matching, case__area_id=area_id)
                       .values("case_id"))
    first, *rest = lookups
    return first.union(*rest)


def case_search_tries_names(query: str) -> bool:
    """Whether a query is searched as a name (not a reference, a case number, a phone number or a date)."""
    query = query.strip()
    return not (REFERENCE_PATTERN.match(query) or PARTIAL_REFERENCE.match(query) or _parse_date(query)
                or PHONE_PATTERN.match(query))


def case_search(actor: Actor, query: str, *, names_like: bool = False) -> QuerySet[Case]:
    """Search visible cases by survivor or other person's name (aliases too), date of birth, phone
    number or case reference (whole, or its number alone). Only cases the actor may see can ever match.
    `names_like`: the second try for a name that found nothing, by names like it (small misspellings)."""
    visible = policy.cases_visible_to(actor)
    query = query.strip()
    if not query:
        return visible.none()
    if REFERENCE_PATTERN.match(query):
        return visible.filter(reference__iexact=query).select_related(*LISTED)
    if (references := _references_for(actor.area, query)) is not None:
        return (visible.filter(area_id=actor.area.pk, reference__in=references)
                .select_related(*LISTED).order_by("-updated_at", "-pk"))
    if PHONE_PATTERN.match(query) and not _parse_date(query):
        # A phone number is protected: it matches only contact points recorded on cases whose
        # protected information the actor holds, so typing a number reveals nothing to anyone else.
        on_case = ContactPoint.objects.filter(case_id=OuterRef("pk"), search_index=phone_search_index(query))
        return (policy.cases_with_protected_visible_to(actor).filter(Exists(on_case))
                .select_related(*LISTED).order_by("-updated_at", "-pk"))
    people = _people_with_names_like(actor.area.pk, query) if names_like else _matching_people(actor.area.pk, query)
    if people is None:
        return visible.none()
    # From the matching people to their cases, then the access rule on each of those (an indexed probe
    # per case), rather than the rule over every case the agency may see.
    return (policy.visible_among(actor, _cases_of_people(actor.area.pk, people))
            .select_related(*LISTED).order_by("-updated_at", "-pk"))


def cases_listed(actor: Actor, case_ids: list[int]) -> QuerySet[Case]:
    """A page of cases by their ids (from a search's sorted, counted ids), with what a list row shows:
    the access rule asked again for each, so only cases the actor may see come back."""
    return policy.visible_among(actor, case_ids).select_related(*LISTED)


def match_reasons(actor: Actor, query: str, cases: list[Case]) -> dict[int, list[str]]:
    """Why each case of a page of name or date-of-birth results matched, in words ("previous name: Amina
    Begum", "person causing harm: Zoe Fletcher", "date of birth"): the cases are already the actor's,
    and each reason names only people on them. Two queries for a page, none for other searches."""
    from concord.people.vocabularies import AliasKind

    ids = [case.pk for case in cases]
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return reasons
    if _parse_date(query.strip()):
        for case in cases:
            reasons[case.pk].append(str(_("date of birth")))
        return reasons
    words = _has_all_words(name_key(query))
    if words is None:
        return reasons
    survivor_of = {case.survivor_id: case.pk for case in cases}
    for person_id, kind, name in (PersonAlias.objects.filter(words, person_id__in=list(survivor_of))
                                  .values_list("person_id", "kind", "name")):
        reasons[survivor_of[person_id]].append(f"{AliasKind(kind).label}: {name}")
    people = {p.pk: p for p in Person.objects.filter(words, pk__in=CaseParticipant.objects.filter(
        case_id__in=ids).values("person_id"))}
    for case_id, person_id, role in (CaseParticipant.objects.filter(case_id__in=ids, person_id__in=list(people))
                                     .values_list("case_id", "person_id", "role")):
        reasons[case_id].append(f"{ParticipantRole(role).label}: {people[person_id].full_name}")
    return reasons


def possible_existing_people(actor: Actor, *, given_name: str, family_name: str,
                             date_of_birth: datetime.date | None) -> QuerySet[Person]:
    """Intake's duplicate check: people the actor may already see with the same family name (or
    alias) and date of birth, or the same full name."""
    visible = policy.people_visible_to(actor).exclude(named_as_causing_harm())
    family = name_key(family_name)
    full = name_key(f"{given_name} {family_name}")
    alias_match = Exists(PersonAlias.objects.filter(person_id=OuterRef("pk"), name_key__contains=family)) \
        if family else Q(pk__in=[])
    by_name = Q(name_key__startswith=full) if full else Q(pk__in=[])
    candidates: Any = Q(by_name)
    if date_of_birth:
        candidates |= Q(date_of_birth=date_of_birth) & (Q(name_key__contains=family) | alias_match)
    return visible.filter(candidates).order_by("family_name", "given_name")[:10]


def named_as_causing_harm() -> Q:
    """People recorded as causing harm on any case. Intake never offers them as the survivor: a
    counter-allegation must not be merged into her record by one click. (Record linkage, a later
    capability, reconciles such people with review.)"""
    return Q(Exists(CaseParticipant.objects.filter(person_id=OuterRef("pk"), role=ParticipantRole.PERSON_CAUSING_HARM)))


def case_timeline(access: AccessDecision, *, events: list[CaseEvent] | None = None,
                  incidents: list[Incident] | None = None) -> list[TimelineEntry]:
    """One chronological view of the case, from every agency, as this reader may read it: each
    incident at the time it happened (what happened only with the narratives facet), and every event
    of a facet the reader holds, rendered in the reader's language. Newest first. Three queries."""
    case = access.case
    tz = timezone.get_current_timezone()
    entries: list[TimelineEntry] = []
    sees_narratives = access.sees(Facet.INCIDENT_NARRATIVES)
    if incidents is None:
        incidents = list(policy.incidents_of(access).select_related("recorded_for"))
    for incident in incidents:
        when = datetime.datetime.combine(incident.occurred_on, incident.occurred_at_time or datetime.time(0), tz)
        entries.append(TimelineEntry(
            when=when, kind="incident", title=", ".join(incident.violence_type_labels),
            detail=incident.narrative if sees_narratives else "", agency=incident.recorded_for.name, obj=incident,
            date_only=incident.occurred_at_time is None,
        ))
    if events is None:
        events = list(CaseEvent.objects.filter(case=case).select_related("agency"))
    for event in events:
        entry = event_entry(event, access)
        if entry is not None:
            entries.append(entry)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
