"""Signals the case record sends for the capabilities built on it, so that the case app needs to know
nothing of them: the risk level, for one, is reconsidered whenever an incident is recorded or edited.
Sent inside the writer's transaction, after its timeline event: what a receiver writes is part of
the same change, and reads after it on the timeline."""

from django.dispatch import Signal

# kwargs: incident, access (the writer's decision, taken before the write)
incident_saved = Signal()
