"""Demo people: survivors with voluntary demographics, aliases and contact points; persons causing
harm; children. Rows are built unsaved, with the fields their save() methods would compute (name
keys, blind indexes) filled in, because bulk_create does not call save()."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from concord.accounts.models import Area
from concord.people import vocabularies as pv
from concord.people.models import ContactPoint, Person, PersonAlias, name_key
from concord.people.selectors import contact_search_index

from .chance import Weighted, recorded
from .names import HERITAGES, NICKNAMES, SPELLINGS, Heritage

HERITAGE = Weighted((h, h.weight) for h in HERITAGES)
LANGUAGES = {h.key: Weighted(h.languages) for h in HERITAGES}
SURVIVOR_GENDER = Weighted(((pv.Gender.WOMAN, 950), (pv.Gender.MAN, 35), (pv.Gender.NON_BINARY, 7),
                            (pv.Gender.PREFER_NOT_TO_SAY, 8)))
# Age at intake, shaped like MARAC caseloads (1.3% aged 16–17).
AGE = Weighted((((16, 17), 13), ((18, 24), 180), ((25, 34), 320), ((35, 44), 250), ((45, 54), 130),
                ((55, 64), 60), ((65, 85), 47)))
DISABILITY = Weighted(((pv.YesNoPreferNot.YES, 14), (pv.YesNoPreferNot.NO, 86)))
ORIENTATION = Weighted(((pv.SexualOrientation.HETEROSEXUAL, 95), (pv.SexualOrientation.GAY_LESBIAN, 2),
                        (pv.SexualOrientation.BISEXUAL, 2.5), (pv.SexualOrientation.OTHER, 0.5)))
GENDER_IDENTITY = Weighted(((pv.GenderIdentity.CISGENDER, 99), (pv.GenderIdentity.TRANS, 1)))
INCOME = Weighted(((pv.IncomeBand.NONE, 18), (pv.IncomeBand.LOW, 48), (pv.IncomeBand.MIDDLE, 28),
                   (pv.IncomeBand.HIGH, 6)))
STATUS_IF_BORN_ABROAD = Weighted((
    (pv.ImmigrationStatus.CITIZEN, 15), (pv.ImmigrationStatus.SETTLED, 30), (pv.ImmigrationStatus.LIMITED_LEAVE, 12),
    (pv.ImmigrationStatus.SPOUSAL_VISA, 14), (pv.ImmigrationStatus.NO_RECOURSE, 9),
    (pv.ImmigrationStatus.ASYLUM_SEEKER, 6), (pv.ImmigrationStatus.REFUGEE, 7),
    (pv.ImmigrationStatus.UNDOCUMENTED, 2), (pv.ImmigrationStatus.UNKNOWN, 5),
))
INTERPRETER = Weighted(((pv.InterpreterNeeded.YES, 45), (pv.InterpreterNeeded.NO, 45),
                        (pv.InterpreterNeeded.UNKNOWN, 10)))
SAFE_TO_USE = Weighted(((True, 70), (None, 20), (False, 10)))
PRECARIOUS_STATUSES = frozenset({
    pv.ImmigrationStatus.LIMITED_LEAVE, pv.ImmigrationStatus.SPOUSAL_VISA, pv.ImmigrationStatus.NO_RECOURSE,
    pv.ImmigrationStatus.ASYLUM_SEEKER, pv.ImmigrationStatus.UNDOCUMENTED,
})


class PhoneBook:
    """Ofcom's numbers reserved for drama, so no real person is ever rung: mobiles 07700 900000–900999
    and Leeds landlines 0113 496 0000–0999, handed out in a seed-fixed shuffled order. There are only
    a thousand of each: past a thousand survivors, numbers repeat across cases."""

    def __init__(self, seed: int):
        rng = random.Random(f"{seed}:phones")
        self.order = list(range(1000))
        rng.shuffle(self.order)
        self.mobiles = 0
        self.landlines = 0

    def mobile(self) -> str:
        self.mobiles += 1
        return f"07700 900{self.order[(self.mobiles - 1) % 1000]:03d}"

    def landline(self) -> str:
        self.landlines += 1
        return f"0113 496 0{self.order[999 - (self.landlines - 1) % 1000]:03d}"


@dataclass
class Someone:
    """A person about to be written, with their aliases and contact points."""

    person: Person
    heritage: Heritage
    age: int
    aliases: list[PersonAlias] = field(default_factory=list)
    contacts: list[ContactPoint] = field(default_factory=list)


def _birthday(rng: random.Random, on: datetime.date, age: int) -> datetime.date:
    """A date of birth that makes someone `age` on the day `on`."""
    latest = on.replace(year=on.year - age, day=28 if (on.month, on.day) == (2, 29) else on.day)
    return latest - datetime.timedelta(days=rng.randint(0, 364))


def _person(area: Area, given: str, family: str, *, when: datetime.datetime, known_as: str = "",
            **fields) -> Person:
    person = Person(area=area, given_name=given, family_name=family, known_as=known_as, created_at=when,
                    name_key=name_key(f"{given} {family} {known_as}"), **fields)
    if person.estimated_age is not None:
        person.estimated_age_on = when.date()
    return person


def _dates(rng: random.Random, on: datetime.date, age: int, known: float, estimated: float) -> dict:
    draw = rng.random()
    if draw < known:
        return {"date_of_birth": _birthday(rng, on, age)}
    if draw < known + estimated:
        return {"estimated_age": age}
    return {}


def _plain(text: str) -> str:
    return "".join(ch for ch in name_key(text) if ch.isascii() and ch.isalnum())


def survivor(rng: random.Random, area: Area, when: datetime.datetime, phones: PhoneBook, *,
             named: tuple[str, str, str] | None = None) -> Someone:
    """A survivor drawn at random; `named` (given name, family name, heritage key) fixes a woman's name."""
    heritage = HERITAGE.pick(rng)
    gender = SURVIVOR_GENDER.pick(rng)
    given = rng.choice(heritage.men if gender == pv.Gender.MAN else heritage.women)
    family = rng.choice(heritage.family)
    if named is not None:
        given, family = named[0], named[1]
        heritage, gender = next(h for h in HERITAGES if h.key == named[2]), pv.Gender.WOMAN
    low, high = AGE.pick(rng)
    age = rng.randint(low, high)
    born_abroad = rng.random() < heritage.born_abroad
    status = STATUS_IF_BORN_ABROAD.pick(rng) if born_abroad else pv.ImmigrationStatus.CITIZEN
    language = LANGUAGES[heritage.key].pick(rng) if born_abroad else "English"
    if rng.random() < 0.15:
        language = ""
    nickname = NICKNAMES.get(given, "")
    known_as = nickname if nickname and rng.random() < 0.35 else ""
    person = _person(
        area, given, family, when=when, known_as=known_as, gender=gender,
        **_dates(rng, when.date(), age, known=0.88, estimated=0.1),
        ethnicity=recorded(rng, heritage.ethnicity, blank=0.12, prefer_not=0.06),
        disability=recorded(rng, DISABILITY.pick(rng), blank=0.2),
        sexual_orientation=recorded(rng, ORIENTATION.pick(rng), blank=0.2, prefer_not=0.09),
        gender_identity=recorded(rng, GENDER_IDENTITY.pick(rng), blank=0.2),
        immigration_status=recorded(rng, status, blank=0.2, prefer_not=0.03),
        first_language=language,
        interpreter_needed=(INTERPRETER.pick(rng) if language not in ("", "English")
                            else pv.InterpreterNeeded.NO if language else ""),
        income_band=recorded(rng, INCOME.pick(rng), blank=0.15, prefer_not=0.08),
    )
    someone = Someone(person=person, heritage=heritage, age=age)
    _add_aliases(rng, someone, nickname=nickname if not known_as else "")
    _add_contacts(rng, someone, phones, when)
    return someone


