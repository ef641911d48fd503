from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
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
    """As actor_required, and the acting role works cases. For everyone else (administrators,
    analysts…) case pages do not exist: 404, as for a case their agency may not see."""

    @wraps(view)
    @actor_required
    def wrapper(request, *args, **kwargs):
        if not request.actor.does_casework:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
