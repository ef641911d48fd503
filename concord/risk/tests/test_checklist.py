import pytest
from hypothesis import given
from hypothesis import strategies as st

from concord.risk.catalogue import ANSWERS, InstrumentError, instrument
from concord.risk.scoring import InvalidAnswers, score
from concord.risk.tests.answers import answered

CHECKLIST = instrument("checklist")


@pytest.mark.parametrize(
    ("yes", "level"),
    [(0, "standard"), (1, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (23, "high")],
)
def test_the_level_is_the_band_of_the_yes_count(yes, level):
    result = score(CHECKLIST, answered(CHECKLIST, yes))
    assert (result.score, result.level and result.level.id, result.scale_level) == (yes, level, level)


def test_14_is_visible_high_risk():
    result = score(CHECKLIST, answered(CHECKLIST, 14))
    assert result.level is not None and "visible high risk" in result.level.note


def test_dont_know_never_counts_as_yes():
    result = score(CHECKLIST, answered(CHECKLIST, 13, rest="dont_know"))
    assert (result.score, result.scale_level, result.dont_know, result.not_answered) == (13, "medium", 10, 0)


def test_not_answered_and_left_out_never_count_as_yes():
    answers = answered(CHECKLIST, 9, rest="not_answered")
    del answers["criminal_history"]
    result = score(CHECKLIST, answers)
    assert (result.score, result.scale_level, result.not_answered) == (9, "standard", 14)


def test_nothing_answered_is_standard():
    result = score(CHECKLIST, {})
    assert (result.score, result.scale_level, result.not_answered, result.yes) == (0, "standard", 23, ())


def test_her_own_words_are_not_scored():
    answers = answered(CHECKLIST, 13) | {"what_she_fears": "yes"}
    result = score(CHECKLIST, answers)
    assert (result.score, result.scale_level) == (13, "medium")
    assert "what_she_fears" not in result.yes


def test_the_result_names_the_items_answered_yes_in_order():
    result = score(CHECKLIST, {"threats_to_kill": "yes", "injury": "yes", "fear": "no"})
    assert result.yes == ("injury", "threats_to_kill")
    assert (result.instrument, result.version) == ("checklist", 1)


def test_unknown_items_and_answers_are_refused_item_by_item():
    with pytest.raises(InvalidAnswers) as raised:
        score(CHECKLIST, {"injury": "maybe", "colour": "yes", "fear": "yes", "what_she_fears": 3})
    assert set(raised.value.messages) == {"injury", "colour", "what_she_fears"}
    assert "'maybe' is not an answer" in raised.value.messages["injury"]
    assert "not an item of checklist" in raised.value.messages["colour"]


def test_practitioner_belief_is_not_part_of_the_checklist_score():
    # Professional judgement is recorded by a later layer, on top of the score; never silently dropped here.
    with pytest.raises(InvalidAnswers) as raised:
        score(CHECKLIST, {}, practitioner_believes_high=True)
    assert set(raised.value.messages) == {"practitioner_believes_high"}


# An area's own bands.

STRICTER = [
    {"id": "standard", "label": "Standard", "scale_level": "standard", "at_least": 0, "at_most": 8},
    {"id": "medium", "label": "Medium", "scale_level": "medium", "at_least": 9, "at_most": 13},
    {"id": "high", "label": "High", "scale_level": "high", "at_least": 14},
]


@pytest.mark.parametrize(("yes", "level"), [(8, "standard"), (9, "medium"), (13, "medium"), (14, "high")])
def test_area_bands_replace_the_checklist_bands(yes, level):
    result = score(CHECKLIST, answered(CHECKLIST, yes), area_bands=STRICTER)
    assert (result.scale_level, result.area_bands) == (level, True)
    assert score(CHECKLIST, answered(CHECKLIST, yes)).area_bands is False


def test_area_bands_with_a_gap_are_refused():
    gap = [dict(STRICTER[0]), dict(STRICTER[1], at_least=10), dict(STRICTER[2])]
    with pytest.raises(InstrumentError, match="area bands: a gap: no level covers 9 to 9"):
        score(CHECKLIST, {}, area_bands=gap)


def test_area_bands_that_overlap_are_refused():
    overlap = [dict(STRICTER[0]), dict(STRICTER[1], at_least=8), dict(STRICTER[2])]
    with pytest.raises(InstrumentError, match="area bands: level 'medium' overlaps"):
        score(CHECKLIST, {}, area_bands=overlap)


def test_area_bands_may_not_lower_visible_high_risk():
    laxer = [dict(STRICTER[0]), dict(STRICTER[1], at_most=15), dict(STRICTER[2], at_least=16)]
    with pytest.raises(InstrumentError, match="a score of 14 would be medium, below the instrument's high"):
        score(CHECKLIST, {}, area_bands=laxer)


@given(
    st.fixed_dictionaries(
        {},
        optional={item.id: st.sampled_from(ANSWERS) for item in CHECKLIST.scored_items}
        | {"what_she_fears": st.sampled_from([*ANSWERS, "", "that he will find me"])},
    )
)
def test_the_score_is_the_number_of_yes_whatever_else_is_answered(answers):
    scored_yes = [item_id for item_id, answer in answers.items() if answer == "yes" and item_id != "what_she_fears"]
    result = score(CHECKLIST, answers)
    assert result.score == len(scored_yes) == len(result.yes)
    assert result.dont_know + result.not_answered + result.score <= 23
