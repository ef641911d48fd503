"""Demo cases, built one at a time as unsaved rows shaped exactly as the case services would leave
them: the same timeline events with the same summaries, in the order intake writes them.

Every case draws from its own random stream, seeded by (seed, case number), so its content does not
depend on batch size. Case i opens in the i-th slice of the three years before the anchor date, so
reference numbers rise with opening dates.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from concord.accounts.models import Agency, User
from concord.cases import vocabularies as v
from concord.cases.models import Case, CaseAgency, CaseWorker, Incident, IncidentViolence, Need
from concord.people.models import Person, name_key
from concord.people.vocabularies import Gender
from concord.risk.rules import rules_for

from . import people, places, risk, sharing, showcase
from .bundle import MINUTE, CaseBundle, HarmLink, Story
from .chance import Weighted, between, days_between
from .partnership import Partnership
from .stories import CLOSURES, INVOLVEMENT_REASONS, NARRATIVES, NEEDS, PATTERNS, POLICE_NOTES

DAY = datetime.timedelta(days=1)
YEARS_OF_HISTORY = 3
# Perpetrator-facing agencies and the courts never lead a survivor's case.
LEAD = Weighted((("idva", 35), ("police", 20), ("refuge", 10), ("amara", 8), ("health", 8), ("housing", 7),
                 ("childrens", 7), ("adults", 5)))
INVOLVED = {"police": 25, "idva": 22, "housing": 12, "health": 10, "cps": 8, "court": 8, "refuge": 6,
            "probation": 6, "amara": 5, "adults": 4, "childrens": 4, "programme": 3}
RECORDS_INCIDENTS = frozenset({"police", "idva", "health", "refuge", "housing", "childrens", "adults", "amara"})
INVOLVEMENT_COUNT = Weighted(((1, 30), (2, 35), (3, 22), (4, 13)))
INCIDENT_COUNT = Weighted(((1, 30), (2, 25), (3, 18), (4, 12), (5, 9), (6, 6)))
NEED_COUNT = Weighted(((1, 30), (2, 35), (3, 25), (4, 10)))
NEEDS_BY_WEIGHT = {v.NeedCategory.SAFETY: 30, v.NeedCategory.HOUSING: 18, v.NeedCategory.HEALTH: 8,
                   v.NeedCategory.LEGAL: 14, v.NeedCategory.FINANCIAL: 12, v.NeedCategory.IMMIGRATION: 1,
                   v.NeedCategory.CHILDREN: 0, v.NeedCategory.EMOTIONAL_SUPPORT: 15, v.NeedCategory.OTHER: 4}
PATTERN = Weighted((p, p.weight) for p in PATTERNS)
PATTERN_BY_KEY = {p.key: p for p in PATTERNS}
VIOLENCE = {p.key: Weighted(p.violence) for p in PATTERNS}
RELATIONSHIP = {p.key: Weighted(p.relationships) for p in PATTERNS}
PLACE = {p.key: Weighted(p.places) for p in PATTERNS}
CLOSURE = Weighted(((reason, notes), weight) for reason, weight, notes in CLOSURES)
YES_NO = (v.YesNoUnknown.YES, v.YesNoUnknown.NO, v.YesNoUnknown.UNKNOWN)
HARM_TO_BODY = frozenset({v.ViolenceType.PHYSICAL_ASSAULT, v.ViolenceType.SEXUAL_ASSAULT, v.ViolenceType.RAPE})
PARTNERS = frozenset({v.Relationship.PARTNER, v.Relationship.EX_PARTNER})
NOT_KNOWN_TO_HER = frozenset({v.Relationship.STRANGER, v.Relationship.UNKNOWN})
CHILD_WORDS = frozenset({"children", "children.", "school", "daughter"})


class Caseload:
    """Builds the demo cases of one run, in order: case i depends only on the seed, i and the
    cases before it (a serial perpetrator, the next phone number), never on the batch size."""

    def __init__(self, partnership: Partnership, *, seed: int, total: int, anchor: datetime.date):
        self.partnership = partnership
        self.area = partnership.area
        self.seed, self.total = seed, max(total, 1)
        self.tz = ZoneInfo(self.area.time_zone)
        # Incidents fall within the three years before the anchor; cases open from three months in.
        self.earliest = anchor - datetime.timedelta(days=365 * YEARS_OF_HISTORY)
        self.first_opening = self.earliest + datetime.timedelta(days=90)
        self.end = datetime.datetime.combine(anchor - DAY, datetime.time(17, 59), self.tz)
        self.phones = people.PhoneBook(seed)
        # Recent cases' partners: now and then a man harms a new partner, as serial perpetrators do.
        self.partners: dict[int, Person] = {}
        self.rules = rules_for(self.area)  # the area's risk rules, for the checklists' bands

    def login(self, local_part: str, key: str) -> User:
        """The demo login with this e-mail, among the agency's practitioners."""
        email = showcase.login_email(local_part)
        return next(user for user in self.partnership.practitioners[key] if user.email == email)

    def agency(self, key: str) -> Agency:
        return self.partnership.agencies[key]

    def build(self, i: int) -> CaseBundle:
        rng = random.Random(f"{self.seed}:{i}")
        span = (self.end.date() - self.first_opening).days
        day = self.first_opening + datetime.timedelta(days=int(span * (i + rng.random()) / self.total))
        opened = datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)), self.tz)
        pattern = PATTERN.pick(rng)
        lead_key = LEAD.pick(rng)
        worker = rng.choice(self.partnership.practitioners[lead_key])
        shown = showcase.is_showcase(i, self.total)
        if shown:
            pattern, lead_key = PATTERN_BY_KEY[showcase.PATTERN], showcase.LEAD
            worker = self.login(showcase.WORKER, lead_key)
        her = people.survivor(rng, self.area, opened, self.phones,
                              named=(showcase.GIVEN_NAME, showcase.FAMILY_NAME, showcase.HERITAGE) if shown else None)
        closure = None if shown else self._closure(rng, opened)
        case = Case(area=self.area, survivor=her.person, lead_agency=self.agency(lead_key), created_by=worker,
                    opened_at=opened)
        for point in her.contacts:
            point.case = case  # recorded on this case, where her lead agency holds it
        bundle = CaseBundle(case=case, people=[her.person], aliases=her.aliases, contacts=her.contacts)
        story = Story(rng=rng, bundle=bundle, pattern=pattern, her=her, harmers=[], lead_key=lead_key,
                      lead=self.agency(lead_key), worker=worker, clock=opened,
                      until=closure[0] - 5 * MINUTE if closure else self.end, index=i, showcase=shown)
        self._intake(story, i)
        self._involve_agencies(story)
        self._later_incidents(story)
        self._later_needs(story)
        if not shown:  # she is assessed live, in the demo
            risk.assess(story, self.rules, seed=self.seed)
        if closure:
            self._close(story, *closure)
        case.updated_at = max(event.occurred_at for event in bundle.events)
        return bundle

    def _intake(self, story: Story, i: int) -> None:
        """What case_open writes, in its order, then the history she discloses at the first meeting."""
        rng, bundle, lead = story.rng, story.bundle, story.lead
        bundle.event(v.CaseEventKind.OPENED, {"agency": lead.name}, story.clock,
                     story.worker, lead)
        # Whoever opens it holds it for the lead agency (as case_open does: no event of its own).
        bundle.workers.append(CaseWorker(case=bundle.case, agency=lead, worker=story.worker,
                                         assigned_by=story.worker, assigned_at=story.clock))
        for person, relationship in self._harmers(story, i):
            story.harmers.append(person)
            bundle.participant(person, v.ParticipantRole.PERSON_CAUSING_HARM, relationship, story.tick(),
                               story.worker, lead)
        family_names = [story.her.person.family_name] + [p.family_name for p in story.harmers[:1] if p.family_name]
        story.children = people.children(rng, self.area, story.her, family_names, story.clock)
        opened_on = story.clock.date()
        room = (story.until.date() - opened_on).days
        trigger = max(self.earliest, opened_on - datetime.timedelta(days=rng.randint(0, 14)))
        if story.showcase:
            trigger = opened_on - datetime.timedelta(days=showcase.TRIGGER_DAYS_BEFORE_OPENING)
        self._incident(story, trigger, story.tick(), story.lead_key, fixed=showcase.TRIGGER if story.showcase else None)
        categories = self._need_categories(story)
        story.later_needs = [c for n, c in enumerate(categories) if n and room > 7 and rng.random() < 0.3]
        for category in categories:
            if category not in story.later_needs:
                self._need(story, category, story.tick(), first=category == categories[0])
        sharing.contact_preferences(story)
        bundle.locations = places.protected_locations(rng, bundle.case, story.her.person, story.children,
                                                      lead_key=story.lead_key, when=story.tick())
        for _location in bundle.locations:  # one event each, as location_record writes them
            bundle.event(v.CaseEventKind.LOCATION_RECORDED, {}, story.clock,
                         story.worker, lead)
        if story.showcase:
            earlier = trigger - datetime.timedelta(days=showcase.EARLIER_DAYS_BEFORE_TRIGGER)
            self._incident(story, earlier, story.tick(), story.lead_key, fixed=showcase.EARLIER)
        for _n in range(INCIDENT_COUNT.pick(rng) - 1 if not story.showcase else 0):
            if room > 21 and rng.random() < 0.5:
                story.later_incidents += 1
            else:
                earlier = max(self.earliest, trigger - datetime.timedelta(days=rng.randint(14, 540)))
                self._incident(story, earlier, story.tick(), story.lead_key)
        for child in story.children:
            bundle.people.append(child)
            bundle.participant(child, v.ParticipantRole.CHILD, v.Relationship.CHILD_OF_SURVIVOR, story.tick(),
                               story.worker, lead)

    def _harmers(self, story: Story, i: int) -> list[tuple[Person, str]]:
        rng, pattern = story.rng, story.pattern
        found = []
        for n in range(rng.choice(pattern.harmer_counts)):
            relationship = RELATIONSHIP[pattern.key].pick(rng)
            partner = relationship in PARTNERS and n == 0
            gender = people.harmer_gender(rng, story.her, partner=partner)
            person = None
            if partner and i > 0 and rng.random() < 0.03:
                earlier = self.partners.get(rng.randrange(max(0, i - 400), i))
                person = earlier if earlier is not None and earlier.gender == gender else None
            if person is None:
                person = self._new_harmer(story, gender, relationship)
                story.bundle.people.append(person)
            if partner:
                self.partners[i] = person
            found.append((person, relationship))
        self.partners.pop(i - 400, None)
        return found

    def _new_harmer(self, story: Story, gender: str, relationship: str) -> Person:
        if relationship in NOT_KNOWN_TO_HER:
            unknown = "Unknown man" if gender == Gender.MAN else "Unknown woman"
            return Person(area=self.area, given_name=unknown, gender=gender, created_at=story.clock,
                          name_key=name_key(unknown))
        return people.harmer(story.rng, self.area, story.her, gender=gender, relationship=relationship,
                             when=story.clock)

    def _incident(self, story: Story, day: datetime.date, recorded_at: datetime.datetime, key: str,
                  fixed: showcase.FixedIncident | None = None) -> None:
        rng, bundle, agency = story.rng, story.bundle, self.agency(key)
        worker = story.worker if key == story.lead_key else rng.choice(self.partnership.practitioners[key])
        violence = VIOLENCE[story.pattern.key]
        codes = sorted({violence.pick(rng) for _n in range(rng.choice((1, 1, 2, 2, 3)))})
        named = [p for p in story.harmers if rng.random() < 0.7] or story.harmers[:1]
        body = bool(HARM_TO_BODY.intersection(codes))
        police: str = v.YesNoUnknown.YES if key == "police" else rng.choices(YES_NO, (35, 45, 20))[0]
        if fixed is not None:
            codes, police = list(fixed.violence_types), fixed.police
        incident = Incident(
            case=bundle.case, occurred_on=day, place_type=PLACE[story.pattern.key].pick(rng),
            occurred_at_time=(datetime.time(rng.choice((7, 8, 13, 17, 18, 19, 20, 21, 22, 23, 0, 1)),
                                            rng.randrange(0, 60, 5)) if rng.random() < 0.6 else None),
            injuries=rng.choices(("none", "minor", "serious", "unknown"),
                                 (35, 40, 8, 17) if body else (60, 0, 0, 40))[0],
            weapon_used=rng.choices(YES_NO, (10, 60, 30) if body else (0, 50, 50))[0],
            strangulation=rng.choices(YES_NO, (12, 55, 33) if body else (0, 50, 50))[0],
            children_present=rng.choices(YES_NO, (40, 40, 20) if story.children else (0, 70, 30))[0],
            police_attended=police,
            reporting_agency=self.agency("police") if police == v.YesNoUnknown.YES else None,
            narrative=self._narrative(story, codes, named[0], police),
            violence_type_list=",".join(v.violence_types_in_order(codes)),
            recorded_by=worker, recorded_for=agency, recorded_at=recorded_at,
        )
        if fixed is not None:
            incident.injuries, incident.weapon_used = fixed.injuries, fixed.weapon_used
            incident.strangulation = fixed.strangulation
        bundle.incidents.append(incident)
        bundle.violence += [IncidentViolence(incident=incident, violence_type=code) for code in codes]
        bundle.harm_links += [HarmLink(incident=incident, person=person) for person in named]
        bundle.event(v.CaseEventKind.INCIDENT_RECORDED, {"violence_types": v.violence_types_in_order(codes)},
                     recorded_at, worker, agency)

    def _narrative(self, story: Story, codes: list[str], harmer: Person, police: str) -> str:
        rng, her = story.rng, story.her.person
        if her.gender == Gender.WOMAN:
            words = {"She": "She", "she": "she", "her": "her", "her_pos": "her"}
        elif her.gender == Gender.MAN:
            words = {"She": "He", "she": "he", "her": "him", "her_pos": "his"}
        else:
            name = her.known_as or her.given_name
            words = {"She": name, "she": name, "her": name, "her_pos": f"{name}'s"}
        words["harmer"] = harmer.given_name if not harmer.given_name.startswith("Unknown") else "the person"
        templates = NARRATIVES[rng.choice(codes)]
        if not story.children:
            templates = tuple(t for t in templates if not CHILD_WORDS.intersection(t.split())) or templates
        text = rng.choice(templates)
        if police == v.YesNoUnknown.YES and rng.random() < 0.5:
            text += rng.choice(POLICE_NOTES[:2])
        elif police == v.YesNoUnknown.NO and rng.random() < 0.2:
            text += POLICE_NOTES[2]
        text = text.format(**words)
        return text[0].upper() + text[1:]

    def _need_categories(self, story: Story) -> list[str]:
        weights = dict(NEEDS_BY_WEIGHT)
        if story.children:
            weights[v.NeedCategory.CHILDREN] = 10
        if story.her.person.immigration_status in people.PRECARIOUS_STATUSES:
            weights[v.NeedCategory.IMMIGRATION] = 25
        if story.lead_key in ("refuge", "housing"):
            weights[v.NeedCategory.HOUSING] += 15
        return Weighted(weights.items()).sample(story.rng, NEED_COUNT.pick(story.rng))

    def _need(self, story: Story, category: str, when: datetime.datetime, *, first: bool = False) -> None:
        rng, bundle, lead = story.rng, story.bundle, story.lead
        priority = rng.choices(("high", "medium", "low"), (60, 30, 10) if first else (30, 50, 20))[0]
        need = Need(case=bundle.case, in_her_words=rng.choice(NEEDS[category]), category=category,
                    priority=priority, recorded_by=story.worker, recorded_for=lead, recorded_at=when,
                    updated_at=when)
        bundle.needs.append(need)
        bundle.event(v.CaseEventKind.NEED_RECORDED, {"category": category, "priority": priority},
                     when, story.worker, lead)
        closing = story.until < self.end
        status = rng.choices(("open", "partly_met", "met", "no_longer_wanted"),
                             (5, 25, 55, 15) if closing else (45, 30, 20, 5))[0]
        if status != "open" and story.until - when > 7 * DAY:
            need.status, need.version = status, 2
            need.updated_at = between(rng, when + 7 * DAY, story.until)
            bundle.event(v.CaseEventKind.NEED_UPDATED,
                         {"category": category, "from_status": "open", "to_status": status, "version": 2,
                          "fields": ["status"]}, need.updated_at, story.worker, lead)

    def _involve_agencies(self, story: Story) -> None:
        rng, bundle, lead = story.rng, story.bundle, story.lead
        weights = dict(INVOLVED)
        if story.children:
            weights["childrens"] = 20
        keys = Weighted(weights.items()).sample(rng, INVOLVEMENT_COUNT.pick(rng), exclude=[story.lead_key])
        if story.showcase:
            keys = list(showcase.INVOLVED)
        latest = min(story.clock + 60 * DAY, story.until)
        for key in keys:
            agency = self.agency(key)
            added = between(rng, story.clock + MINUTE, latest)
            involvement = CaseAgency(case=bundle.case, agency=agency, reason=rng.choice(INVOLVEMENT_REASONS[key]),
                                     added_by=story.worker, added_at=added)
            bundle.involvements.append(involvement)
            bundle.event(v.CaseEventKind.AGENCY_INVOLVED, {"agency_id": agency.pk, "agency": agency.name}, added,
                         story.worker, lead)
            sees = sharing.share_with(story, self.partnership, key, involvement, agreed=story.showcase)
            if not story.showcase and story.until - added > 21 * DAY and rng.random() < 0.12:
                involvement.ended_at = between(rng, added + 14 * DAY, story.until)
                involvement.ended_by = story.worker
                bundle.event(v.CaseEventKind.AGENCY_ENDED, {"agency_id": agency.pk, "agency": agency.name},
                             involvement.ended_at, story.worker, lead)
            if sees is not None:
                start, stop = sees
                if involvement.ended_at is not None:
                    stop = min(stop, involvement.ended_at)
                story.involved.append((key, start, stop))
                self._name_worker(story, key, agency, start, ended=involvement.ended_at is not None)

    def _name_worker(self, story: Story, key: str, agency: Agency, when: datetime.datetime, *, ended: bool) -> None:
        """Most agencies that come to see the case name who holds it there, as case_worker_assign does.
        Drawn from a generator of its own, so the rest of the case is what it was without workers."""
        staff = self.partnership.practitioners.get(key) or []
        rng = random.Random(f"{self.seed}:{story.index}:{key}:worker")
        named = showcase.NAMED_WORKERS.get(key) if story.showcase else None
        if named is None and (ended or not staff or rng.random() >= 0.7):
            return
        worker = self.login(named, key) if named else rng.choice(staff)
        bundle = story.bundle
        bundle.workers.append(CaseWorker(case=bundle.case, agency=agency, worker=worker, assigned_by=worker,
                                         assigned_at=when))
        bundle.event(v.CaseEventKind.WORKER_ASSIGNED, {"agency_id": agency.pk, "agency": agency.name,
                                                       "worker": str(worker), "previous": ""}, when, worker, agency)

    def _later_incidents(self, story: Story) -> None:
        rng = story.rng
        for _n in range(story.later_incidents):
            day = days_between(rng, story.clock.date() + 7 * DAY, story.until.date() - DAY)
            recorded = datetime.datetime.combine(day + rng.randint(0, 3) * DAY, datetime.time(10), self.tz)
            recorded = min(between(rng, recorded, recorded + 7 * datetime.timedelta(hours=1)), story.until)
            current = [key for key, start, stop in story.involved
                       if key in RECORDS_INCIDENTS and start <= recorded < stop]
            key = "police" if "police" in current and rng.random() < 0.5 else rng.choice([story.lead_key, *current])
            self._incident(story, day, recorded, key)

    def _later_needs(self, story: Story) -> None:
        for category in story.later_needs:
            self._need(story, category, between(story.rng, story.clock + DAY, story.until))

    def _closure(self, rng: random.Random, opened: datetime.datetime) -> tuple | None:
        age = (self.end - opened).days
        if age < 45 or rng.random() > min(0.55, age / 1000):
            return None
        closed = between(rng, opened + 30 * DAY, min(opened + 420 * DAY, self.end))
        reason, notes = CLOSURE.pick(rng)
        return closed, reason, rng.choice(notes)

    def _close(self, story: Story, closed: datetime.datetime, reason: str, note: str) -> None:
        case, lead = story.bundle.case, story.lead
        supervisors = self.partnership.supervisors[story.lead_key]
        actor = story.rng.choice(supervisors) if supervisors and story.rng.random() < 0.3 else story.worker
        case.status, case.closure_reason, case.closure_note = v.CaseStatus.CLOSED, reason, note
        case.closed_at, case.version = closed, 2
        story.bundle.event(v.CaseEventKind.CLOSED, {"reason": reason}, closed, actor, lead)
