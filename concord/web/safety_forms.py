"""The safety plan's form: the next review date, the version it was drawn from, and one row per step
(the plan's steps, then a few blank rows to add more). A blank row is ignored; a row can be removed or
moved by its order number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency
from concord.cases.models import Case
from concord.safety import vocabularies as v
from concord.safety.models import SafetyPlan
from concord.safety.services import MAX_NAME_LENGTH, MAX_STEP_LENGTH, StepDetails
from concord.web.forms import DATE_WIDGET

BLANK_ROWS = 3


class PlanForm(forms.Form):
    next_review_on = forms.DateField(label=_("Next review"), widget=DATE_WIDGET,
                                     help_text=_("It is also due after a new incident or a change of risk level."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StepForm(forms.Form):
    what = forms.CharField(label=_("The step"), required=False, max_length=MAX_STEP_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))
    in_her_words = forms.BooleanField(label=_("These are her own words"), required=False)
    owner = forms.ChoiceField(label=_("Who does it"), choices=v.StepOwner.choices, initial=v.StepOwner.HER)
    owner_agency = forms.ModelChoiceField(label=_("Which agency"), required=False, queryset=Agency.objects.none(),
                                          help_text=_("If an agency does it."))
    owner_name = forms.CharField(label=_("Who she names"), required=False, max_length=MAX_NAME_LENGTH,
                                 help_text=_("If someone she names does it (a neighbour, her sister)."))
    status = forms.ChoiceField(label=_("Where it stands"), choices=v.StepStatus.choices, initial=v.StepStatus.AGREED)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=1, max_value=999)
    remove = forms.BooleanField(label=_("Remove this step"), required=False)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["owner_agency"].queryset = agencies

    @property
    def kept(self) -> bool:
        """Whether this row is a step of the plan to save: filled in, and not removed."""
        return self.has_changed() and not self.cleaned_data.get("remove") and bool(self.cleaned_data.get("what"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove") or not self.has_changed():
            return data
        if not (data.get("what") or "").strip():
            self.add_error("what", _("Say what the step is, or tick “Remove this step”."))
        if data.get("owner") == v.StepOwner.AGENCY and not data.get("owner_agency"):
            self.add_error("owner_agency", _("Choose the agency that does it."))
        if data.get("owner") == v.StepOwner.SOMEONE and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", _("Say who she names."))
        return data

    def details(self) -> StepDetails:
        data = self.cleaned_data
        return StepDetails(what=data["what"], in_her_words=data["in_her_words"], owner=data["owner"],
                           owner_agency=data.get("owner_agency"), owner_name=data.get("owner_name") or "",
                           status=data["status"])


StepFormSet = forms.formset_factory(StepForm, extra=BLANK_ROWS, max_num=60, absolute_max=60, validate_max=True)


def step_formset(case: Case, plan: SafetyPlan | None, data: Any = None) -> Any:
    agencies = Agency.objects.filter(area_id=case.area_id, is_active=True).order_by("name")
    steps = list(plan.steps.all()) if plan is not None else []
    initial = [{"what": step.what, "in_her_words": step.in_her_words, "owner": step.owner,
                "owner_agency": step.owner_agency_id, "owner_name": step.owner_name, "status": step.status,
                "order": step.position} for step in steps]
    return StepFormSet(data, initial=initial, prefix="steps", form_kwargs={"agencies": agencies})


def steps_in_order(formset: Any) -> list[StepDetails]:
    """The kept rows, by their order number (a row without one stays where it is on the page)."""
    rows = [(form.cleaned_data.get("order") or index + 1, index, form) for index, form in enumerate(formset)
            if form.kept]
    return [form.details() for _order, _index, form in sorted(rows, key=lambda row: (row[0], row[1]))]
