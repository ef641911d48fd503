"""The words of her contact rules: the channels she may be reached by, and why a message was refused."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    # The first four share their values with the consent ledger's contact channels (migrated from it).
    PHONE_CALL = "phone_call", _("Phone call")
    TEXT_MESSAGE = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "post", _("Letter")
    THIRD_PARTY = "third_party", _("Through a named person")


class Refusal(models.TextChoices):
    """Why the gate did not send a message. Each is a rule she set, or the absence of one: without her
    rules nothing is sent (a message is never the safe default)."""

    NO_RULES = "no_rules", _("She has not said how she may be contacted")
    CHANNEL_NOT_SAFE = "channel_not_safe", _("She has not said this channel is safe")
    NO_SAFE_ADDRESS = "no_safe_address", _("There is no number or address she says is safe for this channel")
    ADDRESS_NOT_SAFE = "address_not_safe", _("She has said this number or address is not safe")
    OUTSIDE_SAFE_TIMES = "outside_safe_times", _("It is outside the times she says are safe")
    NAMES_AGENCY = "names_agency", _("It names the agency, and she has not agreed to that")
    VOICEMAIL = "voicemail", _("She has said no voicemail")
    POST_TO_HOME = "post_to_home", _("She has said never to send post to her home address")
    NO_TRANSPORT = "no_transport", _("Concord cannot send by this channel")


class MessageStatus(models.TextChoices):
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    REFUSED = "refused", _("Not sent")
    FAILED = "failed", _("Could not be delivered")
