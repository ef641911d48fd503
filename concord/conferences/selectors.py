"""Reading the conference's records."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max

from concord.access.facets import Facet
from concord.policy import AccessDecision

from . import vocabularies as v
from .models import ConferenceAction, ConferenceReferral


def last_referred(case_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these cases was last referred to the conference (a withdrawn referral does not
    count): where the repeat window starts (one grouped query)."""
    return dict(ConferenceReferral.objects.filter(case_id__in=list(case_ids))
                .exclude(status=v.ConferenceReferralStatus.WITHDRAWN).values("case_id")
                .annotate(last=Max("referred_at")).values_list("case_id", "last"))


@dataclass(frozen=True)
class ConferenceOnCase:
    """The case's conference history as the case page shows it: each referral, where it stands, the
    meeting that discussed it, and its actions (owner, due, status). Never the summary or research."""

    referrals: list[ConferenceReferral]
    actions: list[ConferenceAction]


def on_case(access: AccessDecision) -> ConferenceOnCase | None:
    """For a reader holding the conference item on a case it may open (two queries)."""
    if not access.sees(Facet.CONFERENCE_ITEM):
        return None
    referrals = list(ConferenceReferral.objects.filter(case=access.case).select_related("meeting")
                     .order_by("-referred_at", "-pk"))
    actions = list(ConferenceAction.objects.filter(referral__case=access.case).select_related("owner_agency")
                   .order_by("due_at", "pk")) if any(r.meeting_id for r in referrals) else []
    return ConferenceOnCase(referrals=referrals, actions=actions)
