from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from concord.accounts import first_sign_in
from concord.accounts.middleware import SESSION_MEMBERSHIP
from concord.accounts.selectors import memberships_awaiting_approval
from concord.audit.models import AuditAction, ObjectType
from concord.audit.services import access_log_append, access_log_listed, client_ip
from concord.cases.selectors import (
    case_list,
    case_search,
    case_search_tries_names,
    cases_listed,
    match_reasons,
    my_cases,
    my_high_risk_cases,
)
from concord.protocols import selectors as task_selectors
from concord.referrals import selectors as referral_selectors
from concord.web.decorators import actor_required
from concord.web.forms import CaseFilterForm
from concord.web.pagination import PAGE_SIZE, CappedPaginator, paginate, paginate_counting_with_page

# What a search result shows of each case (includes/case_rows.html): only enough to pick the right one.
SEARCH_RESULT_FIELDS = ["reference", "survivor_name", "survivor_date_of_birth", "lead_agency", "risk_level", "status",
                        "updated_at"]


@actor_required
def home(request):
    """My agency's cases, with filters; the list is an htmx partial of this page."""
    actor = request.actor
    if first_sign_in.finish(request):
        messages.success(request, _("Your account is set up. Each sign-in from now on asks for your password "
                                    "and the code from your app."))
    if not actor.does_casework:
        return render(request, "web/no_casework.html")
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list(actor, status=filters.get("status", ""), lead=filters.get("lead", ""),
                      updated_within_days=filters.get("updated"), risk=filters.get("risk", ""))
    context = {"form": form, "page": paginate(request, cases)}
    if not request.htmx:
        # Her own caseload first: the cases she holds for this agency (the filters below are the agency's);
        # before it, those of them at high risk, and her agency's tasks by deadline.
        context["mine"] = CappedPaginator(my_cases(actor), PAGE_SIZE).get_page(1)
        context["high_risk"] = CappedPaginator(my_high_risk_cases(actor), PAGE_SIZE).get_page(1)
        context["tasks"] = task_selectors.tasks_for(actor, limit=10)
        context["task_counts"] = task_selectors.counts_for(actor)
        context["counts"] = referral_selectors.counts_for(actor)
    template = "web/home.html#case-list" if request.htmx else "web/home.html"
    return render(request, template, context)


@never_cache
@actor_required
def search(request):
    """Searched by POST: the words (a name, a phone number) never reach a URL, so they stay out of the
    browser's history and the server's request log on a shared computer; and the page is not cached."""
    actor = request.actor
    if not actor.does_casework:
        return render(request, "web/no_casework.html")
    query = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    if query:
        # Who searches, and how often, is part of the access-pattern review; the words are not kept.
        access_log_append(actor=actor, action=AuditAction.SEARCH, object_type=ObjectType.SEARCH,
                          ip_address=client_ip(request))
    rows_of = partial(cases_listed, actor)  # the page's cases, read by the ids the search sorted
    page = (paginate_counting_with_page(case_search(actor, query), request.POST.get("page"), rows_of=rows_of)
            if query else None)
    names_like = False
    if page is not None and not page.paginator.count and case_search_tries_names(query):
        # Nothing has every word: names like it, for a small misspelling ("Zoe Lewes" for Zoe Lewis).
        names_like = True
        page = paginate_counting_with_page(case_search(actor, query, names_like=True), request.POST.get("page"),
                                           rows_of=rows_of)
    if page is not None:
        # Why each matched ("previous name: …", "person causing harm: …"): only people on cases shown.
        reasons = match_reasons(actor, query, list(page.object_list))
        for case in page.object_list:
            case.matched_because = ([_("a name like “%(query)s”") % {"query": query}] if names_like
                                    else reasons.get(case.pk, []))
        access_log_listed(actor=actor, cases=page.object_list, fields=SEARCH_RESULT_FIELDS)
    context = {"query": query, "page": page, "pages_by_post": True, "names_like": names_like}
    template = "web/search.html#results" if request.htmx else "web/search.html"
    return render(request, template, context)


@login_required
def choose_agency(request):
    """The agency a user acts for is explicit: chosen here, kept in the session, shown in the header."""
    memberships = getattr(request, "memberships", [])
    if request.method == "POST":
        chosen = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
        if chosen is None:
            messages.error(request, _("Choose one of your agencies."))
        else:
            request.session[SESSION_MEMBERSHIP] = chosen.pk
            messages.success(request, _("You are now acting for %(agency)s.") % {"agency": chosen.agency.name})
            target = request.POST.get("next") or ""
            if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
            return redirect("web:home")
    return render(request, "web/choose_agency.html",
                  {"memberships": memberships, "pending": memberships_awaiting_approval(request.user)})
