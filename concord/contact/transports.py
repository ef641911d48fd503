"""The channels Concord can send by, as adapters. Only gate.py may call them (a test reads the code
to prove nothing else does): a message that has not passed her rules never reaches a transport.

E-mail goes through Django's mail settings (the console in the demo). Text messages go through the
provider CONCORD_TEXT_TRANSPORT names: "console" (printed), "file" (appended to
CONCORD_TEXT_OUTBOX, for the demo and tests), or the dotted path of a class with `send(to, body)`.
"""

from __future__ import annotations

import json
import sys
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string


class TextTransport(Protocol):
    def send(self, to: str, body: str) -> None: ...


class ConsoleText:
    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"[text to {to}] {body}\n")


class FileText:
    """One JSON line per message, in the file CONCORD_TEXT_OUTBOX names."""

    def send(self, to: str, body: str) -> None:
        with open(settings.CONCORD_TEXT_OUTBOX, "a", encoding="utf-8") as outbox:
            outbox.write(json.dumps({"to": to, "body": body, "at": timezone.now().isoformat()}) + "\n")


_NAMED: dict[str, type[TextTransport]] = {"console": ConsoleText, "file": FileText}


def text_transport() -> TextTransport:
    name = getattr(settings, "CONCORD_TEXT_TRANSPORT", "console")
    factory: type[TextTransport] = _NAMED.get(name) or import_string(name)
    return factory()


def send_text(to: str, body: str) -> None:
    text_transport().send(to, body)


def send_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to], fail_silently=False)
