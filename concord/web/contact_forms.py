"""The form of her contact rules: safe channels, a few safe times, what a caller may do, and the
version it was drawn from. The service (concord.contact.services) checks the same again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.contact.models import ContactRules
from concord.contact.vocabularies import ContactChannel
from concord.web.forms import TIME_WIDGET

# Enough for "weekdays 9–5" and "Saturday mornings"; she can have more (the form grows by one a save).
TIME_ROWS = 3
DAY_CHOICES = [(str(day), name) for day, name in sorted(WEEKDAYS.items())]


@dataclass(frozen=True)
class TimeRow:
    number: int
    days: forms.BoundField
    start: forms.BoundField
    end: forms.BoundField


class ContactRulesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    safe_channels = forms.MultipleChoiceField(
        label=gettext_lazy("Channels she says are safe"), required=False, choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Nothing is sent, and nobody should call, by a channel not ticked here."))
    voicemail_ok = forms.BooleanField(label=gettext_lazy("A voicemail may be left"), required=False)
    may_name_agency = forms.BooleanField(label=gettext_lazy("The caller may say which agency is calling"),
                                         required=False)
    never_post_home = forms.BooleanField(label=gettext_lazy("Never send post to her home address"), required=False)
    third_party = forms.CharField(
        label=gettext_lazy("A named person who may pass on messages"), required=False, max_length=200,
        help_text=gettext_lazy("Their name and who they are to her, e.g. “Joy, her sister”."))
    code_word = forms.CharField(label=gettext_lazy("Code word"), required=False, max_length=100,
                                help_text=gettext_lazy("A word she will use, or ask you to use, to show it is "
                                                       "safe to talk."))

    def __init__(self, *args: Any, rows: int = TIME_ROWS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for number in range(1, rows + 1):
            self.fields[f"time_{number}_days"] = forms.MultipleChoiceField(
                label=_("Days"), required=False, choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple)
            self.fields[f"time_{number}_start"] = forms.TimeField(label=_("From"), required=False,
                                                                  widget=TIME_WIDGET)
            self.fields[f"time_{number}_end"] = forms.TimeField(label=_("To"), required=False, widget=TIME_WIDGET)

    @staticmethod
    def rows_for(rules: ContactRules | None, data: Any = None) -> int:
        """Rows for her windows and one empty, at least TIME_ROWS; on a post, as many as were sent."""
        rows = max(TIME_ROWS, len(rules.safe_times) + 1 if rules is not None else 0)
        for key in data or ():
            parts = key.split("_")
            if len(parts) == 3 and parts[0] == "time" and parts[1].isdigit():
                rows = max(rows, min(int(parts[1]), 50))
        return rows

    @staticmethod
    def initial_from(rules: ContactRules | None) -> dict[str, Any]:
        if rules is None:
            # Until she says otherwise: no channel, no voicemail, no agency named, no post home.
            return {"never_post_home": True}
        initial: dict[str, Any] = {name: getattr(rules, name) for name in (
            "version", "safe_channels", "voicemail_ok", "may_name_agency", "never_post_home", "third_party",
            "code_word")}
        for number, window in enumerate(rules.safe_times, start=1):
            initial |= {f"time_{number}_days": [str(day) for day in window["days"]],
                        f"time_{number}_start": window["start"], f"time_{number}_end": window["end"]}
        return initial

    def time_rows(self) -> list[TimeRow]:
        return [TimeRow(number, self[f"time_{number}_days"], self[f"time_{number}_start"], self[f"time_{number}_end"])
                for number in range(1, self.rows + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for number in range(1, self.rows + 1):
            days, start, end = (data.get(f"time_{number}_{part}") for part in ("days", "start", "end"))
            if not (days or start or end):
                continue  # an empty row
            if not days:
                self.add_error(f"time_{number}_days", _("Choose the days this time is safe."))
            if start is None and f"time_{number}_start" not in self.errors:
                self.add_error(f"time_{number}_start", _("Give the time it starts."))
            if end is None and f"time_{number}_end" not in self.errors:
                self.add_error(f"time_{number}_end", _("Give the time it ends."))
            if start is not None and end is not None and start >= end:
                self.add_error(f"time_{number}_end", _("The end must be after the start (on the same day)."))
        return data

    def changes(self) -> dict[str, Any]:
        """Every rule, as the service takes them."""
        data = self.cleaned_data
        changes = {name: data[name] for name in ("safe_channels", "voicemail_ok", "may_name_agency",
                                                 "never_post_home", "third_party", "code_word")}
        changes["safe_times"] = [
            {"days": [int(day) for day in data[f"time_{number}_days"]],
             "start": data[f"time_{number}_start"].strftime("%H:%M"),
             "end": data[f"time_{number}_end"].strftime("%H:%M")}
            for number in range(1, self.rows + 1) if data.get(f"time_{number}_days")]
        return changes
