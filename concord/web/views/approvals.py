"""Approvals: a supervisor (or an approver the area names) lets a colleague's casework membership, or a
service account's token, open case records (concord.accounts.approvals, decision 9)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts import approvals
from concord.accounts.models import ServiceToken
from concord.audit.services import client_ip
from concord.web.decorators import actor_required


def _approver_only(request):
    if not approvals.agencies_approved_by(request.user).exists():
        raise Http404("No such page.")


def _page(request, status=200):
    context = {"memberships": approvals.memberships_awaiting(request.user),
               "tokens": approvals.tokens_awaiting(request.user)}
    template = "web/approvals.html#pending" if request.htmx else "web/approvals.html"
    return render(request, template, context, status=status)


@actor_required
def approvals_page(request):
    """Staff and service tokens awaiting approval at the agencies this person approves for."""
    _approver_only(request)
    return _page(request)


def _decide(request, record, approve, decline, approved_text, declined_text):
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, _("Choose approve or decline."))
        return _page(request, status=422) if request.htmx else redirect("web:approvals")
    service = approve if decision == "approve" else decline
    try:
        service(record, by=request.actor, ip_address=client_ip(request))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return _page(request, status=403) if request.htmx else redirect("web:approvals")
    messages.success(request, approved_text if decision == "approve" else declined_text)
    return _page(request) if request.htmx else redirect("web:approvals")


@require_POST
@actor_required
def membership_decide(request, membership_id):
    _approver_only(request)
    membership = get_object_or_404(approvals.memberships_awaiting(request.user), pk=membership_id)
    name = {"who": str(membership.user), "agency": membership.agency.name}
    return _decide(
        request, membership,
        lambda m, **kw: approvals.membership_approve(membership=m, **kw),
        lambda m, **kw: approvals.membership_decline(membership=m, **kw),
        _("%(who)s may now work cases for %(agency)s.") % name,
        _("%(who)s's membership of %(agency)s is declined and ended.") % name)


@require_POST
@actor_required
def token_decide(request, token_id):
    _approver_only(request)
    token: ServiceToken = get_object_or_404(approvals.tokens_awaiting(request.user), pk=token_id)
    return _decide(
        request, token,
        lambda t, **kw: approvals.service_token_approve(token=t, **kw),
        lambda t, **kw: approvals.service_token_decline(token=t, **kw),
        _("The token “%(name)s” now works.") % {"name": token.name},
        _("The token “%(name)s” is declined and revoked.") % {"name": token.name})

