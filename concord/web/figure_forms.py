"""The period of the conference figures: a quarter (the last complete one unless another is chosen), or
a start and an end date."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from concord.conferences.figures import last_complete_quarter, quarter

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
QUARTERS_OFFERED = 8


def quarter_code(year: int, number: int) -> str:
    return f"{year}-Q{number}"


def quarter_label(year: int, number: int) -> str:
    first, last = quarter(year, number)
    return f"{date_format(first, 'F')}–{date_format(last, 'F Y')}"


def quarters_before(today: datetime.date, count: int = QUARTERS_OFFERED) -> list[tuple[int, int]]:
    """The last `count` complete quarters, the latest first."""
    year, number = last_complete_quarter(today)
    found = []
    for _i in range(count):
        found.append((year, number))
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return found


class FiguresPeriodForm(forms.Form):
    quarter = forms.CharField(label=_("Quarter"), required=False)
    start = forms.DateField(label=_("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, today: datetime.date, **kwargs):
        if not any(data.get(name) for name in ("quarter", "start", "end")):
            data = data.copy()  # nothing chosen: the last complete quarter, shown as chosen
            data["quarter"] = quarter_code(*last_complete_quarter(today))
        super().__init__(data, **kwargs)
        self.today = today
        offered = quarters_before(today)
        asked = QUARTER.match(str(self.data.get("quarter", "")))
        if asked and (int(asked[1]), int(asked[2])) not in offered:
            offered.append((int(asked[1]), int(asked[2])))  # an older quarter, asked for by its code
        self.fields["quarter"].widget = forms.Select(choices=[(quarter_code(*q), quarter_label(*q)) for q in offered])

    def clean_quarter(self) -> tuple[int, int] | None:
        code = self.cleaned_data.get("quarter") or ""
        if not code:
            return None
        match = QUARTER.match(code)
        if not match:
            raise forms.ValidationError(_("Choose a quarter, such as 2026-Q1."))
        return int(match[1]), int(match[2])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if bool(start) != bool(end):
            self.add_error("end" if start else "start",
                           _("Give both the start and the end of the period, or choose a quarter."))
        elif start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The dates chosen, else the quarter chosen, else the last complete quarter (a valid form)."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        return quarter(*(data.get("quarter") or last_complete_quarter(self.today)))
