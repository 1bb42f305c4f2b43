"""Annual ratings and discipline of people of the register (no Flask)."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import (
    Discipline,
    Evaluation,
)
from models.clock import utcnow
from workflow.people import columns as cols
from workflow.people.import_rows import (
    CHANGE_LABELS,
    IMPORT_MESSAGES,
    Context,
    Preview,
    Row,
    chunks,
)
from workflow.people.labels import DISCIPLINE_LABELS, RATING_LABELS


def check_evaluation(context: Context, found: Preview, row: Row, values: dict) -> None:
    problems = row.problems
    unit = context.row_unit(values, problems)
    year = cols.parse_year(values.get("year"), problems) if values.get("year") else None
    rating = cols.parse_choice(values.get("rating"), RATING_LABELS, "Xếp loại", problems)
    form = cols.parse_choice(
        values.get("discipline"), DISCIPLINE_LABELS, "Hình thức kỷ luật", problems
    )
    starts = cols.parse_date(values.get("discipline_from"), "Kỷ luật từ ngày", problems)
    ends = cols.parse_date(values.get("discipline_to"), "Kỷ luật đến ngày", problems)
    if form and not starts:
        problems.append(IMPORT_MESSAGES.violation("discipline_start"))
    person = context.find(unit, values, problems) if unit else None
    if person is None or problems:
        return
    context.once(("evaluation", person.id, year), row.number, problems)
    row.label = person.full_name
    row.data = {
        "person": person,
        "unit_id": unit.id,
        "year": year,
        "rating": rating,
        "discipline": (form, starts, ends, cols.text(values.get("discipline_decision")) or None),
    }


def plan_evaluations(session: Session, found: Preview) -> None:
    """Compare the planned rows with what the register holds (two queries per chunk)."""
    good = [r for r in found.rows if r.data and not r.problems]
    ids = {r.data["person"].id for r in good}
    ratings, punished = {}, set()
    for chunk in chunks(ids):
        for e in session.scalars(select(Evaluation).where(Evaluation.person_id.in_(chunk))):
            ratings[(e.person_id, e.year)] = e
        punished |= set(
            session.execute(
                select(Discipline.person_id, Discipline.form, Discipline.starts_on).where(
                    Discipline.person_id.in_(chunk)
                )
            )
        )
    for row in good:
        pid, form = row.data["person"].id, row.data["discipline"]
        held = ratings.get((pid, row.data["year"]))
        row.data["evaluation"] = held
        row.data["new_discipline"] = bool(form[0]) and (pid, form[0], form[1]) not in punished
        if held is None:
            row.action = "create"
        elif held.rating != row.data["rating"]:
            row.action, row.changes = "update", [CHANGE_LABELS["rating"]]
        else:
            row.action = "create" if row.data["new_discipline"] else "unchanged"


def write_evaluations(session: Session, found: Preview) -> None:
    now = utcnow()
    fresh, punish = [], []
    for row in found.rows:
        data = row.data
        if data["evaluation"] is None:
            fresh.append(
                {
                    "person_id": data["person"].id,
                    "year": data["year"],
                    "rating": data["rating"],
                    "unit_id": data["unit_id"],
                    "origin": "imported",
                    "created_at": now,
                }
            )
        elif data["evaluation"].rating != data["rating"]:
            data["evaluation"].rating = data["rating"]
        if data["new_discipline"]:
            form, starts, ends, number = data["discipline"]
            punish.append(
                {
                    "person_id": data["person"].id,
                    "form": form,
                    "starts_on": starts,
                    "ends_on": ends,
                    "decision_number": number,
                    "reason": "",
                    "origin": "imported",
                    "created_at": now,
                }
            )
    if fresh:
        session.execute(insert(Evaluation), fresh)
    if punish:
        session.execute(insert(Discipline), punish)
