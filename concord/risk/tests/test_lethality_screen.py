import pytest

from concord.risk.catalogue import instrument
from concord.risk.scoring import InvalidAnswers, score
from concord.risk.tests.answers import answered

SCREEN = instrument("lethality_screen")


@pytest.mark.parametrize("item_id", ["weapon", "threats_to_kill", "believes_he_will_kill"])
def test_a_yes_to_any_of_the_first_three_alone_screens_her_in(item_id):
    result = score(SCREEN, {item_id: "yes"}, spoke_to_advocacy="yes")
    assert (result.screened_in, result.how, result.scale_level) == (True, ("first_three",), "high")
    assert result.level is not None and result.level.id == "screened_in"


def test_three_of_the_rest_do_not_screen_her_in():
    result = score(SCREEN, answered(SCREEN, 3, skip=3))
    assert (result.screened_in, result.how, result.score) == (False, (), 3)
    assert result.level is not None and result.level.id == "not_screened_in"


def test_four_of_the_rest_screen_her_in():
    result = score(SCREEN, answered(SCREEN, 4, skip=3), spoke_to_advocacy="no")
    assert (result.screened_in, result.how, result.spoke_to_advocacy) == (True, ("four_of_rest",), "no")


def test_the_practitioners_belief_alone_screens_her_in():
    result = score(SCREEN, answered(SCREEN, 0), practitioner_believes_high=True, spoke_to_advocacy="not_answered")
    assert (result.screened_in, result.how, result.score) == (True, ("practitioner_belief",), 0)


def test_every_way_she_was_screened_in_is_recorded():
    answers = answered(SCREEN, 4, skip=3) | {"weapon": "yes"}
    result = score(SCREEN, answers, practitioner_believes_high=True, spoke_to_advocacy="yes")
    assert result.how == ("first_three", "four_of_rest", "practitioner_belief")


def test_not_answered_does_not_screen_her_in():
    result = score(SCREEN, answered(SCREEN, 0, rest="not_answered"))
    assert (result.screened_in, result.not_answered) == (False, 11)


def test_screened_in_without_the_advocacy_answer_is_an_error():
    with pytest.raises(InvalidAnswers) as raised:
        score(SCREEN, {"weapon": "yes"})
    assert set(raised.value.messages) == {"spoke_to_advocacy"}


def test_the_advocacy_answer_is_yes_no_or_not_answered():
    with pytest.raises(InvalidAnswers) as raised:
        score(SCREEN, {"weapon": "yes"}, spoke_to_advocacy="later")
    assert set(raised.value.messages) == {"spoke_to_advocacy"}


def test_dont_know_is_not_an_answer_on_this_screen():
    with pytest.raises(InvalidAnswers) as raised:
        score(SCREEN, {"weapon": "dont_know"})
    assert set(raised.value.messages) == {"weapon"}