def _add_aliases(rng: random.Random, someone: Someone, *, nickname: str) -> None:
    person = someone.person
    names = []
    if nickname and rng.random() < 0.25:
        names.append((f"{nickname} {person.family_name}", pv.AliasKind.NICKNAME))
    if person.gender == pv.Gender.WOMAN and rng.random() < 0.12:
        # A previous family name: many women on the record changed theirs by marriage or to be safe.
        previous = rng.choice([f for f in someone.heritage.family if f != person.family_name])
        names.append((f"{person.given_name} {previous}", pv.AliasKind.PREVIOUS_NAME))
    if person.given_name in SPELLINGS and rng.random() < 0.25:
        names.append((f"{SPELLINGS[person.given_name]} {person.family_name}", pv.AliasKind.ALIAS))
    someone.aliases = [PersonAlias(person=person, name=name, kind=kind, name_key=name_key(name))
                       for name, kind in names]


def _contact(person: Person, kind: str, value: str, when: datetime.datetime, *, safe: bool | None,
             note: str = "") -> ContactPoint:
    # The value is encrypted by the field on insert; the blind index is what save() would compute.
    return ContactPoint(person=person, kind=kind, value=value, search_index=contact_search_index(kind, value),
                        safe_to_use=safe, note=note, created_at=when)


