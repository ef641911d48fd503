"""Forms of the risk pages: an assessment drawn from its instrument's data, a judgement, a task closed.
They validate input; concord.risk.services scores, decides and writes."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.people.pronouns import PronounForms
from concord.risk import vocabularies as rv
from concord.risk.catalogue import Instrument
from concord.risk.services import BeforeQuestions
from concord.risk.vocabularies import ANSWER_LABELS
from concord.web.forms import DATE_WIDGET, _not_future

# The key that picks each answer on the assessment screen (assessment.js): one keystroke each.
ANSWER_KEYS = {"yes": "y", "no": "n", "dont_know": "d", "not_answered": "x"}
ADVOCACY_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("not_answered", _("Not asked"))]


class AssessmentForm(forms.Form):
    """The before-questions, every question of the instrument (grouped as its file groups them), her
    own view and her words. Each item is a field named by its id, so the service's messages land on it."""

    safe_to_talk = forms.ChoiceField(label=_("Is it safe for her to talk now?"), choices=rv.SafeToTalk.choices,
                                     widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("How is the assessment done?"), choices=rv.AssessmentChannel.choices,
                                widget=forms.RadioSelect)
    interpreter_used = forms.BooleanField(label=_("An interpreter is being used"), required=False)
    interpreter_language = forms.CharField(label=_("The interpreter's language"), max_length=60, required=False)
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DATE_WIDGET,
                                  initial=timezone.localdate)
    her_view = forms.ChoiceField(label=_("Her own view of her risk"), choices=rv.HerViewOfRisk.choices,
                                 widget=forms.RadioSelect)
    her_words = forms.CharField(label=_("Their fears, in their own words"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Write what she says, as she says it. It is shown beside the score."))

    def __init__(self, *args, instrument: Instrument, pronoun: PronounForms | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        if pronoun is not None:
            # The words about the survivor, from what was recorded about them (decision 11).
            their = pronoun.their
            self.fields["safe_to_talk"].label = _("Is it safe for %(them)s to talk now?") % {"them": pronoun.them}
            self.fields["her_view"].label = _("%(their)s own view of the danger") % {"their": their.capitalize()}
            self.fields["her_words"].label = _("%(their)s fears, in %(their_words)s own words") % {
                "their": their.capitalize(), "their_words": their}
        choices = [(answer, ANSWER_LABELS.get(answer, answer)) for answer in instrument.answers]
        self.item_names = []
        for item in instrument.scored_items:
            # Not required: a question left alone is "not answered", an answer in its own right.
            self.fields[item.id] = forms.ChoiceField(
                label=f"{item.number}. {item.text}", choices=choices, initial="not_answered", required=False,
                widget=forms.RadioSelect(attrs={"class": "answers"}))
            self.item_names.append(item.id)
        rule = instrument.scoring
        self.asks_belief = rule.kind == "screen_in"
        self.asks_advocacy = rule.kind == "screen_in" and rule.asks_spoke_to_advocacy
        if self.asks_belief:
            self.fields["practitioner_believes_high"] = forms.BooleanField(
                label=_("In my own judgement, in danger whatever the answers"), required=False)
        if self.asks_advocacy:
            self.fields["spoke_to_advocacy"] = forms.ChoiceField(
                label=_("If screened in: did %(they)s speak to the advocacy service straight away?")
                % {"they": pronoun.they if pronoun else _("they")},
                choices=ADVOCACY_CHOICES, required=False, widget=forms.RadioSelect)

    def groups(self):
        """The items as the screen shows them: (group label, [bound fields]) in the instrument's order."""
        grouped: dict[str, list] = {}
        for item in self.instrument.scored_items:
            grouped.setdefault(item.group, []).append(self[item.id])
        labels = dict(rv.ItemGroup.choices)
        return [(labels.get(group, group), fields) for group, fields in grouped.items()]

    def answered_count(self) -> int:
        data = self.data if self.is_bound else {}
        return sum(1 for name in self.item_names if data.get(name, "not_answered") != "not_answered")

    def clean_assessed_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data["assessed_on"])

    def before(self) -> BeforeQuestions:
        data = self.cleaned_data
        return BeforeQuestions(safe_to_talk=data["safe_to_talk"], channel=data["channel"],
                               interpreter_used=data["interpreter_used"],
                               interpreter_language=data["interpreter_language"])

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] or "not_answered" for name in self.item_names}


class JudgementForm(forms.Form):
    level = forms.ChoiceField(label=_("Raise the level to"), choices=rv.RiskLevel.choices[1:], widget=forms.RadioSelect)
    reason_kind = forms.ChoiceField(label=_("Why"), choices=rv.JudgementReason.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("In your own words"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                             help_text=_("What you saw or heard that the instrument did not capture."))


class TaskCloseForm(forms.Form):
    status = forms.ChoiceField(choices=[(rv.TaskStatus.DONE, _("Done")),
                                        (rv.TaskStatus.CANCELLED, _("No longer needed"))])
    outcome = forms.CharField(label=_("What was done"), max_length=300, required=False)


class SeparationForm(forms.Form):
    separated_on = forms.DateField(label=_("Date of the separation (or the attempt)"), widget=DATE_WIDGET)

    def clean_separated_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data["separated_on"])
