"""Her rules in one sentence, as the case page and the rules page say them before anyone contacts her."""

import pytest

from concord.contact.models import ContactRules
from concord.contact.rules import safe_times_from
from concord.contact.selectors import rules_in_a_sentence


def sentence(**fields):
    rules = ContactRules(**fields)
    return rules_in_a_sentence(rules, safe_times_from(rules.safe_times), their="her")


def test_the_example_reads_as_staff_would_say_it():
    assert sentence(safe_channels=["phone_call"], never_post_home=False,
                    safe_times=[{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}]) == (
        "Phone calls only, weekdays 9:00–17:00; no voicemail; do not say which agency is calling.")


@pytest.mark.parametrize(("fields", "expected"), [
    ({"safe_channels": []}, "No channel is safe: do not contact her."),
    ({"safe_channels": ["email", "text"], "voicemail_ok": True, "may_name_agency": True, "never_post_home": False},
     "Text messages and e-mails only, at any time; voicemail may be left; the caller may say which agency is "
     "calling."),
    ({"safe_channels": ["phone_call", "text", "post"], "third_party": "Joy", "code_word": "Bluebell",
      "safe_times": [{"days": [5, 6], "start": "10:00", "end": "12:30"}, {"days": [1, 2, 3], "start": "18:00",
                                                                          "end": "20:00"}]},
     "Phone calls, text messages and letters only, weekends 10:00–12:30 and Tue–Thu 18:00–20:00; no voicemail; "
     "do not say which agency is calling; never send post to her home address; messages may go through Joy; ask "
     "for the code word."),
    ({"safe_channels": ["text"], "never_post_home": False,
      "safe_times": [{"days": [0, 2], "start": "08:05", "end": "09:00"}]},
     "Text messages only, Mon, Wed 8:05–9:00; no voicemail; do not say which agency is calling."),
])
def test_each_rule_has_its_words(fields, expected):
    assert sentence(**fields) == expected
