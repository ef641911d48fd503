"""The case page's body, kept once rendered, and used again for the same reader while nothing it shows
has changed.

Reading a case's dozen sections and rendering them is most of what the page costs (some 30 ms of a
server's time); a worker comes back to the same case again and again (from the home list, the back
button, a task, after reading a referral). A kept body is used only when everything it was made from
is unchanged, so a reader is never shown anything older than a fresh page would show:

- what is on the case: the newest change of the case and the newest change of what every case shows
  (concord.cases.changes: the database's triggers log every write, whoever makes it). They are read
  before anything else of the request, so a body is never older than the changes it is kept under;
- who reads it: the user, the membership they act for and their whole access decision (facets,
  actions, bases, restriction), which is worked out afresh on every request before the body is looked
  for, so a withdrawal, an expiry or a restriction takes effect at once, and a case the reader may no
  longer see is a 404 as before;
- how it was written: the language and the time zone;
- the minute: what the body says about time (a task overdue, an override in force) is never more than
  a minute behind the clock.

The body holds nothing of the request: the CSRF token is written in on the way out, and the messages,
the menus and the access-log entry are the request's own, as before. Bodies are kept in the memory
of the process that rendered them (the `case_pages` cache, LocMemCache: never written to disk, to the
database or to a shared cache, for a page holds her details), for a minute at most.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from concord.cases.changes import newest_by_reference
from concord.policy import AccessDecision

CACHE = "case_pages"
# Stands for the request's CSRF token in a kept body: random per process, so no text typed into a case
# can contain it.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"


class Stamp:
    """What a case looked like when the request began: its newest change and every case's."""

    def __init__(self, area_id: int, reference: str):
        self.own, self.everyone = newest_by_reference(connection, area_id, reference)
        self.minute = this_minute()


def this_minute() -> str:
    return timezone.now().replace(second=0, microsecond=0).isoformat()


def key_of(access: AccessDecision, stamp: Stamp) -> str:
    actor = access.actor
    decision = (access.case.pk, access.visible, access.bases, sorted(access.facets), sorted(access.actions),
                access.restricted_named, access.own_agency_id, sorted(access.agencies_with_access),
                access.overrides_in_force, access.need_to_know_grants)
    made = (actor.user.pk, actor.membership.pk, actor.membership.role, repr(decision), stamp.own, stamp.everyone,
            stamp.minute, translation.get_language(), timezone.get_current_timezone_name())
    return "case-page:" + hashlib.blake2b(repr(made).encode(), digest_size=20).hexdigest()


def body(request: HttpRequest, access: AccessDecision, stamp: Stamp, render: Callable[[dict], str]) -> SafeString:
    """The body for this reader: kept, or rendered now by `render(extra_context)` and kept."""
    key = key_of(access, stamp)
    kept = caches[CACHE].get(key)
    if kept is None:
        kept = render({"csrf_token": CSRF_PLACEHOLDER})
        caches[CACHE].set(key, str(kept))
    return mark_safe(kept.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 (rendered by the template)
