"""Mail when no SMTP server is configured: nothing is sent, the operator is told (a system check and a
log line per message), and nobody gets a 500 from an SMTP connection that was never going to work."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.checks import Warning, register
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("concord.mail")


class NotConfiguredBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            # Who it was for stays out of the log: the subject says what was not sent.
            logger.error("Mail not sent (no CONCORD_EMAIL_HOST configured): %s", message.subject)
        return 0


@register("concord", deploy=True)
def mail_is_configured(app_configs, **kwargs):
    if settings.MAIL_CONFIGURED:
        return []
    return [Warning("No mail server is configured: password reset e-mails cannot be sent.",
                    hint="Set CONCORD_EMAIL_HOST (and CONCORD_EMAIL_PORT, CONCORD_EMAIL_USER, CONCORD_EMAIL_PASSWORD, "
                         "CONCORD_EMAIL_FROM) as the README's configuration table says.",
                    id="concord.W001")]
