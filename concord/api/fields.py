"""Input field types: each bounded so that bad input is a 422 and never reaches the database.

Strings have a length limit and may not carry NUL or lone surrogates (PostgreSQL refuses both, as a
500). Dates and times accept exactly what their JSON Schema says, nothing pydantic would coerce.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field
from pydantic import AfterValidator, BeforeValidator, StrictInt, StringConstraints, WithJsonSchema

MAX_ID = 2**63 - 1  # a bigint primary key
EARLIEST_DATE = datetime.date(1900, 1, 1)


def _storable_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text may not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


# JSON Schema's "date" is exactly YYYY-MM-DD; pydantic alone would also take 0 (a Unix time) or a
# datetime string, which the schema calls invalid. Same for integers: "7" and true are not numbers.
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME_PATTERN = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")


def _iso_date(value: object) -> object:
    if isinstance(value, str) and DATE_PATTERN.fullmatch(value):
        return value
    raise ValueError(_("Give a date as YYYY-MM-DD."))


def _plausible_past_date(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise ValueError(_("This date is in the future."))
    if value < EARLIEST_DATE:
        raise ValueError(_("Give a date on or after %(date)s.") % {"date": EARLIEST_DATE.isoformat()})
    return value


def _local_time(value: object) -> object:
    # A time of day is local to the area: an offset cannot be stored (and SQLite refuses it).
    if isinstance(value, str) and TIME_PATTERN.fullmatch(value):
        return value
    raise ValueError(_("Give the local time as HH:MM or HH:MM:SS, without a time-zone offset."))


def _text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
                     AfterValidator(_storable_text)]


# Limits follow the model fields, and the staff UI's forms for the unbounded text fields.
RequiredName = _text(100, 1)
Name = _text(100)
Language = _text(60)
Alias = _text(200, 1)
ShortText = _text(200)
Note = _text(2000)
InHerWords = _text(5000, 1)
RecordNoteText = _text(5000, 1)
SafetyStepText = _text(1000, 1)  # concord.safety.services.MAX_STEP_LENGTH
HerWords = _text(5000)
JudgementReasonText = _text(2000, 1)
TaskOutcome = _text(300)
Narrative = _text(20000)
# A code of a vocabulary kept as data (a risk instrument, one of its items): the service looks it up,
# so an unknown one is a 422 on its field.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]

PastDate = Annotated[datetime.date, BeforeValidator(_iso_date), AfterValidator(_plausible_past_date),
                     WithJsonSchema({"type": "string", "format": "date"})]
LocalTime = Annotated[datetime.time, BeforeValidator(_local_time),
                      WithJsonSchema({"type": "string", "pattern": f"^{TIME_PATTERN.pattern}$",
                                      "description": "Local time of day, HH:MM or HH:MM:SS."})]
LocalTimeOut = Annotated[datetime.time, WithJsonSchema({"type": "string", "description": "Local time, HH:MM:SS."})]
# A moment as ISO 8601 with its offset ("2026-12-01T09:00:00+00:00"): not a number, not a naive time.
DATETIME_PATTERN = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})")


def _iso_datetime(value: object) -> object:
    if isinstance(value, str) and DATETIME_PATTERN.fullmatch(value):
        return value
    raise ValueError(_("Give a date and time as YYYY-MM-DDTHH:MM with its offset, e.g. 2026-12-01T09:00:00Z."))


AwareDateTime = Annotated[datetime.datetime, BeforeValidator(_iso_datetime),
                           WithJsonSchema({"type": "string", "format": "date-time"})]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Version = Annotated[StrictInt, Field(ge=1, le=2**31 - 1, description="The version you read; a stale one is a 409.")]
