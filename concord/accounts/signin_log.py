"""Sign-in, failed sign-in, sign-out and changes of a second factor, in the access log: who came in,
from where, and when an account's second factor changed are part of the access-pattern review."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_append, client_ip


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


def signed_in(sender, request, user, **kwargs) -> None:
    access_log_append(actor=None, user=user, action=AuditAction.LOGIN, object_type=ObjectType.USER,
                      object_id=user.pk, ip_address=_ip(request))


def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        access_log_append(actor=None, user=user, action=AuditAction.LOGOUT, object_type=ObjectType.USER,
                          object_id=user.pk, ip_address=_ip(request))


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password or second-factor code. The account is named when there is one; an address that is
    no account's is not written down (it may be anyone's)."""
    login = str(credentials.get("login") or credentials.get("email") or credentials.get("username") or "")
    user = get_user_model().objects.filter(email__iexact=login).first() if login else None
    access_log_append(actor=None, user=user, action=AuditAction.LOGIN_FAILED, object_type=ObjectType.USER,
                      object_id=user.pk if user is not None else None, ip_address=_ip(request))


def _second_factor(action: str):
    def changed(sender, request, user, authenticator=None, **kwargs) -> None:
        kind = getattr(authenticator, "type", "") or "second_factor"
        access_log_append(actor=None, user=user, action=action, object_type=ObjectType.USER, object_id=user.pk,
                          fields=[f"second_factor:{kind}"], ip_address=_ip(request))
    return changed


second_factor_added = _second_factor(AuditAction.CREATE)
second_factor_removed = _second_factor(AuditAction.DELETE)
second_factor_reset = _second_factor(AuditAction.UPDATE)


def connect() -> None:
    from allauth.account.signals import user_logged_in
    from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
    from django.contrib.auth.signals import user_logged_out, user_login_failed

    user_logged_in.connect(signed_in, dispatch_uid="concord_log_sign_in")
    user_logged_out.connect(signed_out, dispatch_uid="concord_log_sign_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="concord_log_sign_in_failed")
    authenticator_added.connect(second_factor_added, dispatch_uid="concord_log_second_factor_added")
    authenticator_removed.connect(second_factor_removed, dispatch_uid="concord_log_second_factor_removed")
    authenticator_reset.connect(second_factor_reset, dispatch_uid="concord_log_second_factor_reset")
