"""The dossier content fields are declared once (``workflow.dossiers.fields``): every declared
field is a column of its kinds with the declared limit, every content column is declared, and
the declaration decides what is checked and audited."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import String, Text, inspect

from models.dossiers import DOSSIER_KINDS, MAX_LENGTH
from tests.fixtures.people import make_dossier
from workflow.core.errors import EditRefused
from workflow.dossiers import content, fields
from workflow.dossiers.fields import FIELDS, fields_of

# Columns of a kind's own table that nobody types: the id, the search key derived from the
# nominee, and the classification the Council gives a report.
SYSTEM_COLUMNS = {"id", "search_key", "classification"}


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_every_declared_field_is_a_column_of_its_kinds_with_its_limit(field):
    assert field.kinds and set(field.kinds) <= set(DOSSIER_KINDS)
    for kind in field.kinds:
        column = inspect(content.MODELS[kind]).columns[field.name]
        if field.value == "text":
            assert field.max_length, f"{field.name}: text with no limit"
            if isinstance(column.type, String) and not isinstance(column.type, Text):
                assert column.type.length == field.max_length
            else:
                assert isinstance(column.type, Text)
        else:
            assert field.max_length is None


def test_every_content_column_and_every_limit_is_declared():
    for kind in DOSSIER_KINDS:
        own = content.MODELS[kind].__table__.columns.keys()
        assert set(own) - SYSTEM_COLUMNS <= set(fields_of(kind)), kind
    assert set(MAX_LENGTH) <= {f.name for f in FIELDS}


def test_fields_are_named_in_both_languages_and_choices_and_references_are_given():
    for field in FIELDS:
        assert all(field.label) and all(field.named)
        assert (field.choices is not None) == (field.value == "choice")
        if field.refers_to is not None:
            assert field.value == "ref"


def test_limits_and_requirements_come_from_the_declaration(session, world):
    staff, unit = world.actor("staff_a"), world.units["a"].id
    plan = make_dossier(session, world, "plan")
    limit = fields_of("plan")["document_number"].max_length
    with pytest.raises(EditRefused) as refused:
        content.edit(session, plan.id, staff, {"document_number": "1" * (limit + 1)})
    assert refused.value.violations[0].params == {
        "field": "Số văn bản",
        "field_en": "Document number",
        "max": limit,
    }
    content.edit(session, plan.id, staff, {"document_number": "1" * limit})
    # A reference the form requires cannot be missing even from a draft; one it does not
    # require (a group: none means the unit itself) may be.
    with pytest.raises(EditRefused) as refused:
        content.create(session, staff, "report", unit, {"title": "Báo cáo"})
    assert refused.value.violations[0].params == {"field": "Phong trào", "field_en": "Campaign"}
    nomination = make_dossier(
        session,
        world,
        "nomination",
        nominee_kind="collective",
        collective_id="",
        award_type_id=world.awards["ttldtt"].id,
    )
    assert nomination.collective.kind == "unit"
    assert nomination.nominee_name == world.units["a"].name


def test_only_audited_fields_are_written_in_the_edit_event(session, world, monkeypatch):
    plan = make_dossier(session, world, "plan")
    quiet = dataclasses.replace(fields_of("plan")["document_number"], audited=False)
    monkeypatch.setitem(fields._BY_KIND["plan"], "document_number", quiet)
    event = content.edit(
        session,
        plan.id,
        world.actor("staff_a"),
        {"document_number": "12/KH-THPT", "summary": "Nội dung mới"},
    )
    assert plan.document_number == "12/KH-THPT"
    recorded = json.loads(event.changes)
    assert set(recorded) == {"summary"}
