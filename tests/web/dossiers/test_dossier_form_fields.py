"""The dossier forms are built from the declared content fields: each declared field the form
shows is a form field with the declared label (in both languages), limit and requirement, and
the forms hold no content field that is not declared."""

from __future__ import annotations

import pytest

from models.dossiers import DOSSIER_KINDS
from web.dossiers.forms import FORMS
from web.support.i18n import in_language
from workflow.dossiers.fields import fields_of

# Form fields that are not content: the unit drafting, the version drawn, the evidence files.
NOT_CONTENT = {"unit_id", "version", "files", "csrf_token"}


@pytest.mark.parametrize("kind", DOSSIER_KINDS)
def test_form_fields_are_the_declared_fields_with_their_labels_and_limits(app, kind):
    declared = {name: f for name, f in fields_of(kind).items() if f.on_form}
    assert tuple(declared) == FORMS[kind].CONTENT
    with app.test_request_context():
        form = FORMS[kind](meta={"csrf": False})
        assert {f.name for f in form} - NOT_CONTENT == set(declared)
        for name, spec in declared.items():
            field = form[name]
            assert field.flags.limit == spec.max_length, name
            assert bool(field.flags.required) == spec.required, name
            assert str(field.label.text) == spec.label[0]
            with in_language("en"):
                assert str(field.label.text) == spec.label[1]
            if spec.choices is not None:
                assert [c[0] for c in field.iter_choices()] == list(spec.choices)
