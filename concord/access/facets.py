"""Facets: the parts of a case that someone may read or change, each granted on its own.

A case is not shown whole or not at all. The access decision (concord.policy.AccessDecision) says which
facets the actor holds, and the case page, the export, the API schemas and the timeline show a part
of the case only if its facet is held. A later capability adds its facet here (risk answers, the
safety plan, a referral packet, a conference item) and asks the same decision.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Facet(models.TextChoices):
    CORE = "core", _("Core record: people, agencies, incident summaries")
    INCIDENT_NARRATIVES = "incident_narratives", _("What happened at each incident")
    NEEDS = "needs", _("Her needs, in her words")
    CONSENT = "consent", _("Her consent decisions and notes")
    PROTECTED = "protected", _("Where she is and how to reach her")
    CONTACT_CHANNELS = "contact_channels", _("How she may be contacted")
    OVERRIDES = "overrides", _("Other agencies' overrides")
    ACCESS_LOG = "access_log", _("Who has seen this record")
    # Her answers to a risk assessment, her own view and words, a judgement's written reason. The risk
    # level and its reasons are in the core record: every agency on the case sees them (issue 15).
    RISK_ANSWERS = "risk_answers", _("Risk assessment answers")
    # Room for the capabilities that follow; nothing shows them yet.
    SAFETY_PLAN = "safety_plan", _("Safety plan")
    REFERRAL_PACKET = "referral_packet", _("Referral packet")
    CONFERENCE_ITEM = "conference_item", _("Conference item")


F = Facet

# Her protected information: only with need-to-know (the lead agency, or a grant), never for an agency
# that works with the person causing harm, and never through an override.
PROTECTED_FACETS = frozenset({F.PROTECTED, F.CONTACT_CHANNELS})

# The lead agency's oversight of the case: nobody else holds these.
LEAD_ONLY_FACETS = frozenset({F.OVERRIDES, F.ACCESS_LOG})

# What her consent to share with an agency opens: the case she agreed to share, without her protected
# information (need-to-know) and without the lead agency's oversight.
CONSENT_FACETS = frozenset(Facet) - PROTECTED_FACETS - LEAD_ONLY_FACETS

LEAD_FACETS = frozenset(Facet)

# An override opens what its purpose names; these by default.
OVERRIDE_DEFAULT_FACETS = frozenset({F.CORE, F.INCIDENT_NARRATIVES})
# What an override may open at most: never protected details (that needs a separate need-to-know
# grant) and never the lead agency's oversight. The core record always comes with it.
OVERRIDE_CHOOSABLE_FACETS = CONSENT_FACETS

NEED_TO_KNOW_FACETS = PROTECTED_FACETS

# Never held by an agency that works with the person causing harm, on any basis (her consent, an
# override, even as lead): where she is and how to reach her, and what she says of her risk and her
# plans to be safe. Such an agency sees the risk level and its reasons, never her answers (issue 15).
NEVER_FOR_PERPETRATOR_FACING = PROTECTED_FACETS | {F.RISK_ANSWERS, F.SAFETY_PLAN}


def facet_labels(codes) -> list[str]:
    """Labels in the vocabulary's order, for a page or a form."""
    wanted = set(codes)
    return [str(facet.label) for facet in Facet if facet in wanted]
