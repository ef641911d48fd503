"""The forms of a referral: sending one, and each answer to it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import PERPETRATOR_FACING_SECTORS, Agency
from concord.cases.models import Case, Incident, Need
from concord.consent.vocabularies import LegalBasis
from concord.referrals import vocabularies as v


class IncidentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Incident) -> str:
        return f"{obj.occurred_on:%d %b %Y}: {', '.join(obj.violence_type_labels) or obj.get_place_type_display()}"


class NeedChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Need) -> str:
        return f"{obj.get_category_display()}: {obj.in_her_words[:120]}"


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Refer to"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Why you are referring her"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("How urgent"), choices=v.Urgency.choices, initial=v.Urgency.ROUTINE,
                                widget=forms.RadioSelect)
    needs = NeedChoice(label=_("The needs it answers (the receiver reads them in her words)"), required=False,
                       queryset=Need.objects.none(), widget=forms.CheckboxSelectMultiple)
    incidents = IncidentChoice(label=_("Incidents to summarise for them (date and kind, not what happened)"),
                               required=False, queryset=Incident.objects.none(), widget=forms.CheckboxSelectMultiple)
    packet_risk_level = forms.BooleanField(label=_("Tell them the case's risk level and its reasons"), required=False,
                                           initial=True)
    packet_note = forms.CharField(label=_("Anything else they need to know before they answer"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Never where she is or how to reach her: they see that only once "
                                              "they accept, and only if she allows it."))
    legal_basis = forms.ChoiceField(label=_("Legal basis"), required=False,
                                    choices=[("", _("She has agreed: no override"))] + list(LegalBasis.choices))
    override_reason = forms.CharField(label=_("Why it cannot wait for her consent"), required=False, max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case: Case, own_agency: Agency, sees_needs: bool, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = (Agency.objects.filter(area_id=case.area_id, is_active=True)
                                             .exclude(pk=own_agency.pk)
                                             .exclude(sector__in=PERPETRATOR_FACING_SECTORS).order_by("name"))
        self.fields["incidents"].queryset = case.incidents.order_by("-occurred_on")
        if sees_needs:
            self.fields["needs"].queryset = case.needs.all()
        else:
            del self.fields["needs"]
        if not may_override:
            del self.fields["legal_basis"], self.fields["override_reason"]


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeclineForm(AnswerForm):
    reason = forms.ChoiceField(label=_("Why you cannot take it"), choices=v.DeclineReason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("More about why"), max_length=500, required=False)


class CompleteForm(AnswerForm):
    outcome = forms.ChoiceField(label=_("How it ended"), choices=v.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)


class WithdrawForm(AnswerForm):
    reason = forms.CharField(label=_("Why you are withdrawing it"), max_length=500)


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Referrals"), required=False,
                                  choices=[("incoming", _("To your agency")), ("outgoing", _("From your agency"))])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + list(v.ReferralStatus.choices))
