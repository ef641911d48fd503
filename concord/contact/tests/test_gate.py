"""The outbound gate against the database: her rules read across her cases, every message recorded,
every refusal on the case, nothing forbidden reaching a transport, a job asked twice sending once, a
send interrupted after the transport resumed without sending twice."""

import datetime
import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from concord.accounts.models import Sector
from concord.cases.models import CaseEvent
from concord.contact import transports
from concord.contact.gate import send_to_survivor
from concord.contact.models import ContactRules, OutboundMessage
from concord.contact.vocabularies import ContactChannel, MessageStatus, Refusal
from concord.people.models import ContactPoint
from concord.testing.factories import make_actor, make_agency, make_area, make_case

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingText:
    """A text provider that keeps what it was given (CONCORD_TEXT_TRANSPORT names it)."""

    def send(self, to: str, body: str, *, key: str) -> None:
        SENT.append((to, body))


RECORDING = f"{__name__}.RecordingText"
# A Wednesday: 15:30 in London (BST) and 16:30 in London.
BEFORE_FIVE = datetime.datetime(2026, 7, 1, 14, 30, tzinfo=datetime.UTC)
AFTER_FIVE = datetime.datetime(2026, 7, 1, 16, 30, tzinfo=datetime.UTC)


@pytest.fixture
def case(settings):
    settings.CONCORD_TEXT_TRANSPORT = RECORDING
    SENT.clear()
    area = make_area()
    idva = make_actor(make_agency(area, Sector.SPECIALIST_ADVOCACY))
    return make_case(idva, phone="07700 900123")


def rules_for(case, **fields):
    return ContactRules.objects.create(person=case.survivor, **fields)


def reminder(case, at=BEFORE_FIVE, **kwargs):
    return send_to_survivor(case=case, person=case.survivor, channel=ContactChannel.TEXT_MESSAGE,
                            purpose="appointment reminder", body="Your appointment is at 10 tomorrow.", at=at, **kwargs)


def test_a_text_she_allowed_is_sent_to_her_safe_number(case):
    rules_for(case, safe_channels=["text"])
    record = reminder(case)
    assert record.status == MessageStatus.SENT and SENT == [("07700 900123", "Your appointment is at 10 tomorrow.")]
    assert CaseEvent.objects.filter(case=case, kind="message_sent").count() == 1


def test_only_phone_calls_before_five_refuses_a_text_and_the_refusal_is_on_the_case(case):
    rules_for(case, safe_channels=["phone_call"], safe_times=[{"days": [0, 1, 2, 3, 4], "start": "09:00",
                                                               "end": "17:00"}])
    record = reminder(case, at=AFTER_FIVE)
    assert record.status == MessageStatus.REFUSED
    assert set(record.refusals) == {Refusal.CHANNEL_NOT_SAFE, Refusal.OUTSIDE_SAFE_TIMES}
    assert SENT == []
    event = CaseEvent.objects.get(case=case, kind="message_refused")
    assert event.params["reasons"] == record.refusals and event.system_actor == "contact gate"


def test_without_rules_nothing_is_sent(case):
    assert reminder(case).refusals == [Refusal.NO_RULES] and SENT == []


def test_a_number_not_safe_on_another_case_is_not_safe_on_this_one(case):
    rules_for(case, safe_channels=["text"])
    other = make_case(make_actor(make_agency(case.area, Sector.POLICE)), given_name="Other")
    ContactPoint.objects.create(person=case.survivor, case=other, kind="mobile", value="07700900123",
                                safe_to_use=False)
    record = reminder(case)
    assert Refusal.ADDRESS_NOT_SAFE in record.refusals or Refusal.NO_SAFE_ADDRESS in record.refusals
    assert SENT == []


def test_a_job_asked_twice_sends_once(case):
    rules_for(case, safe_channels=["text"])
    first, again = reminder(case, key="reminder:1"), reminder(case, key="reminder:1")
    assert first.pk == again.pk and len(SENT) == 1 and OutboundMessage.objects.count() == 1


class KilledAfterSending(transports.FileText):
    """The worker dies after the provider took the message, before the gate marked it sent."""

    def send(self, to: str, body: str, *, key: str) -> None:
        super().send(to, body, key=key)
        raise KeyboardInterrupt


def test_a_send_interrupted_after_the_transport_is_resumed_and_not_sent_twice(case, settings, tmp_path):
    settings.CONCORD_TEXT_TRANSPORT = f"{__name__}.KilledAfterSending"
    settings.CONCORD_TEXT_OUTBOX = str(tmp_path / "outbox.jsonl")
    rules_for(case, safe_channels=["text"])
    with pytest.raises(KeyboardInterrupt):
        reminder(case, key="reminder:killed")
    record = OutboundMessage.objects.get(idempotency_key="reminder:killed")
    assert record.status == "sending"  # committed before the transport was called: not lost
    settings.CONCORD_TEXT_TRANSPORT = "file"
    again = reminder(case, key="reminder:killed")
    assert again.pk == record.pk and again.status == "sent"
    assert len((tmp_path / "outbox.jsonl").read_text().splitlines()) == 1
    assert case.events.filter(kind="message_sent").count() == 1


