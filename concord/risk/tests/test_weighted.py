from pathlib import Path

import pytest

from concord.risk.catalogue import InstrumentError, instrument, load
from concord.risk.scoring import score

WEIGHTED = instrument("weighted_test", catalogue=load(Path(__file__).parent / "instruments"))

# Weights: four 4, three_a 3, three_b 3, two_a..two_c 2, one_a..one_d 1 (20 in all).
TOTALS = {
    7: ["four", "three_a"],
    8: ["four", "three_a", "one_a"],
    13: ["four", "three_a", "three_b", "two_a", "one_a"],
    14: ["four", "three_a", "three_b", "two_a", "two_b"],
    17: ["four", "three_a", "three_b", "two_a", "two_b", "two_c", "one_a"],
    18: ["four", "three_a", "three_b", "two_a", "two_b", "two_c", "one_a", "one_b"],
}


@pytest.mark.parametrize(
    ("total", "level", "scale_level"),
    [
        (7, "variable", "standard"),
        (8, "increased", "medium"),
        (13, "increased", "medium"),
        (14, "severe", "high"),
        (17, "severe", "high"),
        (18, "extreme", "high"),
    ],
)
def test_the_level_is_the_band_of_the_summed_weights(total, level, scale_level):
    result = score(WEIGHTED, dict.fromkeys(TOTALS[total], "yes"))
    assert (result.score, result.level and result.level.id, result.scale_level) == (total, level, scale_level)
    assert len(result.yes) == len(TOTALS[total])


def test_dont_know_weighs_nothing():
    result = score(WEIGHTED, {"four": "dont_know", "three_a": "yes", "her_words": "he said he would"})
    assert (result.score, result.dont_know) == (3, 1)


def test_area_bands_apply_to_weighted_instruments_too():
    area = [
        {"id": "variable", "label": "Variable", "scale_level": "standard", "at_least": 0, "at_most": 5},
        {"id": "increased", "label": "Increased", "scale_level": "medium", "at_least": 6, "at_most": 12},
        {"id": "severe", "label": "Severe", "scale_level": "high", "at_least": 13},
    ]
    assert score(WEIGHTED, dict.fromkeys(TOTALS[7], "yes"), area_bands=area).scale_level == "medium"
    with pytest.raises(InstrumentError, match="a score of 8 would be standard"):
        score(WEIGHTED, {}, area_bands=[dict(area[0], at_most=8), dict(area[1], at_least=9), area[2]])
