"""The words a page uses about a person: "Edit her details", "his needs", "contact them only as…".

Not every survivor is a woman (about 1 in 15 cases at a multi-agency risk conference is a man's), so
the words come from what was recorded about the person: the pronouns they gave first, then their
gender; otherwise neutral words, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from . import vocabularies as v


@dataclass(frozen=True)
class PronounForms:
    """Named by the neutral form, so a template reads as a sentence: "Edit {{ their }} details"."""

    they: str  # subject: she, he, they
    them: str  # object: her, him, them
    their: str  # possessive: her, his, their


_FORMS = {
    v.Pronouns.SHE: (pgettext_lazy("subject pronoun", "she"), pgettext_lazy("object pronoun", "her"),
                     pgettext_lazy("possessive pronoun", "her")),
    v.Pronouns.HE: (pgettext_lazy("subject pronoun", "he"), pgettext_lazy("object pronoun", "him"),
                    pgettext_lazy("possessive pronoun", "his")),
    v.Pronouns.THEY: (pgettext_lazy("subject pronoun", "they"), pgettext_lazy("object pronoun", "them"),
                      pgettext_lazy("possessive pronoun", "their")),
}

# Only these two genders say which pronouns to use; non-binary, self-described, prefer-not-to-say and
# not asked all read neutrally until pronouns are recorded.
_BY_GENDER: dict[str, str] = {v.Gender.WOMAN: v.Pronouns.SHE, v.Gender.MAN: v.Pronouns.HE}


def pronoun_forms(*, pronouns: str, gender: str) -> PronounForms:
    """The recorded pronouns win; else a woman is "she", a man "he"; anyone else "they"."""
    if pronouns not in v.Pronouns.values:
        pronouns = _BY_GENDER.get(gender, v.Pronouns.THEY)
    they, them, their = (str(word) for word in _FORMS[v.Pronouns(pronouns)])
    return PronounForms(they=they, them=them, their=their)
