"""The demo partnership, Northshire: its agencies and its staff.

The staff list is the one source for both `manage.py demo` (which creates the accounts) and
`manage.py demo_logins` (which prints them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from concord.accounts.models import Agency, Area, Membership, Role, Sector, User

AREA = {"name": "Northshire", "code": "NTH", "jurisdiction": "England and Wales", "time_zone": "Europe/London"}
# One password for every demo account. Long enough and uncommon enough for the password validators.
DEMO_PASSWORD = "Northshire-demo-2026"
DEMO_URL = "http://127.0.0.1:8000/"
EMAIL_DOMAIN = "demo.concord.test"


@dataclass(frozen=True)
class DemoAgency:
    key: str
    name: str
    sector: str


AGENCIES = (
    DemoAgency("police", "Northshire Police", Sector.POLICE),
    DemoAgency("cps", "Crown Prosecution Service, Northshire", Sector.PROSECUTION),
    DemoAgency("court", "Northshire Magistrates' Court", Sector.COURT),
    DemoAgency("probation", "Probation Service, Northshire", Sector.PROBATION),
    DemoAgency("health", "Northshire Hospitals NHS Trust", Sector.HEALTH),
    DemoAgency("idva", "Northshire IDVA Service", Sector.SPECIALIST_ADVOCACY),
    DemoAgency("refuge", "Northshire Women's Refuge", Sector.REFUGE),
    # The council hosts the partnership team as well as housing, as many local authorities do.
    DemoAgency("housing", "Northshire Council (Housing & Community Safety)", Sector.HOUSING),
    DemoAgency("childrens", "Northshire Children's Services", Sector.CHILDRENS_SERVICES),
    DemoAgency("adults", "Northshire Adult Social Care", Sector.ADULT_SOCIAL_CARE),
    DemoAgency("amara", "Amara Women's Project (by and for Black & minoritised women)", Sector.COMMUNITY_FAITH),
    DemoAgency("programme", "Northshire Choices perpetrator programme", Sector.PERPETRATOR_PROGRAMME),
)


@dataclass(frozen=True)
class DemoLogin:
    local_part: str
    first_name: str
    last_name: str
    job: str
    memberships: tuple[tuple[str, str], ...]  # (agency key, role)

    @property
    def email(self) -> str:
        return f"{self.local_part}@{EMAIL_DOMAIN}"


P, S, C = Role.PRACTITIONER, Role.SUPERVISOR, Role.CONFERENCE_COORDINATOR

DEMO_LOGINS = (
    DemoLogin("idva", "Hannah", "Mercer", "IDVA", (("idva", P),)),
    DemoLogin("idva-supervisor", "Joanne", "Adeyemi", "IDVA team manager", (("idva", S),)),
    DemoLogin("marac", "Sunita", "Rao", "MARAC coordinator", (("idva", C),)),
    # Employed by the IDVA service and based at the hospital: acts for either agency.
    DemoLogin("hospital-idva", "Grace", "Mensah", "Hospital IDVA", (("idva", P), ("health", P))),
    DemoLogin("police", "Tom", "Bradley", "Domestic abuse officer", (("police", P),)),
    DemoLogin("police-supervisor", "Karen", "Whitfield", "Detective sergeant", (("police", S),)),
    DemoLogin("cps", "Imran", "Siddiqui", "Prosecutor", (("cps", P),)),
    DemoLogin("court", "Eleanor", "Price", "Specialist court coordinator", (("court", P),)),
    DemoLogin("probation", "Martin", "Kowal", "Probation officer", (("probation", P),)),
    DemoLogin("health", "Aoife", "Brennan", "Safeguarding nurse", (("health", P),)),
    DemoLogin("refuge", "Bethany", "Lowe", "Refuge support worker", (("refuge", P),)),
    DemoLogin("housing", "Marcus", "Reid", "Housing options officer", (("housing", P),)),
    DemoLogin("childrens", "Fiona", "Campbell", "Social worker", (("childrens", P),)),
    DemoLogin("adults", "David", "Osei", "Social worker", (("adults", P),)),
    DemoLogin("amara", "Nasreen", "Akhtar", "Advocate", (("amara", P),)),
    DemoLogin("programme", "Paul", "Harding", "Programme facilitator", (("programme", P),)),
    DemoLogin("partnership", "Helen", "Carter", "Domestic abuse partnership lead",
              (("housing", Role.PARTNERSHIP_LEAD),)),
    DemoLogin("analyst", "Wei", "Zhang", "Community safety analyst", (("housing", Role.ANALYST),)),
    DemoLogin("survivor-panel", "Maria", "Santos", "Survivor panel member",
              (("amara", Role.SURVIVOR_PANEL_MEMBER),)),
    DemoLogin("admin", "Chris", "Doyle", "System administrator", (("housing", Role.ADMINISTRATOR),)),
)


@dataclass
class Partnership:
    """The rows the case generator needs: the area, its agencies and who works cases where."""

    area: Area
    agencies: dict[str, Agency]
    practitioners: dict[str, list[User]]
    supervisors: dict[str, list[User]]


@transaction.atomic
def partnership_create() -> Partnership:
    """Create Northshire, its agencies and the demo staff (all flagged `is_demo_account`)."""
    area = Area.objects.create(**AREA)
    agencies = {a.key: Agency.objects.create(area=area, name=a.name, sector=a.sector) for a in AGENCIES}
    # One Argon2 hash shared by every demo account: they share the password anyway, and hashing
    # twenty times would cost seconds on every run.
    password_hash = make_password(DEMO_PASSWORD)
    practitioners: dict[str, list[User]] = {key: [] for key in agencies}
    supervisors: dict[str, list[User]] = {key: [] for key in agencies}
    memberships: list[tuple[str, Membership]] = []
    for login in DEMO_LOGINS:
        user = User(email=login.email, first_name=login.first_name, last_name=login.last_name,
                    password=password_hash, is_demo_account=True)
        user.save()
        for agency_key, role in login.memberships:
            memberships.append((agency_key, Membership.objects.create(user=user, agency=agencies[agency_key],
                                                                      role=role)))
            if role == Role.PRACTITIONER:
                practitioners[agency_key].append(user)
            elif role == Role.SUPERVISOR:
                supervisors[agency_key].append(user)
    _approve_casework(memberships, supervisors)
    return Partnership(area=area, agencies=agencies, practitioners=practitioners, supervisors=supervisors)


def _approve_casework(memberships: list[tuple[str, Membership]], supervisors: dict[str, list[User]]) -> None:
    """Casework memberships start approved (decision 9): by the agency's demo supervisor where it has
    one who is someone else; otherwise (the supervisors themselves, agencies without one) the note says
    the seeding did it, naming no one who did not."""
    now = timezone.now()
    for agency_key, membership in memberships:
        if not membership.needs_approval:
            continue
        approver = next((s for s in supervisors[agency_key] if s.pk != membership.user_id), None)
        membership.approved_at, membership.approved_by = now, approver
        membership.approval_note = "" if approver else "Seeded as approved by `manage.py demo`."
        membership.save()


def login_rows() -> list[tuple[str, str, str, str]]:
    """(email, job, agency, role) for each membership of each demo login, in list order."""
    names = {a.key: a.name for a in AGENCIES}
    return [
        (login.email, login.job, names[agency_key], str(Role(role).label))
        for login in DEMO_LOGINS
        for agency_key, role in login.memberships
    ]