def _add_contacts(rng: random.Random, someone: Someone, phones: PhoneBook, when: datetime.datetime) -> None:
    person, contacts = someone.person, someone.contacts
    if rng.random() < 0.82:
        safe = SAFE_TO_USE.pick(rng)
        note = {False: "He has access to this phone", True: rng.choice(["", "Text first", "No voicemail"])}
        contacts.append(_contact(person, pv.ContactKind.MOBILE, phones.mobile(), when, safe=safe,
                                 note=note.get(safe, "")))
    if rng.random() < 0.08:
        contacts.append(_contact(person, pv.ContactKind.MOBILE, phones.mobile(), when, safe=True,
                                 note="New phone; he does not know the number"))
    if rng.random() < 0.04:
        contacts.append(_contact(person, pv.ContactKind.LANDLINE, phones.landline(), when, safe=None))
    if rng.random() < 0.12:
        address = f"{_plain(person.given_name)}.{_plain(person.family_name)}{rng.randint(1, 99)}@example.org"
        contacts.append(_contact(person, pv.ContactKind.EMAIL, address, when, safe=SAFE_TO_USE.pick(rng)))


def harmer_gender(rng: random.Random, survivor: Someone, *, partner: bool) -> str:
    """The partner's gender follows her sexual orientation where she gave one; otherwise most
    persons causing harm to women are men."""
    own = survivor.person.gender
    opposite = pv.Gender.WOMAN if own == pv.Gender.MAN else pv.Gender.MAN
    if partner:
        orientation = survivor.person.sexual_orientation
        if orientation == pv.SexualOrientation.GAY_LESBIAN and own in (pv.Gender.WOMAN, pv.Gender.MAN):
            return own
        if orientation == pv.SexualOrientation.BISEXUAL and rng.random() < 0.4:
            return pv.Gender.WOMAN
        return opposite
    return pv.Gender.MAN if rng.random() < 0.85 else pv.Gender.WOMAN


def harmer(rng: random.Random, area: Area, survivor: Someone, *, gender: str, relationship: str,
           when: datetime.datetime) -> Person:
    heritage = survivor.heritage if rng.random() < 0.75 else HERITAGE.pick(rng)
    given = rng.choice(heritage.men if gender == pv.Gender.MAN else heritage.women)
    same_family = relationship == "family" and rng.random() < 0.7
    married = relationship in ("partner", "ex_partner") and rng.random() < 0.3
    family = survivor.person.family_name if same_family or married else rng.choice(heritage.family)
    offset = rng.choice((-25, -22, 0, 3, 24, 28)) if relationship == "family" else rng.randint(-6, 10)
    age = min(85, max(16, survivor.age + offset))
    return _person(area, given, family, when=when, gender=gender,
                   **_dates(rng, when.date(), age, known=0.55, estimated=0.3),
                   ethnicity=recorded(rng, heritage.ethnicity, blank=0.6, prefer_not=0.0))


def children(rng: random.Random, area: Area, survivor: Someone, family_names: list[str],
             when: datetime.datetime) -> list[Person]:
    """Her children under 16, if she has any."""
    oldest = min(15, survivor.age - 17)
    if oldest < 0 or rng.random() > 0.45:
        return []
    heritage = survivor.heritage
    kids = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        girl = rng.random() < 0.5
        pool = (heritage.girls or heritage.women) if girl else (heritage.boys or heritage.men)
        family = rng.choice(family_names)
        dob = _birthday(rng, when.date(), rng.randint(0, oldest))
        kids.append(_person(area, rng.choice(pool), family, when=when, date_of_birth=dob))
    return kids
