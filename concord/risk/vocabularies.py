"""The risk app's vocabularies: the words the field uses, each stored as a short code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    """Concord's own scale (concord.risk.catalogue.SCALE), lowest first. Every instrument level, every
    judgement and every escalation rule names one of these, so the case's level is their highest."""

    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


LEVEL_ORDER = {level: rank for rank, level in enumerate(RiskLevel.values)}


def highest(levels) -> str:
    """The highest of these levels ("" when there are none)."""
    return max(levels, key=LEVEL_ORDER.__getitem__, default="")


# An instrument item's answers (concord.risk.catalogue.ANSWERS), as the screens say them.
ANSWER_LABELS = {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know"), "not_answered": _("Not answered")}


class SafeToTalk(models.TextChoices):
    YES = "yes", _("Yes: free to talk now")
    NO = "no", _("No: stop, and arrange a safe time")
    NOT_SURE = "not_sure", _("Not sure")


class AssessmentChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")
    OTHER = "other", _("Another way")


class HerViewOfRisk(models.TextChoices):
    """How much danger the survivor says they are in, on the scale they are offered. Labels without a
    pronoun: the page puts them after "Her own view:" or "His own view:" (decision 11)."""

    VERY = "very", _("In great danger")
    SOME = "some", _("In some danger")
    LITTLE = "little", _("Not in danger")
    NOT_SAID = "not_said", _("Did not say")


class JudgementReason(models.TextChoices):
    EXTREME_FEAR = "extreme_fear", _("Extreme fear")
    LANGUAGE_CULTURE = "language_culture", _("Barriers to disclosure (language, culture)")
    IMMIGRATION = "immigration", _("Immigration concerns")
    HONOUR_BASED = "honour_based", _("“Honour”-based violence")
    OTHER = "other", _("Something else")


class ItemGroup(models.TextChoices):
    """How an instrument's questions are grouped on the assessment screen (its items name one)."""

    THIS_INCIDENT = "this_incident", _("This incident")
    HOW_SHE_FEELS = "how_she_feels", _("How she feels")
    HER_SITUATION = "her_situation", _("Her situation")
    CHILDREN_AND_OTHERS = "children_and_others", _("Children and others")
    PATTERN_OF_ABUSE = "pattern_of_abuse", _("The pattern of abuse")
    HIS_BEHAVIOUR = "his_behaviour", _("The behaviour of the person causing harm")
    HIS_HISTORY = "his_history", _("The history of the person causing harm")
    HER_WORDS = "her_words", _("In her words")
    PEOPLE_AROUND_HER = "people_around_her", _("The people around her")
    IMMEDIATE_DANGER = "immediate_danger", _("Immediate danger")
    OTHER_SIGNS = "other_signs", _("Other signs of danger")
    DANGER = "danger", _("Danger")
    OTHER = "other", _("Other questions")


class TaskKind(models.TextChoices):
    REFER_TO_CONFERENCE = "refer_to_conference", _("Refer to the multi-agency risk conference")
    ADVOCATE_CONTACT = "advocate_contact", _("Specialist advocate to make contact")
    SAFETY_PLAN_REVIEW = "safety_plan_review", _("Review the safety plan")
    REASSESS = "reassess", _("Reassess risk")
    # Opened by the area's protocols (issue 16).
    NOTIFY_ADVOCACY = "notify_advocacy", _("Tell the specialist advocacy service")
    ANSWER_REFERRAL = "answer_referral", _("Accept or decline the referral")
    CONTACT_SURVIVOR = "contact_survivor", _("Contact her")
    # An action agreed at the multi-agency risk conference (issue 17): its owner agency's task.
    CONFERENCE_ACTION = "conference_action", _("Conference action")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("No longer needed")


class ReasonSource(models.TextChoices):
    INSTRUMENT = "instrument", _("Risk instrument")
    JUDGEMENT = "judgement", _("Professional judgement")
    ESCALATION = "escalation", _("Escalation in the history")
    REPEAT = "repeat", _("Repeat")
