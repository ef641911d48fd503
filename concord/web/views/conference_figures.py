"""The conference figures (issue 17, section 5): for the area's conference coordinators and its
partnership lead, a period's figures beside the national reference and the area's expectation, small
numbers suppressed; and the same figures as the quarterly return, a CSV. Counts only: no case named."""

from __future__ import annotations

import csv
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Role
from concord.conferences.figures import Figures, figures
from concord.web.decorators import actor_required
from concord.web.figure_forms import FiguresPeriodForm

FIGURES_ROLES = frozenset({Role.CONFERENCE_COORDINATOR, Role.PARTNERSHIP_LEAD})
CSV_COLUMNS = ["area", "from", "to", "section", "figure", "label", "value", "unit", "national_reference",
               "area_expectation"]


def _reference(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def quarterly_return(result: Figures) -> HttpResponse:
    """The figures as rows of a CSV, exactly as the page prints them (suppressed cells as "suppressed")."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="conference-figures-{result.area.code}-'
                                       f'{result.start:%Y%m%d}-{result.end:%Y%m%d}.csv"')
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for section in result.sections:
        for figure in section.figures:
            writer.writerow([result.area.code, result.start.isoformat(), result.end.isoformat(), section.title,
                             figure.key, figure.label, figure.text, figure.unit, _reference(figure.national),
                             _reference(figure.expected)])
    return response


@actor_required
def conference_figures(request):
    actor = request.actor
    if actor.role not in FIGURES_ROLES or not actor.membership.is_in_force:
        raise PermissionDenied(_("The conference figures are for the area's conference coordinators and its "
                                 "partnership lead."))
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(actor.area.time_zone))
    form = FiguresPeriodForm(request.GET, today=today)
    wants_csv = request.GET.get("format") == "csv"
    if not form.is_valid():
        if wants_csv:
            problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
            return HttpResponse(problems, status=422, content_type="text/plain; charset=utf-8")
        return render(request, "web/conference_figures.html", {"form": form, "result": None}, status=422)
    result = figures(actor.area, *form.period())
    if wants_csv:
        return quarterly_return(result)
    query = form.data.copy()
    query["format"] = "csv"
    return render(request, "web/conference_figures.html", {"form": form, "result": result,
                                                           "csv_query": query.urlencode()})
