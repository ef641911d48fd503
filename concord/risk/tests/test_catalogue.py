import copy
import json
from pathlib import Path

import pytest

from concord.risk.catalogue import SHIPPED, InstrumentFileError, instrument, instruments, load
from concord.risk.scoring import score
from concord.risk.tests.answers import answered


def shipped(name: str) -> dict:
    return json.loads((SHIPPED / f"{name}-v1.json").read_text())


def write(directory: Path, name: str, definition: dict) -> Path:
    path = directory / f"{name}.json"
    path.write_text(json.dumps(definition))
    return path


def refused(tmp_path: Path, definition: dict) -> str:
    write(tmp_path, "broken", definition)
    with pytest.raises(InstrumentFileError) as raised:
        load(tmp_path)
    assert raised.value.path.name == "broken.json"
    assert str(raised.value).startswith("broken.json: ")
    return raised.value.problem


def test_every_shipped_instrument_loads_with_its_version():
    assert [(found.id, found.version) for found in instruments()] == [
        ("checklist", 1),
        ("emergency_screen", 1),
        ("lethality_screen", 1),
        ("stalking_screen", 1),
    ]


def test_checklist_has_24_items_and_the_last_is_her_words_unscored():
    checklist = instrument("checklist")
    assert len(checklist.items) == 24
    assert [item.id for item in checklist.items if item.free_text] == ["what_she_fears"]
    assert len(checklist.scored_items) == 23


def test_every_shipped_instrument_names_what_it_is_modelled_on():
    for found in instruments():
        assert "Modelled on" in found.source and "worded by Concord" in found.source


def test_unknown_instrument_or_version_is_a_key_error():
    with pytest.raises(KeyError):
        instrument("dash")
    with pytest.raises(KeyError):
        instrument("checklist", 99)


def test_latest_version_unless_one_is_named(tmp_path):
    write(tmp_path, "checklist-v1", shipped("checklist"))
    write(tmp_path, "checklist-v2", shipped("checklist") | {"version": 2})
    catalogue = load(tmp_path)
    assert instrument("checklist", catalogue=catalogue).version == 2
    assert instrument("checklist", 1, catalogue=catalogue).version == 1


def test_a_v1_result_is_unchanged_when_v2_moves_a_band(tmp_path):
    write(tmp_path, "checklist-v1", shipped("checklist"))
    v1_answers = answered(instrument("checklist"), 13)
    before = score(instrument("checklist", 1, catalogue=load(tmp_path)), v1_answers)

    v2 = shipped("checklist") | {"version": 2}
    v2["levels"][1]["at_most"] = 12  # high from 13 in v2
    v2["levels"][2]["at_least"] = 13
    write(tmp_path, "checklist-v2", v2)
    catalogue = load(tmp_path)

    again = score(instrument("checklist", before.version, catalogue=catalogue), v1_answers)
    assert (before.version, before.level, before.scale_level) == (1, again.level, "medium")
    assert again == before
    assert score(instrument("checklist", catalogue=catalogue), v1_answers).scale_level == "high"


def test_the_weighted_test_instrument_is_not_shipped():
    assert "weighted_test" not in {found.id for found in instruments()}


# Broken files: each is refused with the file's name and what is wrong.


def test_unreadable_json_is_refused(tmp_path):
    (tmp_path / "broken.json").write_text('{"id": "checklist",')
    with pytest.raises(InstrumentFileError, match=r"broken\.json: not readable JSON"):
        load(tmp_path)


def test_unknown_scoring_kind_is_refused(tmp_path):
    definition = shipped("checklist") | {"scoring": {"kind": "vibes"}}
    assert "unknown scoring kind 'vibes'" in refused(tmp_path, definition)


def test_duplicate_item_id_is_refused(tmp_path):
    definition = copy.deepcopy(shipped("checklist"))
    definition["items"][1]["id"] = "injury"
    assert refused(tmp_path, definition) == "duplicate item id 'injury'"


def test_overlapping_bands_are_refused(tmp_path):
    definition = copy.deepcopy(shipped("checklist"))
    definition["levels"][1]["at_least"] = 9
    assert "overlaps" in refused(tmp_path, definition)


def test_a_gap_between_bands_is_refused(tmp_path):
    definition = copy.deepcopy(shipped("checklist"))
    definition["levels"][2]["at_least"] = 15
    assert refused(tmp_path, definition) == "a gap: no level covers 14 to 14"


def test_bands_must_start_at_zero(tmp_path):
    definition = copy.deepcopy(shipped("checklist"))
    definition["levels"][0]["at_least"] = 1
    assert refused(tmp_path, definition) == "a gap: no level covers 0 to 0"


def test_bands_that_stop_short_of_the_highest_score_are_refused(tmp_path):
    definition = copy.deepcopy(shipped("checklist"))
    definition["levels"][2]["at_most"] = 20
    assert refused(tmp_path, definition) == "a gap: no level covers 21 to 23"


def test_an_unknown_key_is_refused_rather_than_ignored(tmp_path):
    definition = copy.deepcopy(shipped("checklist"))
    definition["items"][23]["free_txt"] = True
    assert refused(tmp_path, definition) == "item 24: unknown free_txt"


def test_an_unknown_answer_option_is_refused(tmp_path):
    definition = shipped("checklist") | {"answers": ["yes", "no", "maybe", "not_answered"]}
    assert "unknown answer 'maybe'" in refused(tmp_path, definition)


def test_not_answered_is_always_an_option(tmp_path):
    definition = shipped("checklist") | {"answers": ["yes", "no"]}
    assert "answers must list" in refused(tmp_path, definition)


def test_informs_judgement_has_no_levels(tmp_path):
    definition = shipped("stalking_screen") | {"levels": shipped("checklist")["levels"], "offered_when": []}
    assert refused(tmp_path, definition) == "an instrument that informs judgement has no levels"


def test_a_screen_needs_its_two_outcomes(tmp_path):
    definition = copy.deepcopy(shipped("lethality_screen"))
    definition["levels"].pop()
    assert "exactly two levels" in refused(tmp_path, definition)


def test_a_weighted_item_without_a_weight_is_refused(tmp_path):
    definition = json.loads((Path(__file__).parent / "instruments" / "weighted_test.json").read_text())
    del definition["items"][0]["weight"]
    assert refused(tmp_path, definition) == "item 1: every scored item of a weighted instrument needs a weight"


def test_items_out_of_number_order_are_refused(tmp_path):
    definition = copy.deepcopy(shipped("emergency_screen"))
    definition["items"][0]["number"] = 6
    assert "numbered 1 to 5" in refused(tmp_path, definition)


def test_the_same_version_in_two_files_is_refused(tmp_path):
    write(tmp_path, "a", shipped("checklist"))
    write(tmp_path, "b", shipped("checklist"))
    with pytest.raises(InstrumentFileError, match=r"^b\.json: checklist version 1 is already defined in a\.json"):
        load(tmp_path)


def test_offered_when_must_name_a_real_item(tmp_path):
    write(tmp_path, "checklist", shipped("checklist"))
    definition = copy.deepcopy(shipped("stalking_screen"))
    definition["offered_when"][0]["item"] = "stalkin"
    assert "no scored item 'stalkin' of checklist" in refused(tmp_path, definition)
