"""Her contact rules (`/cases/{reference}/contact-rules`): how she says she may be contacted, and what
the outbound gate reads before it sends her anything. They are the survivor's, one set across all her
cases: read and changed through any case your agency may see with her contact details (a case you may
not see answers 404; one you see without them, 403), and a change holds on every case."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from concord.access.facets import Facet
from concord.contact import selectors
from concord.contact.services import contact_rules_set
from concord.policy import AccessDecision, Action

from .errors import responses
from .params import Reference
from .reads import case_access, log_read, shown_fields
from .schemas import ContactRulesIn, ContactRulesOut

on_case = Router(tags=["contact rules"])

RULES = "contact_rules"


def _access(request: HttpRequest, reference: str, *, change: bool = False) -> AccessDecision:
    access = case_access(request, reference)
    allowed = access.sees(Facet.CONTACT_CHANNELS) and (not change or access.may(Action.RECORD_CONTACT_CONSENT))
    if not allowed:
        raise PermissionDenied(_("Your agency's access to this case does not include how she may be contacted."))
    return access


def _rules(access: AccessDecision) -> dict[str, Any]:
    person = access.case.survivor
    shown = selectors.contact_rules_of(person)
    if shown is None:
        # What the gate does without them: nothing is sent.
        return {"recorded": False, "safe_channels": [], "safe_times": [], "voicemail_ok": False,
                "may_name_agency": False, "never_post_home": True, "third_party": "", "code_word": "",
                "version": None, "updated_at": None,
                "summary": _("Not recorded: ask how %(they)s may be contacted before anyone sends anything. "
                             "Concord sends nothing until then.") % {"they": person.pronoun_forms.they}}
    rules = shown.rules
    stored = {name: getattr(rules, name) for name in ("safe_channels", "safe_times", "voicemail_ok",
                                                          "may_name_agency", "never_post_home", "third_party",
                                                          "code_word", "version", "updated_at")}
    return {"recorded": True, "summary": shown.sentence, **stored}


@on_case.get("/{reference}/contact-rules", response=responses({200: ContactRulesOut}, 401, 403, 404, 422),
             summary="Her contact rules: the survivor's own, the same through any of her cases")
def get_contact_rules(request: HttpRequest, reference: Reference) -> dict[str, Any]:
    """Her contact rules, which are hers across all her cases: the same answer through any case your
    agency may see with her contact details (403 without them)."""
    access = _access(request, reference)
    rules = _rules(access)
    log_read(access, RULES, None, shown_fields(ContactRulesOut, access))
    return rules


@on_case.put("/{reference}/contact-rules", response=responses({200: ContactRulesOut}, 400, 401, 403, 404, 422),
             summary="Set her contact rules (for all her cases), from the version you read")
def set_contact_rules(request: HttpRequest, reference: Reference, payload: ContactRulesIn) -> dict[str, Any]:
    """Replace her contact rules: they are the survivor's across all her cases, addressed through any
    case your agency may see with her contact details, and the change holds on every one. Send the
    `version` you read; if someone changed them since, 422 on `version` and nothing is saved."""
    access = _access(request, reference, change=True)
    changes = payload.model_dump(exclude={"version"})
    contact_rules_set(access=access, changes=changes, version=payload.version)
    return _rules(access)
