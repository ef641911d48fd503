"""Migration 0002: her per-channel contact consent on each case's ledger becomes her one set of rules."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from concord.accounts.models import Sector
from concord.cases.models import Case
from concord.consent.models import ConsentDecision
from concord.contact.models import ContactRules
from concord.testing.factories import make_actor, make_agency, make_area, make_case

pytestmark = pytest.mark.django_db
migration = importlib.import_module("concord.contact.migrations.0002_rules_from_the_consent_ledger")


def decide(actor, case, channel, decision, days_ago):
    ConsentDecision.objects.create(case=case, scope="contact", channel=channel, decision=decision, method="verbal",
                                   decided_at=timezone.now() - datetime.timedelta(days=days_ago),
                                   recorded_by=actor.user, recorded_for=actor.agency)


def test_a_channel_is_safe_only_where_her_latest_word_on_every_case_allows_it():
    idva = make_actor(make_agency(make_area(), Sector.SPECIALIST_ADVOCACY))
    first, second = make_case(idva), make_case(idva, given_name="Second")
    Case.objects.filter(pk=second.pk).update(survivor=first.survivor)
    decide(idva, first, "text", "given", 10)
    decide(idva, first, "text", "withdrawn", 2)  # her latest word on text: no
    decide(idva, first, "email", "given", 5)
    decide(idva, first, "phone_call", "given", 5)
    decide(idva, second, "phone_call", "declined", 1)  # refused on another case: not safe on any
    ContactRules.objects.all().delete()

    migration.rules_from_ledger(apps, None)

    assert ContactRules.objects.get(person=first.survivor).safe_channels == ["email"]


def test_a_contact_decision_recorded_now_moves_her_safe_channels():
    idva = make_actor(make_agency(make_area(), Sector.SPECIALIST_ADVOCACY))
    case = make_case(idva)
    decide(idva, case, "text", "given", 1)
    decide(idva, case, "email", "given", 1)
    assert ContactRules.objects.get(person=case.survivor).safe_channels == ["text", "email"]
    decide(idva, case, "text", "withdrawn", 0)
    assert ContactRules.objects.get(person=case.survivor).safe_channels == ["email"]
