"""Who may open case records: a casework membership, or a service token, works only once someone
answerable for the agency's casework approves it (decision 9). An administrator manages accounts but
never approves alone: the approver is an in-force supervisor of that agency, or someone the area
names with `manage.py area_approvers` who holds no administrator role in the area; and never for
their own account, nor for a token they asked for.

Selectors (what awaits whom) and services (approve, decline); each service writes the history row
and an access-log entry naming the approver."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CASEWORK_ROLES, Agency, AreaApprover, Membership, Role, ServiceToken, User

if TYPE_CHECKING:
    from concord.policy import Actor

# --- Selectors ---------------------------------------------------------------------------------


def _named_areas(user: User) -> QuerySet:
    """Areas that name this person as an approver, unless they administer there."""
    administers = Membership.objects.filter(user=user, role=Role.ADMINISTRATOR, is_active=True).values(
        "agency__area_id")
    return (AreaApprover.objects.filter(user=user, removed_at__isnull=True, user__is_active=True)
            .exclude(area_id__in=administers).values("area_id"))


def _supervised_agencies(user: User) -> QuerySet:
    return Membership.objects.in_force().filter(user=user, role=Role.SUPERVISOR).values("agency_id")


def agencies_approved_by(user: User) -> QuerySet[Agency]:
    """The agencies at which this person may approve casework and service tokens."""
    if user.is_service_account or not user.is_active:
        return Agency.objects.none()
    return Agency.objects.filter(Q(pk__in=_supervised_agencies(user)) | Q(area_id__in=_named_areas(user)),
                                 is_active=True)


def may_approve(user: User, agency: Agency) -> bool:
    return agencies_approved_by(user).filter(pk=agency.pk).exists()


def memberships_awaiting(user: User) -> QuerySet[Membership]:
    """Casework memberships this person may approve: at agencies they approve for, not their own."""
    return (Membership.objects.awaiting_approval().filter(agency__in=agencies_approved_by(user))
            .exclude(user=user).select_related("user", "agency").order_by("agency__name", "created_at"))


def tokens_awaiting(user: User) -> QuerySet[ServiceToken]:
    return (ServiceToken.objects.awaiting_approval().filter(membership__agency__in=agencies_approved_by(user))
            .exclude(requested_by=user).exclude(membership__user=user)
            .select_related("membership__user", "membership__agency", "requested_by").order_by("created_at"))


# --- Services ----------------------------------------------------------------------------------


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("You cannot approve this: only a supervisor of the agency, or an approver the "
                              "area names, approves someone else's access."))


def _log(by: Actor, record: Membership | ServiceToken, fields: list[str], ip_address: str | None) -> None:
    from concord.audit.models import AuditAction
    from concord.audit.services import access_log_append

    object_type = "membership" if isinstance(record, Membership) else "service_token"
    access_log_append(actor=by, action=AuditAction.UPDATE, object_type=object_type, object_id=record.pk,
                      fields=fields, ip_address=ip_address)


def _locked_membership(membership: Membership, by: Actor) -> Membership:
    locked = Membership.objects.select_for_update().select_related("agency").get(pk=membership.pk)
    if locked.user_id == by.user.pk or not memberships_awaiting(by.user).filter(pk=locked.pk).exists():
        raise _refuse()
    return locked


@transaction.atomic
def membership_approve(*, membership: Membership, by: Actor, ip_address: str | None = None) -> Membership:
    """Approve a casework membership awaiting approval: from now it opens the agency's cases."""
    locked = _locked_membership(membership, by)
    locked.approved_at, locked.approved_by, locked.approval_note = timezone.now(), by.user, ""
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save()
    _log(by, locked, ["approved_at", "approved_by"], ip_address)
    return locked


@transaction.atomic
def membership_decline(*, membership: Membership, by: Actor, ip_address: str | None = None) -> Membership:
    """Decline it: the membership is ended (kept, with its history)."""
    locked = _locked_membership(membership, by)
    locked.is_active = False
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save()
    _log(by, locked, ["is_active"], ip_address)
    return locked


def _locked_token(token: ServiceToken, by: Actor) -> ServiceToken:
    locked = ServiceToken.objects.select_for_update().get(pk=token.pk)
    if locked.requested_by_id == by.user.pk or not tokens_awaiting(by.user).filter(pk=locked.pk).exists():
        raise _refuse()
    return locked


@transaction.atomic
def service_token_approve(*, token: ServiceToken, by: Actor, ip_address: str | None = None) -> ServiceToken:
    """Approve a service token: from now it works, within its scopes, until it expires."""
    locked = _locked_token(token, by)
    locked.approved_at, locked.approved_by = timezone.now(), by.user
    locked.save(update_fields=["approved_at", "approved_by"])
    _log(by, locked, ["approved_at", "approved_by"], ip_address)
    return locked


@transaction.atomic
def service_token_decline(*, token: ServiceToken, by: Actor, ip_address: str | None = None) -> ServiceToken:
    locked = _locked_token(token, by)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    _log(by, locked, ["revoked_at"], ip_address)
    return locked


def approvals_withdraw(*, user: User) -> int:
    """An administrator changed this person's sign-in (e-mail or password): whoever holds it now may not be
    the person a supervisor approved, so their casework memberships await approval again."""
    withdrawn = 0
    for membership in Membership.objects.filter(user=user, approved_at__isnull=False, role__in=CASEWORK_ROLES):
        membership.approved_at, membership.approved_by = None, None
        membership.approval_note = "Withdrawn: an administrator changed the account's sign-in."
        membership.save()
        withdrawn += 1
    return withdrawn
