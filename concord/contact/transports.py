"""The channels Concord can send by, as adapters. Only gate.py may call them (a test reads the code
to prove nothing else does): a message that has not passed her rules never reaches a transport.

E-mail goes through Django's mail settings (the console in the demo). Text messages go through the
provider CONCORD_TEXT_TRANSPORT names: "console" (printed), "file" (appended to
CONCORD_TEXT_OUTBOX, for the demo and tests), or the dotted path of a class with
`send(to, body, *, key)`.

Every send carries the gate's key for the message. A message whose sending was interrupted (the
worker killed after the transport was called, before the gate marked it sent) is handed over again
with the same key: a transport sends a key once (the file adapter looks for it; a provider adapter
passes it as the provider's idempotency key; e-mail makes it the Message-ID, which mail systems
de-duplicate on).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string


class TextTransport(Protocol):
    def send(self, to: str, body: str, *, key: str) -> None: ...


class ConsoleText:
    def send(self, to: str, body: str, *, key: str) -> None:
        sys.stdout.write(f"[text to {to}] {body}\n")


class FileText:
    """One JSON line per message, in the file CONCORD_TEXT_OUTBOX names; a key already there is not
    written again."""

    def send(self, to: str, body: str, *, key: str) -> None:
        path = Path(settings.CONCORD_TEXT_OUTBOX)
        if path.exists():
            with path.open(encoding="utf-8") as outbox:
                if any(json.loads(line).get("key") == key for line in outbox if line.strip()):
                    return
        with path.open("a", encoding="utf-8") as outbox:
            outbox.write(json.dumps({"to": to, "body": body, "key": key, "at": timezone.now().isoformat()}) + "\n")


_NAMED: dict[str, type[TextTransport]] = {"console": ConsoleText, "file": FileText}


def text_transport() -> TextTransport:
    name = getattr(settings, "CONCORD_TEXT_TRANSPORT", "console")
    factory: type[TextTransport] = _NAMED.get(name) or import_string(name)
    return factory()


def send_text(to: str, body: str, *, key: str) -> None:
    text_transport().send(to, body, key=key)


def send_email(to: str, subject: str, body: str, *, key: str) -> None:
    # The same key, the same Message-ID: a resent message is the same message to the mail system.
    message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@concord.message>"
    EmailMessage(subject, body, None, [to], headers={"Message-ID": message_id}).send()
