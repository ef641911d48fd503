"""Test data, in one place. Builds real rows through the same services the product uses."""

from __future__ import annotations

import datetime
import itertools

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from concord.accounts.models import Agency, Area, Membership, Role, Sector, ServiceToken, TokenScope, User
from concord.cases import services as case_services
from concord.cases.models import Case
from concord.cases.records import IncidentDetails, NeedDetails, PersonCausingHarm
from concord.people.details import ContactDetails, PersonDetails
from concord.policy import Actor

_counter = itertools.count(1)
TEST_PASSWORD = "correct horse battery staple 42"


def make_area(name: str | None = None, code: str | None = None) -> Area:
    n = next(_counter)
    return Area.objects.create(name=name or f"Area {n}", code=code or f"a{n}", jurisdiction="England and Wales")


def make_agency(area: Area, sector: str = Sector.SPECIALIST_ADVOCACY, name: str | None = None) -> Agency:
    return Agency.objects.create(area=area, sector=sector, name=name or f"{sector} agency {next(_counter)}")


def make_user(*, email: str | None = None, with_totp: bool = True, password: str = TEST_PASSWORD,
              **fields) -> User:
    user = User.objects.create_user(email=email or f"staff{next(_counter)}@example.org", password=password,
                                    **fields)
    if with_totp:
        user.totp_secret = generate_totp_secret()  # type: ignore[attr-defined]
        TOTP.activate(user, user.totp_secret)  # type: ignore[attr-defined]
    return user


APPROVED_BY_FACTORY = "Approved by the test factory."


def make_actor(agency: Agency, role: str = Role.PRACTITIONER, user: User | None = None, *, approved: bool = True,
               **user_fields) -> Actor:
    """A member of staff acting for this agency. A casework membership is approved (by no one: the
    note says the factory did it) unless `approved=False`."""
    user = user or make_user(first_name="Sam", last_name=f"Worker{next(_counter)}", **user_fields)
    membership = Membership(user=user, agency=agency, role=role)
    if approved and membership.needs_approval:
        membership.approved_at, membership.approval_note = timezone.now(), APPROVED_BY_FACTORY
    membership.save()
    return Actor(user=user, membership=membership)


def make_service_account(agency: Agency, role: str = Role.PRACTITIONER, *, approved: bool = True,
                         name: str | None = None) -> Actor:
    """Another system's account at this agency (no password, cannot sign in), as an actor."""
    user = User.objects.create_user(email=f"system{next(_counter)}@systems.example.org",
                                    first_name=name or "Records feed", is_service_account=True)
    return make_actor(agency, role=role, user=user, approved=approved)


ALL_SCOPES = list(TokenScope.values)


def make_token(service: Actor, *, name: str = "test system", scopes: list[str] | None = None,
               approved: bool = True, expires_in: datetime.timedelta = datetime.timedelta(days=90)
               ) -> tuple[ServiceToken, str]:
    """A token of this service account, approved (by no one named) unless `approved=False`."""
    token, raw = ServiceToken.issue(membership=service.membership, name=name,
                                    scopes=ALL_SCOPES if scopes is None else scopes,
                                    expires_at=timezone.now() + expires_in)
    if approved:
        token.approved_at = timezone.now()
        token.save(update_fields=["approved_at"])
    return token, raw


def token_for(actor: Actor, **token_fields) -> str:
    """A working token of a service account acting as this actor would: same agency, same role (the
    actor itself if it is a service account)."""
    service = actor if actor.user.is_service_account else make_service_account(actor.agency, actor.role)
    return make_token(service, **token_fields)[1]


def make_case(actor: Actor, *, given_name: str = "Amina", family_name: str = "Khan",
              date_of_birth: datetime.date | None = datetime.date(1990, 4, 2), phone: str = "",
              incident: bool = True, needs: bool = True, harm_name: str = "Darren", gender: str = "woman",
              pronouns: str = "") -> Case:
    contacts = [ContactDetails(kind="mobile", value=phone, safe_to_use=True)] if phone else []
    first_incident = None
    if incident:
        first_incident = IncidentDetails(occurred_on=datetime.date(2026, 10, 1), place_type="her_home",
                                         violence_types=("physical_assault", "coercive_control"),
                                         narrative="He pushed her against the wall.")
    return case_services.case_open(
        actor=actor,
        survivor_details=PersonDetails(given_name=given_name, family_name=family_name, date_of_birth=date_of_birth,
                                       gender=gender, pronouns=pronouns),
        aliases=[],
        contact_points=contacts,
        first_incident=first_incident,
        needs=[NeedDetails(in_her_words="I need the locks changed", category="safety", priority="high")]
        if needs else [],
        persons_causing_harm=[PersonCausingHarm(given_name=harm_name, family_name="Smith", relationship="ex_partner")]
        if harm_name else [],
    )


def login(client, actor: Actor) -> None:
    """Sign the test client in as this actor, acting for the actor's agency, MFA satisfied (TOTP)."""
    import time

    from concord.accounts.middleware import SESSION_MEMBERSHIP
    from concord.accounts.selectors import AUTHENTICATION_METHODS_KEY

    client.force_login(actor.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_MEMBERSHIP] = actor.membership.pk
    # What allauth records when the TOTP step is passed at sign-in.
    session[AUTHENTICATION_METHODS_KEY] = [{"method": "password", "at": time.time()},
                                           {"method": "mfa", "type": "totp", "at": time.time()}]
    session.save()


def share_with(lead: Actor, case: Case, agency: Agency, *, consent: bool = True, involve: bool = True):
    """Involve an agency on the lead's case and, by default, record her consent to share with it.
    Returns the consent decision (None without one)."""
    from concord.consent.services import consent_record

    if involve:
        case_services.agency_involve(actor=lead, case=case, agency=agency)
    if consent:
        return consent_record(actor=lead, case=case, scope="share_agency", agency=agency, decision="given",
                              method="verbal")
    return None


def event_text(event, reader: Actor | None = None) -> str:
    """A timeline event as a reader reads it (the case's lead agency's view unless a reader is given)."""
    from concord import policy
    from concord.cases.events import event_entry

    access = policy.decide(reader, event.case) if reader else policy.AccessDecision(
        actor=reader, case=event.case, visible=True, facets=policy.LEAD_FACETS)  # type: ignore[arg-type]
    entry = event_entry(event, access)
    return entry.detail if entry else ""


def shorten_overrides(when, **filters) -> None:
    """Move overrides' expiry earlier (the ledger's guard allows shortening), as time passing would,
    and recompute the derived access of their cases, as the services do after every write."""
    from concord.access.derive import refresh_cases
    from concord.consent.models import Override

    overrides = Override.objects.filter(**filters)
    case_ids = list(overrides.values_list("case_id", flat=True))
    overrides.update(expires_at=when)
    refresh_cases(case_ids)


def stale_change_row(field: str, before: str, after: str) -> str:
    """A row of the "changed since you opened it" table (web/includes/stale.html), as rendered."""
    return (f'<td data-label="Field">{field}</td><td data-label="When you opened it">{before}</td>'
            f'<td data-label="Now">{after}</td>')
