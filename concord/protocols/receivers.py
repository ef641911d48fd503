"""What the protocols answer in the case record: an incident the police attended, one where an arrest
was made, one where a court order or bail condition was breached (on recording, or on the edit that
says so: a protocol opens one task per incident and trigger whatever the number of saves)."""

from concord.cases.vocabularies import YesNoUnknown

from . import vocabularies as v

INCIDENT_TRIGGERS = (("police_attended", v.Trigger.POLICE_INCIDENT), ("arrest_made", v.Trigger.ARREST),
                     ("order_breached", v.Trigger.ORDER_BREACHED))


def incident_saved_fire(sender, *, incident, access, **kwargs) -> None:
    from .services import fire

    for field, trigger in INCIDENT_TRIGGERS:
        if getattr(incident, field) == YesNoUnknown.YES:
            fire(trigger, incident.case, subject=f"incident:{incident.pk}")
