"""The words about a person follow the pronouns they gave, then their gender, else are neutral."""

import pytest

from concord.people.models import Person
from concord.people.pronouns import PronounForms, pronoun_forms

SHE = PronounForms(they="she", them="her", their="her")
HE = PronounForms(they="he", them="him", their="his")
THEY = PronounForms(they="they", them="them", their="their")


@pytest.mark.parametrize(("gender", "words"), [("woman", SHE), ("man", HE)])
def test_without_pronouns_a_woman_is_she_and_a_man_he(gender, words):
    assert pronoun_forms(pronouns="", gender=gender) == words


@pytest.mark.parametrize("gender", ["", "non_binary", "self_described", "prefer_not_to_say"])
def test_any_other_or_unknown_gender_reads_neutrally(gender):
    assert pronoun_forms(pronouns="", gender=gender) == THEY


@pytest.mark.parametrize(("pronouns", "gender", "words"), [
    ("they_them", "woman", THEY), ("he_him", "woman", HE), ("she_her", "man", SHE), ("she_her", "", SHE),
    ("he_him", "non_binary", HE),
])
def test_the_pronouns_she_or_he_gave_win_over_the_gender(pronouns, gender, words):
    assert pronoun_forms(pronouns=pronouns, gender=gender) == words


def test_a_pronoun_value_not_in_the_vocabulary_is_no_guess():
    assert pronoun_forms(pronouns="ze_zir", gender="") == THEY


def test_a_person_gives_their_words_from_their_own_fields_without_a_query():
    # No database in this test: a query would raise. The case page reads them for a survivor it has.
    person = Person(given_name="Sam", gender="man")
    assert person.pronoun_forms == HE
    person.pronouns = "they_them"
    assert person.pronoun_forms == THEY
