"""What the protocols answer in the case record: an incident the police attended (on recording, or
on the edit that says so: a protocol opens one task per incident whatever the number of saves)."""

from concord.cases.vocabularies import YesNoUnknown

from . import vocabularies as v


def incident_saved_fire(sender, *, incident, access, **kwargs) -> None:
    from .services import fire

    if incident.police_attended == YesNoUnknown.YES:
        fire(v.Trigger.POLICE_INCIDENT, incident.case, subject=f"incident:{incident.pk}")
