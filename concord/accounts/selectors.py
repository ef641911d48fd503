"""Reads about staff and their agencies."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import QuerySet

from .models import Membership, User


def active_memberships(user: User) -> QuerySet[Membership]:
    return (Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
            .select_related("agency", "agency__area").order_by("agency__name"))


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def may_skip_mfa(user: User) -> bool:
    """Only the printed demo accounts, and only while the server runs in demo mode (never in
    production: settings refuse demo mode without DEBUG)."""
    return bool(settings.DEMO_MODE and user.is_demo_account)
