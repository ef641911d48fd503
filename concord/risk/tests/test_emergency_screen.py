import pytest

from concord.risk.catalogue import instrument
from concord.risk.scoring import InvalidAnswers, score
from concord.risk.tests.answers import answered

SCREEN = instrument("emergency_screen")


@pytest.mark.parametrize(("yes", "level"), [(0, "standard"), (2, "standard"), (3, "high"), (5, "high")])
def test_three_or_more_yes_is_high(yes, level):
    result = score(SCREEN, answered(SCREEN, yes))
    assert (result.score, result.scale_level) == (yes, level)


def test_not_answered_does_not_count():
    assert score(SCREEN, answered(SCREEN, 2, rest="not_answered")).scale_level == "standard"


def test_the_advocacy_question_belongs_to_the_lethality_screen_only():
    with pytest.raises(InvalidAnswers) as raised:
        score(SCREEN, {}, spoke_to_advocacy="yes")
    assert set(raised.value.messages) == {"spoke_to_advocacy"}