def test_a_resumed_send_reads_her_rules_again(case):
    rules_for(case, safe_channels=["text"])
    OutboundMessage.objects.create(case=case, person=case.survivor, channel="text", purpose="appointment reminder",
                                   status="sending", idempotency_key="reminder:2", asked_by="test",
                                   asked_at=BEFORE_FIVE)
    # She changed her mind before the worker came back.
    ContactRules.objects.filter(person=case.survivor).update(safe_channels=["phone_call"])
    resumed = reminder(case, key="reminder:2")
    assert resumed.status == "refused" and resumed.refusals and SENT == []
    assert case.events.filter(kind="message_refused").count() == 1


def test_the_file_adapter_writes_one_line_a_message(case, settings, tmp_path):
    settings.CONCORD_TEXT_TRANSPORT, settings.CONCORD_TEXT_OUTBOX = "file", str(tmp_path / "outbox.jsonl")
    rules_for(case, safe_channels=["text"])
    reminder(case)
    lines = (tmp_path / "outbox.jsonl").read_text().splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["07700 900123"]


CHANNELS = st.frozensets(st.sampled_from(ContactChannel.values))
WINDOWS = st.lists(st.builds(lambda start, length: {"days": [2], "start": f"{start:02d}:00",
                                                    "end": f"{min(start + length, 23):02d}:00"},
                             st.integers(0, 20), st.integers(1, 6)), max_size=2)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(channels=CHANNELS, windows=WINDOWS, may_name=st.booleans(), names_agency=st.booleans(),
       safe_number=st.sampled_from([True, False, None]), hour=st.integers(0, 23),
       channel=st.sampled_from([ContactChannel.TEXT_MESSAGE, ContactChannel.EMAIL, ContactChannel.LETTER]))
def test_no_message_her_rules_forbid_leaves_the_gate_and_every_refusal_is_recorded(
        case, channels, windows, may_name, names_agency, safe_number, hour, channel):
    SENT.clear()
    ContactRules.objects.filter(person=case.survivor).delete()
    rules_for(case, safe_channels=sorted(channels), safe_times=windows, may_name_agency=may_name)
    ContactPoint.objects.filter(person=case.survivor).update(safe_to_use=safe_number)
    at = datetime.datetime(2026, 12, 2, hour, 10, tzinfo=datetime.UTC)  # a Wednesday, GMT
    before = OutboundMessage.objects.count()
    record = send_to_survivor(case=case, person=case.survivor, channel=channel, purpose="check", body="b",
                              names_agency=names_agency, at=at)
    forbidden = (channel != ContactChannel.TEXT_MESSAGE or channel not in channels or safe_number is not True
                 or (names_agency and not may_name)
                 or (windows and not any(int(w["start"][:2]) <= hour < int(w["end"][:2]) for w in windows)))
    assert OutboundMessage.objects.count() == before + 1
    if forbidden:
        assert SENT == [] and record.status == MessageStatus.REFUSED and record.refusals
        assert CaseEvent.objects.filter(case=case, kind="message_refused", object_id=str(record.pk)).exists()
    else:
        assert SENT == [("07700 900123", "b")] and record.status == MessageStatus.SENT


class BrokenText:
    def send(self, to: str, body: str) -> None:
        raise ConnectionError("provider down")


def test_a_provider_that_fails_is_recorded_as_not_delivered_and_never_a_500(case, settings):
    settings.CONCORD_TEXT_TRANSPORT = f"{__name__}.BrokenText"
    rules_for(case, safe_channels=["text"])
    record = reminder(case)
    assert record.status == MessageStatus.FAILED
    event = CaseEvent.objects.get(case=case, kind="message_refused")
    assert event.params["status"] == "failed"


def test_a_queued_message_goes_through_the_gate_once_the_write_commits(case, django_capture_on_commit_callbacks):
    from concord.contact.tasks import message_later

    rules_for(case, safe_channels=["phone_call"])
    with django_capture_on_commit_callbacks(execute=True):
        message_later(case=case, person=case.survivor, channel="text", purpose="appointment reminder",
                      body="Your appointment is at 10.", key="queued:1")
        assert not OutboundMessage.objects.exists()  # nothing before the commit
    record = OutboundMessage.objects.get(idempotency_key="queued:1")
    assert record.status == MessageStatus.REFUSED and SENT == []
