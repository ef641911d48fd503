"""Reading the conference's records."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Max

from . import vocabularies as v
from .models import ConferenceReferral


def last_referred(case_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these cases was last referred to the conference (a withdrawn referral does not
    count): where the repeat window starts (one grouped query)."""
    return dict(ConferenceReferral.objects.filter(case_id__in=list(case_ids))
                .exclude(status=v.ConferenceReferralStatus.WITHDRAWN).values("case_id")
                .annotate(last=Max("referred_at")).values_list("case_id", "last"))
