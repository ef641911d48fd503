"""What the risk app does when the case record changes: an incident recorded or edited may change
the level (the escalation rules) and makes a reassessment due."""


def incident_saved_reconsider(sender, *, incident, access, **kwargs) -> None:
    from .services import reconsider

    reconsider(incident.case)
