"""Path parameters, bounded so that a malformed one is a 422 and never reaches a query."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from typing import Annotated

from ninja import Path

from .fields import MAX_ID

# Area codes are slugs (letters, digits, "-", "_"), so references are looser than AREA-YYYY-NNNNN.
Reference = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="Case reference, e.g. NTH-2026-00042.")]
IncidentId = Annotated[int, Path(ge=1, le=MAX_ID)]
NeedId = Annotated[int, Path(ge=1, le=MAX_ID)]
TaskId = Annotated[int, Path(ge=1, le=MAX_ID)]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID)]
AreaId = Annotated[int, Path(ge=1, le=MAX_ID)]
AgencyId = Annotated[int, Path(ge=1, le=MAX_ID)]
ReferralId = Annotated[int, Path(ge=1, le=MAX_ID)]
MeetingId = Annotated[int, Path(ge=1, le=MAX_ID)]
