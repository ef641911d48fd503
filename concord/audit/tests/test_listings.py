"""A page of cases is one access-log entry naming each case shown, and each case's "who has seen"
report still finds it (decision 10)."""

import pytest

from concord.audit.models import AccessLogEntry, AccessLogListing
from concord.audit.selectors import who_has_seen
from concord.audit.services import access_log_listed
from concord.testing.factories import make_case, share_with

pytestmark = pytest.mark.django_db
SHOWN = ["reference", "survivor_name"]


def test_a_page_of_cases_is_one_entry_naming_each_case_and_the_fields_shown(advocate):
    cases = [make_case(advocate, given_name=name) for name in ("Amina", "Beth", "Chloe")]
    before = AccessLogEntry.objects.count()
    entry = access_log_listed(actor=advocate, cases=cases, fields=SHOWN)
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.object_type == "listing" and entry.case_id is None and entry.chain == advocate.area.pk
    assert entry.fields == [*(f"case:{case.pk}" for case in cases), *SHOWN]
    assert sorted(AccessLogListing.objects.filter(entry_id=entry.pk).values_list("case_id", flat=True)) == sorted(
        case.pk for case in cases)


def test_who_has_seen_finds_a_listing_that_showed_the_case_with_its_basis(advocate, officer):
    mine, shared, other = (make_case(advocate, given_name=name) for name in ("Amina", "Beth", "Chloe"))
    share_with(advocate, shared, officer.agency)
    access_log_listed(actor=advocate, cases=[mine, shared], fields=SHOWN)
    access_log_listed(actor=officer, cases=[shared], fields=SHOWN)
    listings = [seen for seen in who_has_seen(shared) if seen.object_type == "listing"]
    assert [seen.user_id for seen in listings] == [officer.user.pk, advocate.user.pk]  # newest first
    assert listings[0].basis.startswith("consent:") and listings[1].basis.startswith("lead")
    # Her report names the fields shown, never the other cases on the same page.
    assert all(seen.fields == SHOWN for seen in listings)
    assert not [seen for seen in who_has_seen(other) if seen.object_type == "listing"]


def test_the_report_keeps_the_newest_listings_and_reads_within_its_limit(advocate):
    case = make_case(advocate)
    for _ in range(3):
        access_log_listed(actor=advocate, cases=[case], fields=SHOWN)
    seen = who_has_seen(case, limit=2)
    assert len(seen) == 2 and all(entry.object_type == "listing" for entry in seen)
    assert seen[0].when >= seen[1].when
