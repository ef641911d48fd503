"""The forms of the conference's meetings: scheduling and changing one, its agenda, who attended,
each agency's research on a case, the discussion, the actions agreed, and closing an action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Agency, Area, User
from concord.conferences import vocabularies as v
from concord.conferences.models import ConferenceSeries, Meeting

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class VersionForm(forms.Form):
    """A change to a record someone else may have changed since the page was drawn: its version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _staff_of(agencies) -> forms.models.QuerySet:
    return (User.objects.filter(memberships__agency__in=agencies, memberships__is_active=True, is_active=True,
                                is_service_account=False).distinct().order_by("first_name", "last_name", "id"))


class MeetingForm(forms.Form):
    series = forms.ModelChoiceField(label=_("Conference series"), queryset=ConferenceSeries.objects.none())
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    chair = StaffChoice(label=_("Chair"), queryset=User.objects.none(), required=False,
                        help_text=_("A member of staff of one of the agencies invited."))
    invited = forms.ModelMultipleChoiceField(
        label=_("Agencies invited"), queryset=Agency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They read the agenda's cases from its release. The coordinator reads them anyway."))

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series = ConferenceSeries.objects.filter(area=area)
        # The series' schedule: its next meeting falls this many days after the last one.
        first = series.first()
        if first is not None and not self.is_bound and "held_at" not in self.initial:
            self.initial["held_at"] = first.next_meeting_at()
        agencies = Agency.objects.filter(area=area, is_active=True).order_by("name")
        self.fields["invited"].queryset = agencies
        self.fields["chair"].queryset = _staff_of(agencies)


class MeetingChangeForm(MeetingForm, VersionForm):
    """The meeting's date, chair and invited agencies (not its series)."""

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("initial", {"held_at": meeting.held_at, "chair": meeting.chair_id,
                                      "invited": list(meeting.invited.values_list("pk", flat=True)),
                                      "version": meeting.version})
        super().__init__(*args, area=meeting.series.area, **kwargs)
        del self.fields["series"]


class AttendanceForm(forms.Form):
    """For each invited agency: attended, sent apologies or did not attend, and who came."""

    def __init__(self, *args, meeting: Meeting, recorded: dict[int, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(meeting.invited.order_by("name"))
        for agency in self.agencies:
            status, names = recorded.get(agency.pk, ("", ""))
            self.fields[f"status_{agency.pk}"] = forms.ChoiceField(
                label=agency.name, choices=v.AttendanceStatus.choices,
                widget=forms.RadioSelect, initial=status or None)
            self.fields[f"names_{agency.pk}"] = forms.CharField(
                label=_("Who came for %(agency)s") % {"agency": agency.name}, required=False, max_length=300,
                initial=names)

    def rows(self):
        """Each agency with its two fields, for a fieldset each."""
        return [(agency, self[f"status_{agency.pk}"], self[f"names_{agency.pk}"]) for agency in self.agencies]

    def lines(self) -> list[tuple[Agency, str, str]]:
        data = self.cleaned_data
        return [(agency, data[f"status_{agency.pk}"], data[f"names_{agency.pk}"]) for agency in self.agencies]


class ResearchForm(VersionForm):
    involvement = forms.CharField(label=_("Your agency's involvement with her"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    incidents = forms.CharField(label=_("Relevant incidents your agency knows of"), required=False,
                                max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    risks = forms.CharField(label=_("Risks you know of"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    children = forms.CharField(label=_("Children"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    her_views = forms.CharField(label=_("Her views and wishes, as she gave them to you"), required=False,
                                max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Never shown to agencies working with the person causing harm."))
    nothing_held = forms.BooleanField(label=_("Our agency holds nothing on her"), required=False)

    def __init__(self, *args, perpetrator_facing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if perpetrator_facing:  # an agency working with him does not speak for her views
            del self.fields["her_views"]


class DiscussionForm(VersionForm):
    summary = forms.CharField(label=_("Summary of the discussion"), max_length=8000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Shared with every agency at the meeting: what was said, not her "
                                          "address or how to reach her."))


class ActionForm(forms.Form):
    owner_agency = forms.ModelChoiceField(label=_("Agency responsible"), queryset=Agency.objects.none())
    worker = StaffChoice(label=_("Named worker (if known)"), queryset=User.objects.none(), required=False)
    description = forms.CharField(label=_("What is to be done"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due by"), widget=DATE_WIDGET)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = meeting.invited.order_by("name")
        self.fields["owner_agency"].queryset = invited
        self.fields["worker"].queryset = _staff_of(invited)


class ActionCloseForm(VersionForm):
    CHOICES = [(code, label) for code, label in v.ActionStatus.choices if code != v.ActionStatus.OPEN]

    status = forms.ChoiceField(label=_("What happened"), choices=CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("If blocked, what changed in her circumstances; if not done, why"),
                             required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
