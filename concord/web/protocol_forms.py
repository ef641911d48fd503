"""The forms of the protocols pages: which tasks to list, the compliance period, and the partnership
lead's drafting, approving and reviewing of a protocol's versions."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.protocols import vocabularies as v
from concord.protocols.models import OWNER_CHOICES
from concord.protocols.selectors import Which
from concord.risk.vocabularies import TaskKind

WHICH_CHOICES = [(Which.AGENCY, _("My agency's")), (Which.MINE, _("Mine")), (Which.ESCALATED, _("Escalated"))]


class TaskFilterForm(forms.Form):
    which = forms.ChoiceField(label=_("Tasks"), choices=WHICH_CHOICES, required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        return data.get("start") or end - datetime.timedelta(days=89), end


class VersionForm(forms.Form):
    key = forms.SlugField(label=_("Short name (letters, digits and hyphens)"), max_length=60)
    name = forms.CharField(label=_("Protocol"), max_length=160)
    trigger = forms.ChoiceField(label=_("When"), choices=v.Trigger.choices)
    owner = forms.ChoiceField(label=_("Who answers"), choices=OWNER_CHOICES)
    task_kind = forms.ChoiceField(label=_("The task it opens"), choices=TaskKind.choices)
    action = forms.CharField(label=_("What they do"), max_length=300)
    due_hours = forms.IntegerField(label=_("Within hours"), required=False, min_value=1, max_value=2160)
    due_working_days = forms.IntegerField(label=_("Or within working days"), required=False, min_value=1,
                                          max_value=90)
    escalate_after_hours = forms.IntegerField(label=_("Escalate to a supervisor this many hours after the deadline"),
                                              min_value=0, max_value=720, initial=0)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=v.ReviewOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What the review found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
