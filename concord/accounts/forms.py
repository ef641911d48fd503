"""allauth's code forms, refusing every code (right or wrong) while axes has the account locked."""

from allauth.core import context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm

from .lockout import is_locked_out


class LockoutMixin:
    user: object

    def clean_code(self) -> str:
        # Checked before the code is: a recovery code is spent when it validates, and a right code
        # must not be a way around a lock that wrong passwords or codes have set.
        if is_locked_out(context.request, self.user):
            raise get_adapter().validation_error("incorrect_code")
        return super().clean_code()  # type: ignore[misc]


class StaffAuthenticateForm(LockoutMixin, AuthenticateForm):
    """The code asked for at sign-in, after the password."""


class StaffReauthenticateForm(LockoutMixin, ReauthenticateForm):
    """The code asked for again before a sensitive change (allauth's reauthentication)."""
