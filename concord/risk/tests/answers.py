"""Building answers for tests: the first `yes` scored items "yes", the other scored items `rest`."""

from concord.risk.catalogue import Instrument


def answered(instrument: Instrument, yes: int, *, rest: str = "no", skip: int = 0) -> dict[str, str]:
    """ "yes" to `yes` scored items starting after the first `skip`; every other scored item `rest`."""
    items = instrument.scored_items
    chosen = {item.id for item in items[skip : skip + yes]}
    assert len(chosen) == yes, f"{instrument.id} has too few items for {yes} yes after {skip}"
    return {item.id: "yes" if item.id in chosen else rest for item in items}
