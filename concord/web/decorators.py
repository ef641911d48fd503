from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def actor_required(view):
    """Signed in, MFA satisfied, and acting for a chosen agency (request.actor)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if getattr(request, "actor", None) is None:
            return redirect("web:choose_agency")
        return view(request, *args, **kwargs)

    return wrapper


def casework_required(view):
    """As actor_required, and the acting role works cases. Others (administrators, analysts…) are
    shown the home page's explanation instead of case content."""

    @wraps(view)
    @actor_required
    def wrapper(request, *args, **kwargs):
        if not request.actor.does_casework:
            return redirect("web:home")
        return view(request, *args, **kwargs)

    return wrapper
