"""Rotating the blind-index key: after rebuild_search_indexes, a number is found again with the new
key, and never with the old one."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from concord.cases.selectors import case_search
from concord.testing.factories import make_case

PHONE = "07700 900654"


def test_rotating_the_blind_index_key_then_rebuilding_finds_the_number_again(advocate):
    case = make_case(advocate, phone=PHONE)
    assert case in case_search(advocate, PHONE)
    with override_settings(BLIND_INDEX_KEY="a-new-blind-index-key-for-this-test-only-0123456789"):
        assert case not in case_search(advocate, PHONE)  # fails closed until rebuilt
        out = StringIO()
        call_command("rebuild_search_indexes", stdout=out)
        assert "1 changed" in out.getvalue()
        assert case in case_search(advocate, PHONE)
    assert case not in case_search(advocate, PHONE)  # the old key no longer matches anything
