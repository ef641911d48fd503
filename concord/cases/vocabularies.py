"""Controlled vocabularies of the case record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    """Why support ended. None of these blames her: declining a service never closes support,
    and there is deliberately no "disengaged" or "non-compliant"."""

    NEEDS_MET = "needs_met", _("Her needs are met and she agreed to close")
    HER_CHOICE = "her_choice", _("She chose to pause support (she can come back at any time)")
    TRANSFERRED = "transferred", _("Support moved to another area's partnership")
    NO_SAFE_CONTACT = "no_safe_contact", _("No safe way to reach her for now (support stays open to her)")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    OPENED_IN_ERROR = "opened_in_error", _("Opened in error")
    DIED = "died", _("She has died")


class ExportPurpose(models.TextChoices):
    """What a printed case summary is for: said in its footer and kept in the access log, so that
    whoever finds a copy knows why it exists and she can be told where her record went."""

    COURT = "court", _("A court or hearing")
    REFERRAL = "referral", _("A referral to another service")
    MEETING = "meeting", _("A multi-agency meeting")
    HER_COPY = "her_copy", _("The survivor's own copy, gone through with their worker")
    SUPERVISION = "supervision", _("Supervision or case review")
    OTHER = "other", _("Something else (say what)")


class ParticipantRole(models.TextChoices):
    PERSON_CAUSING_HARM = "person_causing_harm", _("Person causing harm")
    CHILD = "child", _("Child")
    OTHER_ADULT = "other_adult", _("Other adult")


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Current partner")
    EX_PARTNER = "ex_partner", _("Former partner")
    FAMILY = "family", _("Family member")
    CHILD_OF_SURVIVOR = "child_of_survivor", _("Her child")
    ACQUAINTANCE = "acquaintance", _("Someone she knows")
    STRANGER = "stranger", _("Stranger")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class ViolenceType(models.TextChoices):
    # The six GBVIMS core types first, so data can be mapped to GBVIMS.
    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL_OF_RESOURCES = "denial_of_resources", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological / emotional abuse")
    COERCIVE_CONTROL = "coercive_control", _("Coercive control")
    STALKING = "stalking", _("Stalking")
    HARASSMENT = "harassment", _("Harassment")
    ONLINE_ABUSE = "online_abuse", _("Online abuse")
    TRAFFICKING = "trafficking", _("Trafficking")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    HONOUR_BASED = "honour_based", _("“Honour”-based violence")
    DOWRY_RELATED = "dowry_related", _("Dowry-related violence")
    FGM = "fgm", _("Female genital mutilation")


GBVIMS_CORE_TYPES = frozenset(list(ViolenceType)[:6])


def violence_types_in_order(codes) -> list[str]:
    """Codes in the vocabulary's order (the GBVIMS core types first), each once; unknown ones dropped."""
    codes = set(codes)
    return [code for code in ViolenceType.values if code in codes]


class PlaceType(models.TextChoices):
    HER_HOME = "her_home", _("Her home")
    SHARED_HOME = "shared_home", _("Shared home")
    PERPETRATOR_HOME = "perpetrator_home", _("Home of the person causing harm")
    OTHER_HOME = "other_home", _("Someone else's home")
    PUBLIC_PLACE = "public_place", _("Street or public place")
    WORKPLACE = "workplace", _("Workplace")
    SCHOOL = "school", _("School or college")
    VEHICLE = "vehicle", _("Vehicle")
    ONLINE = "online", _("Online / by phone")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class Injuries(models.TextChoices):
    NONE = "none", _("No visible injury")
    MINOR = "minor", _("Minor injury")
    SERIOUS = "serious", _("Serious injury")
    UNKNOWN = "unknown", _("Not known")


class NeedCategory(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal")
    FINANCIAL = "financial", _("Financial")
    IMMIGRATION = "immigration", _("Immigration")
    CHILDREN = "children", _("Children")
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")
    OTHER = "other", _("Other")


class NeedPriority(models.TextChoices):
    """Her own priority, not the worker's."""

    HIGH = "high", _("Most important to her")
    MEDIUM = "medium", _("Important")
    LOW = "low", _("Can wait")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_MET = "partly_met", _("Partly met")
    MET = "met", _("Met")
    NO_LONGER_WANTED = "no_longer_wanted", _("No longer wanted")


class CaseEventKind(models.TextChoices):
    """The case record's own timeline events (concord.cases.events); other apps declare their own."""

    OPENED = "opened", _("Case opened")
    AGENCY_INVOLVED = "agency_involved", _("Agency involved")
    AGENCY_ENDED = "agency_ended", _("Agency no longer involved")
    WORKER_ASSIGNED = "worker_assigned", _("Worker named")
    LEAD_CHANGED = "lead_changed", _("Lead agency changed")
    PARTICIPANT_ADDED = "participant_added", _("Person added")
    INCIDENT_RECORDED = "incident_recorded", _("Incident recorded")
    INCIDENT_EDITED = "incident_edited", _("Incident edited")
    NEED_RECORDED = "need_recorded", _("Need recorded")
    NEED_UPDATED = "need_updated", _("Need updated")
    NOTE_ADDED = "note_added", _("Note added")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")
    RESTRICTION_CHANGED = "restriction_changed", _("Restriction changed")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
    LOCATION_RECORDED = "location_recorded", _("Protected location recorded")
    PERSON_UPDATED = "person_updated", _("Person's details updated")
    # Adding and changing contact details read the same on the timeline: "a channel was marked unsafe"
    # is itself a safe-contact detail, and every agency on the case reads the timeline.
    CONTACT_RECORDED = "contact_recorded", _("Protected information updated")
    CONTACT_UPDATED = "contact_updated", _("Protected information updated")
