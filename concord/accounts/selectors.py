"""Reads about staff and their agencies."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import QuerySet

from concord.statements import Columns, Statement, table

from .models import CASEWORK_ROLES, Agency, Area, Membership, User

_CASEWORK = sorted(CASEWORK_ROLES)
# The memberships in force of one person, with their agency and area: read on every request (the
# acting agency), so written once and prepared once per connection (decision 17). The same rule as
# `Membership.objects.in_force()`; a test holds the two alike.
_IN_FORCE = Statement(  # (the tables' names come from the models; every value is a parameter)
    [Columns(Membership, "m"), Columns(Agency, "a"), Columns(Area, "r")], [],
    f"FROM {table(Membership)} m JOIN {table(Agency)} a ON a.id = m.agency_id"  # noqa: S608
    f" JOIN {table(Area)} r ON r.id = a.area_id"
    " WHERE m.user_id = %s AND m.is_active = %s AND a.is_active = %s"
    f" AND (m.role NOT IN ({', '.join(['%s'] * len(_CASEWORK))}) OR m.approved_at IS NOT NULL)"
    " ORDER BY a.name, m.id")


def acting_memberships(user: User) -> list[Membership]:
    """`active_memberships`, as the acting-agency middleware reads it on every request: one prepared
    statement, the agency and area with each."""
    if user.is_service_account:
        return []
    memberships = []
    for (membership, agency, area), _extra in _IN_FORCE.rows([user.pk, True, True, *_CASEWORK]):
        assert isinstance(membership, Membership) and isinstance(agency, Agency) and isinstance(area, Area)
        agency.area = area
        membership.agency, membership.user = agency, user
        memberships.append(membership)
    return memberships


def active_memberships(user: User) -> QuerySet[Membership]:
    """The memberships a person may act for: in force (a casework role only once approved). A service
    account acts for none: it never has a session."""
    if user.is_service_account:
        return Membership.objects.none()
    return (Membership.objects.in_force().filter(user=user)
            .select_related("agency", "agency__area").order_by("agency__name"))


def casework_memberships(agency: Agency) -> QuerySet[Membership]:
    """The agency's staff who work cases (people, not service accounts, whose casework membership is in
    force, so approved): those who may hold a case."""
    return (Membership.objects.in_force().filter(agency=agency, role__in=CASEWORK_ROLES, user__is_active=True,
                                                 user__is_service_account=False)
            .select_related("user", "agency__area").order_by("user__last_name", "user__first_name"))


def memberships_awaiting_approval(user: User) -> QuerySet[Membership]:
    """This person's own casework memberships that no approver has approved yet (shown to them, so they
    know whom to ask)."""
    return Membership.objects.awaiting_approval().filter(user=user).select_related("agency")


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def may_skip_mfa(user: User) -> bool:
    """Only the printed demo accounts, and only while the server runs in demo mode (never in
    production: settings refuse demo mode without DEBUG)."""
    return bool(settings.DEMO_MODE and user.is_demo_account)


# allauth keeps the methods used to sign in during this session; an "mfa" entry means the second
# factor was passed here. Enrolling TOTP in this session counts too (it proves the device now).
AUTHENTICATION_METHODS_KEY = "account_authentication_methods"
ENROLLED_THIS_SESSION_KEY = "concord_totp_enrolled"


def session_passed_mfa(session) -> bool:
    methods = session.get(AUTHENTICATION_METHODS_KEY) or []
    return bool(session.get(ENROLLED_THIS_SESSION_KEY)) or any(m.get("method") == "mfa" for m in methods)
