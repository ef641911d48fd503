"""Reads of the case record. Every one starts from concord.policy's scoped querysets."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from concord import policy
from concord.access.facets import Facet
from concord.people.models import ContactPoint, Person, PersonAlias, name_key
from concord.people.selectors import phone_search_index
from concord.policy import AccessDecision, Actor

from .events import TimelineEntry, event_entry
from .models import Case, CaseEvent, CaseParticipant, CaseWorker, Incident
from .vocabularies import CaseStatus, ParticipantRole

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,12}-\d{4}-\d{1,9}$")
PHONE_PATTERN = re.compile(r"^\+?[\d\s().-]{7,}$")


def case_list(actor: Actor, *, status: str = "", lead: str = "", updated_within_days: int | None = None
              ) -> QuerySet[Case]:
    """The home page list: cases the actor's agency may see, newest activity first.

    `lead`: "mine" (my agency leads), "others" (another agency leads), or "" (all)."""
    cases = policy.cases_visible_to(actor).select_related("survivor", "lead_agency")
    if status:
        cases = cases.filter(status=status)
    if lead == "mine":
        cases = cases.filter(lead_agency=actor.agency)
    elif lead == "others":
        cases = cases.exclude(lead_agency=actor.agency)
    if updated_within_days:
        cases = cases.filter(updated_at__gte=timezone.now() - datetime.timedelta(days=updated_within_days))
    return cases.order_by("-updated_at", "-pk")


def my_cases(actor: Actor) -> QuerySet[Case]:
    """Her caseload: the open cases the actor holds for the agency they act for (and may still see),
    newest activity first."""
    held = CaseWorker.objects.filter(worker=actor.user, agency=actor.agency, ended_at__isnull=True)
    return case_list(actor, status=CaseStatus.OPEN).filter(pk__in=held.values("case_id"))


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


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


def case_search(actor: Actor, query: str) -> QuerySet[Case]:
    """Search visible cases by survivor or other person's name (aliases too), date of birth, phone
    number or case reference. Only cases the actor may see can ever match."""
    visible = policy.cases_visible_to(actor)
    query = query.strip()
    if not query:
        return visible.none()
    if REFERENCE_PATTERN.match(query):
        return visible.filter(reference__iexact=query).select_related("survivor", "lead_agency")
    if PHONE_PATTERN.match(query) and not _parse_date(query):
        # A phone number is protected: it matches only contact points recorded on cases whose
        # protected information the actor holds, so typing a number reveals nothing to anyone else.
        on_case = ContactPoint.objects.filter(case_id=OuterRef("pk"), search_index=phone_search_index(query))
        return (policy.cases_with_protected_visible_to(actor).filter(Exists(on_case))
                .select_related("survivor", "lead_agency").order_by("-updated_at", "-pk"))
    people = _matching_people(actor.area.pk, query)
    if people is None:
        return visible.none()
    # From the matching people to their cases, then the access rule on each of those (an indexed probe
    # per case), rather than the rule over every case the agency may see.
    return (policy.visible_among(actor, _cases_of_people(actor.area.pk, people))
            .select_related("survivor", "lead_agency").order_by("-updated_at", "-pk"))


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
