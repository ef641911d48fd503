"""Every combination of her rules against every message: the decision lets through exactly what her
rules allow, and names every rule a refused message broke."""

import datetime
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from concord.contact.rules import SENDABLE, Message, Rules, SafeTime, refusals
from concord.contact.vocabularies import ContactChannel, Refusal

LONDON = zoneinfo.ZoneInfo("Europe/London")
ADDRESSES = ["a", "b", "c"]

windows = st.builds(
    lambda days, start, length: SafeTime(frozenset(days), datetime.time(start), datetime.time(min(start + length, 23))),
    st.sets(st.integers(0, 6), min_size=1), st.integers(0, 20), st.integers(1, 6))
rules = st.builds(
    Rules, safe_channels=st.frozensets(st.sampled_from(ContactChannel.values)),
    safe_times=st.lists(windows, max_size=2).map(tuple), voicemail_ok=st.booleans(),
    may_name_agency=st.booleans(), never_post_home=st.booleans(),
    safe_addresses=st.frozensets(st.sampled_from(ADDRESSES)),
    unsafe_addresses=st.frozensets(st.sampled_from(ADDRESSES)))
messages = st.builds(
    Message, channel=st.sampled_from(ContactChannel.values), to=st.sampled_from(["", *ADDRESSES]),
    at=st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31),
                    timezones=st.just(datetime.UTC)),
    names_agency=st.booleans(), to_home_address=st.booleans(), leaves_voicemail=st.booleans())


def allowed_by_hand(rule: Rules, message: Message) -> bool:
    """Her rules, read one by one as a person would."""
    local = message.at.astimezone(LONDON)
    in_time = not rule.safe_times or any(
        local.weekday() in w.days and w.start <= local.time() < w.end for w in rule.safe_times)
    return (message.channel in rule.safe_channels and message.channel in SENDABLE
            and message.to in rule.safe_addresses and message.to not in rule.unsafe_addresses and in_time
            and (rule.may_name_agency or not message.names_agency)
            and (rule.voicemail_ok or not message.leaves_voicemail))


@given(rules, messages)
def test_a_message_goes_only_when_every_rule_allows_it(rule, message):
    assert (refusals(rule, message, LONDON) == []) == allowed_by_hand(rule, message)


@given(rules, messages)
def test_every_rule_broken_is_named(rule, message):
    reasons = set(refusals(rule, message, LONDON))
    if message.channel not in rule.safe_channels:
        assert Refusal.CHANNEL_NOT_SAFE in reasons
    if message.to in rule.unsafe_addresses:
        assert Refusal.ADDRESS_NOT_SAFE in reasons
    if message.names_agency and not rule.may_name_agency:
        assert Refusal.NAMES_AGENCY in reasons
    if message.leaves_voicemail and not rule.voicemail_ok:
        assert Refusal.VOICEMAIL in reasons
    if message.channel == ContactChannel.LETTER and message.to_home_address and rule.never_post_home:
        assert Refusal.POST_TO_HOME in reasons
    if message.channel not in SENDABLE:
        assert Refusal.NO_TRANSPORT in reasons


@given(messages)
def test_without_her_rules_nothing_goes(message):
    assert refusals(None, message, LONDON) == [Refusal.NO_RULES]


def test_safe_times_are_read_in_her_time_zone():
    """Phone and text before 5 pm, weekdays: 16:30 in London in summer is 15:30 UTC."""
    rule = Rules(safe_channels=frozenset({"text"}), safe_addresses=frozenset({"a"}),
                 safe_times=(SafeTime(frozenset(range(5)), datetime.time(9), datetime.time(17)),))
    summer_afternoon = datetime.datetime(2026, 7, 1, 15, 30, tzinfo=datetime.UTC)  # a Wednesday
    assert refusals(rule, Message("text", "a", summer_afternoon), LONDON) == []
    assert refusals(rule, Message("text", "a", summer_afternoon + datetime.timedelta(hours=1)), LONDON) == [
        Refusal.OUTSIDE_SAFE_TIMES]
