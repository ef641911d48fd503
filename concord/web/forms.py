"""Forms of the staff UI. They validate input; services decide and write."""

from __future__ import annotations

import dataclasses
import datetime

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.access.facets import OVERRIDE_CHOOSABLE_FACETS, OVERRIDE_DEFAULT_FACETS, Facet
from concord.accounts.models import PERPETRATOR_FACING_SECTORS, Agency, Sector, User
from concord.cases import vocabularies as v
from concord.cases.models import Case, Incident, Need
from concord.cases.records import IncidentDetails, NeedDetails, PersonCausingHarm
from concord.consent import vocabularies as cv
from concord.consent.services import MAX_OVERRIDE_DAYS
from concord.people import vocabularies as pv
from concord.people.details import PERSON_FIELDS, ContactDetails, PersonDetails
from concord.people.models import Person
from concord.risk.vocabularies import RiskLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _not_future(day: datetime.date | None) -> datetime.date | None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return day


SAFE_TO_USE_CHOICES = [("", _("Not asked yet")), ("yes", _("Yes")), ("no", _("No — do not use"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class VersionedForm(forms.Form):
    """Carries the version of the record the form was drawn from (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonDetailsForm(forms.Form):
    """A person's own details: at intake, and when they are corrected on the case later."""

    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    known_as = forms.CharField(label=_("Known as"), max_length=100, required=False,
                               help_text=_("The name they use, if different."))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=120,
                                       help_text=_("Only if the date of birth is not known."))
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", "—")] + pv.Gender.choices)
    gender_self_description = forms.CharField(
        label=_("Gender, in their own words"), max_length=100, required=False,
        help_text=_("If they describe their gender in another way."))
    pronouns = forms.ChoiceField(
        label=_("Pronouns"), required=False, choices=[("", _("Not recorded"))] + pv.Pronouns.choices,
        help_text=_("How the case speaks of them. Not recorded: by their gender, or they/them."))
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False, choices=[("", "—")] + pv.Ethnicity.choices)
    disability = forms.ChoiceField(label=_("Disability"), required=False,
                                   choices=[("", "—")] + pv.YesNoPreferNot.choices)
    sexual_orientation = forms.ChoiceField(label=_("Sexual orientation"), required=False,
                                           choices=[("", "—")] + pv.SexualOrientation.choices)
    gender_identity = forms.ChoiceField(label=_("Gender identity"), required=False,
                                        choices=[("", "—")] + pv.GenderIdentity.choices)
    immigration_status = forms.ChoiceField(label=_("Immigration status"), required=False,
                                           choices=[("", "—")] + pv.ImmigrationStatus.choices)
    first_language = forms.CharField(label=_("First language"), required=False, max_length=60)
    first_language_prefer_not = forms.BooleanField(label=_("Prefers not to say their first language"),
                                                   required=False)
    interpreter_needed = forms.ChoiceField(label=_("Interpreter needed"), required=False,
                                           choices=[("", "—")] + pv.InterpreterNeeded.choices)
    income_band = forms.ChoiceField(label=_("Income"), required=False, choices=[("", "—")] + pv.IncomeBand.choices)

    DEMOGRAPHICS = ("ethnicity", "disability", "sexual_orientation", "gender_identity", "immigration_status",
                    "income_band")
    # Shown beside the name, not among the voluntary questions: whoever calls her must see them.
    LANGUAGE = ("first_language", "first_language_prefer_not", "interpreter_needed")

    @property
    def demographic_fields(self):
        return [self[name] for name in self.DEMOGRAPHICS]

    @property
    def language_fields(self):
        return [self[name] for name in self.LANGUAGE]

    def clean_date_of_birth(self):
        return _not_future(self.cleaned_data.get("date_of_birth"))

    def clean(self):
        data = super().clean()
        if data.get("first_language_prefer_not"):
            if data.get("first_language") and data["first_language"] != pv.FIRST_LANGUAGE_PREFER_NOT:
                self.add_error("first_language", _("Leave the language empty if they prefer not to say."))
            else:
                data["first_language"] = pv.FIRST_LANGUAGE_PREFER_NOT
        return data

    def details(self) -> PersonDetails:
        """Every detail of the person, blanks included: a blank clears what was recorded."""
        return PersonDetails(**{name: self.cleaned_data[name] for name in PERSON_FIELDS})

    @staticmethod
    def initial_from(person: Person) -> dict:
        initial = {name: getattr(person, name) for name in PERSON_FIELDS} | {"version": person.version}
        if person.first_language == pv.FIRST_LANGUAGE_PREFER_NOT:
            initial.update(first_language="", first_language_prefer_not=True)
        return initial


class PersonEditForm(PersonDetailsForm, VersionedForm):
    pass


class SurvivorForm(PersonDetailsForm):
    aliases = forms.CharField(
        label=_("Other names they are known by"), required=False, max_length=500,
        help_text=_("One per line: aliases, nicknames."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    previous_names = forms.CharField(
        label=_("Previous names"), required=False, max_length=500,
        help_text=_("One per line: names they no longer use, such as a surname before marriage."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mobile = forms.CharField(label=_("Mobile number"), required=False, max_length=40)
    mobile_safe = forms.TypedChoiceField(label=_("Is this number safe to contact them on?"), required=False,
                                         choices=SAFE_TO_USE_CHOICES, coerce=_yes_no, empty_value=None)

    def _lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get(name, "").splitlines() if line.strip()]

    def alias_list(self) -> list[str]:
        return self._lines("aliases")

    def previous_name_list(self) -> list[str]:
        return self._lines("previous_names")

    def contact_points(self) -> list[ContactDetails]:
        mobile = self.cleaned_data.get("mobile", "").strip()
        if not mobile:
            return []
        return [ContactDetails(kind=pv.ContactKind.MOBILE, value=mobile,
                               safe_to_use=self.cleaned_data.get("mobile_safe"))]


class PersonCausingHarmForm(forms.Form):
    harm_given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    harm_family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    harm_date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    harm_relationship = forms.ChoiceField(label=_("Relationship to the survivor"), choices=v.Relationship.choices,
                                          initial=v.Relationship.UNKNOWN)

    def clean_harm_date_of_birth(self):
        return _not_future(self.cleaned_data.get("harm_date_of_birth"))

    def clean(self):
        data = super().clean()
        if (data.get("harm_family_name") or data.get("harm_date_of_birth")) and not data.get("harm_given_name"):
            self.add_error("harm_given_name", _("Give at least a first name, or leave this section empty."))
        return data

    def details(self) -> list[PersonCausingHarm]:
        data = self.cleaned_data
        if not data.get("harm_given_name"):
            return []
        return [PersonCausingHarm(given_name=data["harm_given_name"], family_name=data.get("harm_family_name", ""),
                                  date_of_birth=data.get("harm_date_of_birth"),
                                  relationship=data["harm_relationship"])]


class IncidentForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    occurred_at_time = forms.TimeField(label=_("Time, if known"), required=False, widget=TIME_WIDGET)
    place_type = forms.ChoiceField(label=_("Where"), choices=v.PlaceType.choices, initial=v.PlaceType.UNKNOWN)
    violence_types = forms.MultipleChoiceField(label=_("Type of violence or abuse"),
                                               choices=v.ViolenceType.choices, widget=forms.CheckboxSelectMultiple)
    persons_causing_harm = forms.ModelMultipleChoiceField(
        label=_("Person(s) causing harm"), queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    injuries = forms.ChoiceField(label=_("Injuries"), choices=v.Injuries.choices, initial=v.Injuries.UNKNOWN)
    weapon_used = forms.ChoiceField(label=_("Weapon used"), choices=v.YesNoUnknown.choices,
                                    initial=v.YesNoUnknown.UNKNOWN)
    strangulation = forms.ChoiceField(label=_("Strangulation or choking"), choices=v.YesNoUnknown.choices,
                                      initial=v.YesNoUnknown.UNKNOWN)
    children_present = forms.ChoiceField(label=_("Children present"), choices=v.YesNoUnknown.choices,
                                         initial=v.YesNoUnknown.UNKNOWN)
    police_attended = forms.ChoiceField(label=_("Police attended"), choices=v.YesNoUnknown.choices,
                                        initial=v.YesNoUnknown.UNKNOWN)
    # Not required: left out, they are not known (a form from before they were asked still saves).
    arrest_made = forms.ChoiceField(label=_("Arrest made"), choices=v.YesNoUnknown.choices,
                                    initial=v.YesNoUnknown.UNKNOWN, required=False)
    order_breached = forms.ChoiceField(label=_("A court order or bail condition breached"),
                                       choices=v.YesNoUnknown.choices, initial=v.YesNoUnknown.UNKNOWN,
                                       required=False)
    reporting_agency = forms.ModelChoiceField(label=_("Reported to"), queryset=Agency.objects.none(),
                                              required=False)
    narrative = forms.CharField(label=_("What happened"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, case: Case | None = None, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        area_id = case.area_id if case else area.pk if area else None
        self.fields["reporting_agency"].queryset = Agency.objects.filter(area_id=area_id, is_active=True)
        if case is not None:
            self.fields["persons_causing_harm"].queryset = Person.objects.filter(
                case_roles__case=case, case_roles__role=v.ParticipantRole.PERSON_CAUSING_HARM)
        else:
            del self.fields["persons_causing_harm"]

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data.get("occurred_on"))

    def details(self) -> IncidentDetails:
        data = self.cleaned_data
        return IncidentDetails(
            occurred_on=data["occurred_on"], violence_types=tuple(data["violence_types"]),
            occurred_at_time=data.get("occurred_at_time"), place_type=data["place_type"], injuries=data["injuries"],
            weapon_used=data["weapon_used"], strangulation=data["strangulation"],
            children_present=data["children_present"], police_attended=data["police_attended"],
            arrest_made=data.get("arrest_made") or v.YesNoUnknown.UNKNOWN,
            order_breached=data.get("order_breached") or v.YesNoUnknown.UNKNOWN,
            reporting_agency=data.get("reporting_agency"), narrative=data.get("narrative", ""),
        )

    @staticmethod
    def initial_from(incident: Incident) -> dict:
        initial = {name: getattr(incident, name) for name in (
            "occurred_on", "occurred_at_time", "place_type", "injuries", "weapon_used", "strangulation",
            "children_present", "police_attended", "arrest_made", "order_breached", "reporting_agency", "narrative",
            "version")}
        initial["violence_types"] = incident.violence_type_codes
        initial["persons_causing_harm"] = list(incident.persons_causing_harm.all())
        return initial


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Your agency's note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    """The lead agency correcting another agency's record says why (the author is told on the page)."""

    correction_reason = forms.CharField(label=_("Why you are correcting another agency's record"), max_length=500,
                                        required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentEditForm(IncidentForm, VersionedForm, CorrectionForm):
    pass


class NeedForm(forms.Form):
    in_her_words = forms.CharField(label=_("What the survivor needs, in their own words"), max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Category"), choices=v.NeedCategory.choices)
    priority = forms.ChoiceField(label=_("The survivor's priority"), choices=v.NeedPriority.choices,
                                 initial=v.NeedPriority.MEDIUM)

    def details(self) -> NeedDetails:
        data = self.cleaned_data
        return NeedDetails(in_her_words=data["in_her_words"], category=data["category"], priority=data["priority"])


class NeedEditForm(NeedForm, VersionedForm, CorrectionForm):
    status = forms.ChoiceField(label=_("Status"), choices=v.NeedStatus.choices)

    def details(self) -> NeedDetails:
        return dataclasses.replace(super().details(), status=self.cleaned_data["status"])

    @staticmethod
    def initial_from(need: Need) -> dict:
        return {name: getattr(need, name) for name in ("in_her_words", "category", "priority", "status", "version")}


class IntakeNeedForm(forms.Form):
    """The first need at intake is optional: a worker may not have asked yet."""

    need_in_her_words = forms.CharField(label=_("What the survivor needs, in their own words"), max_length=5000,
                                        required=False, widget=forms.Textarea(attrs={"rows": 2}))
    need_category = forms.ChoiceField(label=_("Category"), choices=v.NeedCategory.choices,
                                      initial=v.NeedCategory.SAFETY)
    need_priority = forms.ChoiceField(label=_("The survivor's priority"), choices=v.NeedPriority.choices,
                                      initial=v.NeedPriority.HIGH)

    def details(self) -> list[NeedDetails]:
        data = self.cleaned_data
        if not data.get("need_in_her_words", "").strip():
            return []
        return [NeedDetails(in_her_words=data["need_in_her_words"].strip(), category=data["need_category"],
                            priority=data["need_priority"])]


class InvolveAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Why they are involved"), max_length=200, required=False)
    consent_method = forms.ChoiceField(
        label=_("Has the survivor agreed to share the case with them?"), required=False,
        choices=[("", _("Not yet: they will not see the case until the survivor agrees"))]
        + [(value, _("Yes, %(how)s") % {"how": str(label).lower()}) for value, label in cv.Method.choices],
    )
    may_correct_details = forms.BooleanField(
        label=_("They may correct the survivor's details and the people on the case"), required=False,
        help_text=_("Otherwise only your agency does. Never for agencies working with the person causing harm."))

    def __init__(self, *args, case: Case, on_case: set[int] | None = None, agencies: list[Agency] | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if on_case is None:
            on_case = set(case.involvements.filter(ended_at__isnull=True).values_list("agency_id", flat=True))
        on_case = on_case | {case.lead_agency_id}
        self.fields["agency"].queryset = (Agency.objects.filter(area_id=case.area_id, is_active=True)
                                          .exclude(pk__in=on_case))
        if agencies is not None:
            # The case page already holds the area's agencies: offer them without asking again.
            self.fields["agency"].choices = [("", "---------")] + [
                (agency.pk, agency.name) for agency in agencies if agency.is_active and agency.pk not in on_case]


class CloseCaseForm(VersionedForm):
    closure_reason = forms.ChoiceField(label=_("Why is support ending?"), choices=v.ClosureReason.choices)
    closure_note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class AddPersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=v.ParticipantRole.choices)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    relationship = forms.ChoiceField(label=_("Relationship to the survivor"), choices=v.Relationship.choices,
                                     initial=v.Relationship.UNKNOWN)

    def clean_date_of_birth(self):
        return _not_future(self.cleaned_data.get("date_of_birth"))

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(given_name=data["given_name"], family_name=data.get("family_name", ""),
                             date_of_birth=data.get("date_of_birth"))


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + v.CaseStatus.choices)
    lead = forms.ChoiceField(label=_("Lead"), required=False, choices=[
        ("", _("Any lead agency")), ("mine", _("My agency leads")), ("others", _("Another agency leads"))])
    updated = forms.TypedChoiceField(label=_("Updated"), required=False, coerce=int, empty_value=None, choices=[
        ("", _("Any time")), ("7", _("In the last 7 days")), ("30", _("In the last 30 days"))])
    risk = forms.ChoiceField(label=_("Risk level"), required=False,
                             choices=[("", _("Any risk level"))] + RiskLevel.choices + [("none", _("Not assessed"))])


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("What is the survivor deciding about?"), choices=cv.Scope.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False,
                                    help_text=_("For sharing with, or referring to, one agency."))
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", "—")] + Sector.choices,
                               help_text=_("For sharing with every agency of a sector."))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", "—")] + cv.Channel.choices,
                                help_text=_("For how the survivor may be contacted."))
    decision = forms.ChoiceField(label=_("The survivor's decision"), choices=cv.Decision.choices,
                                 widget=forms.RadioSelect)
    method = forms.ChoiceField(label=_("How the survivor gave it"), choices=cv.Method.choices, widget=forms.RadioSelect)
    expires_on = forms.DateField(label=_("Expires on (optional)"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("In their own words (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(area_id=case.area_id, is_active=True)
        if access is not None and not (access.may("record_sharing_consent") or access.may("record_contact_consent")):
            # Her agreement is recorded by the lead agency; anyone she tells records a refusal.
            self.fields["decision"].choices = [(value, label) for value, label in cv.Decision.choices
                                               if value != cv.Decision.GIVEN]

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return day

    def decision_details(self) -> dict:
        data = self.cleaned_data
        expires = data.get("expires_on")
        return {
            "scope": data["scope"], "agency": data.get("agency"), "sector": data.get("sector", ""),
            "channel": data.get("channel", ""), "decision": data["decision"], "method": data["method"],
            "note": data.get("note", ""),
            "expires_at": datetime.datetime.combine(expires, datetime.time.max, timezone.get_current_timezone())
            if expires else None,
        }


class OverrideForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency that needs access"), queryset=Agency.objects.none())
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=cv.LegalBasis.choices)
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE_WIDGET,
                                 help_text=_("30 days from today unless you say otherwise; 90 at most."))
    facets = forms.MultipleChoiceField(
        label=_("What it opens"), widget=forms.CheckboxSelectMultiple,
        choices=[(f.value, f.label) for f in Facet if f in OVERRIDE_CHOOSABLE_FACETS and f != Facet.CORE],
        initial=sorted(OVERRIDE_DEFAULT_FACETS - {Facet.CORE}), required=False,
        help_text=_("The core record (people, agencies, incident summaries) always; only what the purpose needs "
                    "besides. Never the survivor's locations or contact details: share those on need-to-know."))

    def __init__(self, *args, case: Case, renewing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (Agency.objects.filter(area_id=case.area_id, is_active=True)
                                          .exclude(pk=case.lead_agency_id))
        if renewing is not None:
            # A renewal is for the same agency; its basis and purpose are offered again, the reason is new.
            self.fields["agency"].initial = renewing.agency_id
            self.fields["agency"].disabled = True
            self.fields["legal_basis"].initial = renewing.legal_basis
            self.fields["facets"].initial = [f for f in renewing.facets if f != Facet.CORE]
            self.fields["reason"].help_text = _("Why it is still needed: the reason given last time was "
                                                "“%(reason)s”.") % {"reason": renewing.reason}

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("That day has passed: an override runs from now to a day from today on "
                                          "(at most 90 days ahead)."))
        return day

    def expires_at(self):
        """The end of the chosen day; on the 90th day, exactly 90 days from now, the longest allowed."""
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        end_of_day = datetime.datetime.combine(day, datetime.time.max, timezone.get_current_timezone())
        longest = timezone.now() + datetime.timedelta(days=MAX_OVERRIDE_DAYS)
        return longest if day == timezone.localdate(longest) else end_of_day


class ProtectedGrantForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Why they need to know"), max_length=2000)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.filter(area_id=case.area_id, is_active=True).exclude(pk=case.lead_agency_id)
            .exclude(sector__in=PERPETRATOR_FACING_SECTORS))


class LocationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=pv.LocationKind.choices)
    address = forms.CharField(label=_("Address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class AliasForm(forms.Form):
    alias_name = forms.CharField(label=_("Name"), max_length=200)
    alias_kind = forms.ChoiceField(label=_("Kind of name"), choices=pv.AliasKind.choices,
                                   initial=pv.AliasKind.PREVIOUS_NAME)


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=pv.ContactKind.choices)
    value = forms.CharField(label=_("Number or e-mail address"), max_length=254)
    safe_to_use = forms.TypedChoiceField(label=_("Does the survivor say it is safe to use?"), required=False,
                                         choices=SAFE_TO_USE_CHOICES, coerce=_yes_no, empty_value=None)
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False,
                           help_text=_("For example: when it is safe to call."))

    def clean(self):
        data = super().clean()
        value, kind = data.get("value", ""), data.get("kind")
        if kind == pv.ContactKind.EMAIL:
            try:
                validators.validate_email(value)
            except forms.ValidationError:
                self.add_error("value", _("Enter an e-mail address, such as name@example.org."))
        elif kind and sum(ch.isdigit() for ch in value) < 6:
            self.add_error("value", _("Enter a phone number."))
        return data

    def details(self) -> ContactDetails:
        data = self.cleaned_data
        return ContactDetails(kind=data["kind"], value=data["value"], safe_to_use=data.get("safe_to_use"),
                              note=data.get("note", ""))


class ContactSafetyForm(forms.Form):
    """Whether she says a number or address is safe. Marking one not safe is one click (a reason is
    welcome); marking safe again one she said he can read needs a reason and a confirmation."""

    safe_to_use = forms.TypedChoiceField(label=_("Safe to use"), choices=[("yes", _("Yes")), ("no", _("No"))],
                                         coerce=_yes_no, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why (optional)"), max_length=1000, required=False)
    confirm = forms.BooleanField(
        label=_("I have checked with the survivor, away from the person causing harm, that the person causing harm "
                "can no longer read or use it"), required=False)

    def __init__(self, *args, marked_not_safe: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The note is stripped like every CharField: whitespace alone is no reason, and is refused as empty.
        if marked_not_safe:
            self.fields["note"].label = _("Why it is safe again")
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _(
                "Write why it is safe to use again (what she told you, and when).")
            self.fields["confirm"].required = True
            self.fields["confirm"].error_messages["required"] = _(
                "Confirm that you checked with the survivor, away from the person causing harm.")
            self.initial.setdefault("safe_to_use", "yes")
        else:
            del self.fields["confirm"]
            self.initial.setdefault("safe_to_use", "no")


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)


class CaseWorkerForm(forms.Form):
    """Who holds the case for the actor's own agency: one of its staff who work cases, or nobody."""

    worker = forms.ModelChoiceField(label=_("Worker"), queryset=User.objects.none(), required=False,
                                    empty_label=_("No named worker"))

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        from concord.accounts.selectors import casework_memberships

        self.fields["worker"].queryset = User.objects.filter(
            pk__in=casework_memberships(agency).values("user_id")).order_by("last_name", "first_name")
        self.fields["worker"].label = _("Worker for %(agency)s") % {"agency": agency.name}


class SummaryPdfForm(forms.Form):
    """What a printed summary is for: its footer says so to whoever finds it, and the access log to her."""

    purpose = forms.ChoiceField(label=_("What it is for"), choices=[("", "—"), *v.ExportPurpose.choices])
    detail = forms.CharField(label=_("More about it (optional; needed for “something else”)"), max_length=160,
                             required=False, help_text=_("For example, the hearing's date or the service it goes to. "
                                                         "It is printed on every page."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == v.ExportPurpose.OTHER and not cleaned.get("detail"):
            self.add_error("detail", _("Say what the summary is for."))
        return cleaned
