"""Where demo survivors can be found: protected locations, invented. Streets, towns, workplaces and
schools are all made up, so no real address is ever shown."""

from __future__ import annotations

import datetime
import random

from concord.cases.models import Case
from concord.people import vocabularies as pv
from concord.people.models import Person, ProtectedLocation

STREETS = ("Alder Row", "Beacon Lane", "Chapel Walk", "Dovecote Close", "Elm Terrace", "Foundry Street",
           "Granary Court", "Heather Way", "Ivy Mews", "Juniper Road", "Kiln Yard", "Larch Gardens")
TOWNS = ("Northam", "Eastwick", "Hollowbrook", "Marshfield", "Stonebridge")
WORKPLACES = ("Northam Library", "Eastwick Medical Centre", "Marshfield Co-operative", "Stonebridge Leisure Centre")
SCHOOLS = ("Hollowbrook Primary", "Marshfield Academy", "St Anne's Nursery", "Northam Juniors")


def _address(rng: random.Random) -> str:
    return f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"


def protected_locations(rng: random.Random, case: Case, her: Person, children: list[Person], *, lead_key: str,
                        when: datetime.datetime) -> list[ProtectedLocation]:
    """What her lead agency recorded at intake: a refuge for most refuge-led cases, a current or a
    safe address for some others, her workplace and a child's school now and then."""
    def location(person: Person, kind: str, address: str, note: str = "") -> ProtectedLocation:
        return ProtectedLocation(person=person, case=case, kind=kind, address=address, note=note, created_at=when)

    found = []
    if lead_key == "refuge" and rng.random() < 0.85:
        found.append(location(her, pv.LocationKind.REFUGE, f"Refuge house {rng.randint(1, 6)}, {_address(rng)}",
                              "Never disclose; no post to this address"))
    elif rng.random() < 0.35:
        found.append(location(her, pv.LocationKind.CURRENT_ADDRESS, _address(rng)))
    elif rng.random() < 0.15:
        found.append(location(her, pv.LocationKind.SAFE_ADDRESS, _address(rng), "Her sister's; he does not know it"))
    if rng.random() < 0.1:
        found.append(location(her, pv.LocationKind.WORKPLACE, rng.choice(WORKPLACES)))
    if children and rng.random() < 0.3:
        found.append(location(children[0], pv.LocationKind.CHILDS_SCHOOL, rng.choice(SCHOOLS)))
    return found
