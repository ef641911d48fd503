from concord.risk.catalogue import instrument
from concord.risk.scoring import offered, score
from concord.risk.tests.answers import answered

SCREEN = instrument("stalking_screen")


def test_it_informs_judgement_with_the_yes_count_and_no_level():
    result = score(SCREEN, answered(SCREEN, 11))
    assert (result.score, result.level, result.scale_level) == (11, None, None)


def test_dont_know_is_kept_and_not_counted():
    result = score(SCREEN, answered(SCREEN, 2, rest="dont_know"))
    assert (result.score, result.dont_know) == (2, 9)


def test_offered_when_the_checklist_finds_stalking():
    assert offered(SCREEN, {"checklist": {"stalking": "yes", "fear": "no"}})


def test_offered_when_she_is_very_frightened():
    assert offered(SCREEN, {"checklist": {"stalking": "dont_know", "fear": "yes"}})


def test_not_offered_otherwise():
    assert not offered(SCREEN, {"checklist": {"stalking": "dont_know", "fear": "no"}})
    assert not offered(SCREEN, {})


def test_an_instrument_without_conditions_is_always_offered():
    assert offered(instrument("checklist"), {})
