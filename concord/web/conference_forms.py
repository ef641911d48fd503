"""The form of a referral to the multi-agency risk conference."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.conferences import vocabularies as v
from concord.consent.vocabularies import LegalBasis


class ConferenceReferralForm(forms.Form):
    judgement_reason = forms.CharField(
        label=_("Your professional judgement (why she needs the conference, if the criteria above do not say)"),
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    she_knows = forms.ChoiceField(label=_("Does she know of this referral?"), choices=v.SheKnows.choices,
                                  widget=forms.RadioSelect)
    why_not_told = forms.CharField(label=_("If not, why not"), required=False, max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.ChoiceField(label=_("Legal basis"), required=False,
                                    choices=[("", _("Choose…")), *LegalBasis.choices])
    override_reason = forms.CharField(label=_("Why it cannot wait for her consent"), required=False,
                                      max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, may_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_override:  # only a supervisor of the lead agency is offered the override
            del self.fields["legal_basis"]
            del self.fields["override_reason"]
