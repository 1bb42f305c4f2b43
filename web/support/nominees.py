"""How forms name a person or a collective of the register in a list of choices."""

from __future__ import annotations

from models import Collective, Person
from web.support.i18n import pick
from workflow.people.labels import COLLECTIVE_KIND_LABELS


def person_label(person: Person) -> str:
    """ "Full name — position (group)": enough to tell two people of the same name apart."""
    details = " ".join(
        filter(None, [person.position, f"({person.collective.name})" if person.collective else ""])
    )
    return f"{person.full_name} — {details}" if details else person.full_name


def collective_label(collective: Collective) -> str:
    """The group's name and kind ("Tổ Toán (Tổ)"); the unit itself says it is the unit."""
    return f"{collective.name} ({pick(*COLLECTIVE_KIND_LABELS.get(collective.kind, ('', '')))})"
