"""Transition inputs on the web: one macro draws what workflow.core.inputs declares, and the
fire view reads exactly the declared fields from what is posted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from types import SimpleNamespace

from flask import render_template_string

from tests.fixtures.dossiers import act, setup_dossier
from workflow.core import engine
from workflow.core.inputs import INPUTS, InputField, field_names, inputs_of
from workflow.core.spec import Input

MACRO = '{% from "macros/actions.html" import transition_inputs %}'
SESSION = SimpleNamespace(
    id=7, title="Phiên họp tháng 6", held_on=dt.date(2026, 6, 10), present_count=5, member_count=5
)


def _draw(app, inputs, **kwargs) -> str:
    with app.test_request_context():
        return render_template_string(
            MACRO + "{{ transition_inputs(inputs, 'act', **kwargs) }}", inputs=inputs, kwargs=kwargs
        )


def test_the_macro_draws_every_declared_field_with_its_label_and_help(app):
    # The override is drawn only while eligibility warnings stand (tests/web/awards/test_awards.py).
    declared = [d for d in INPUTS.values() if d.input is not Input.OVERRIDE]
    html = _draw(app, tuple(declared), sessions=[SESSION])
    for d in declared:
        if d.help_vi:
            assert d.help_vi in html, d.input
        for f in d.fields:
            assert re.search(rf'<(input|select|textarea)[^>]* name="{f.name}"', html), f.name
            assert f'<label for="act-{f.name}">{f.label_vi}' in html, f.name
            if f.example:
                assert f'placeholder="{f.example}"' in html
            for vi, _ in (f.choices or {}).values():
                assert vi in html
    assert INPUTS[Input.COUNCIL_VOTE].legend_vi in html


def test_a_field_added_to_a_declaration_is_drawn_without_touching_the_templates(app):
    declared = INPUTS[Input.SUBMISSION]
    extended = dataclasses.replace(
        declared, fields=(*declared.fields, InputField("recipient", "Nơi nhận", "Recipient"))
    )
    html = _draw(app, (extended,))
    assert 'name="recipient"' in html and '<label for="act-recipient">Nơi nhận' in html


def test_on_a_sessions_page_the_session_is_the_pages_and_counts_are_bounded(app):
    html = _draw(app, inputs_of({Input.COUNCIL_VOTE}), present=4)
    assert 'name="session_id"' not in html
    assert re.search(r'max="4" id="act-votes_for" name="votes_for" required>', html)
    assert re.search(r'max="4" id="act-votes_against" name="votes_against" value="0">', html)
    on_the_dossier_page = _draw(app, inputs_of({Input.COUNCIL_VOTE}), sessions=[])
    assert "Chưa có phiên họp nào đang mở" in on_the_dossier_page


def test_what_was_typed_comes_back_in_the_fields(app):
    typed = {"decision_number": "12/QĐ-SGDĐT", "reason": "Thiếu <minh chứng>"}
    html = _draw(app, inputs_of({Input.DECISION, Input.REASON}), typed=typed)
    assert 'value="12/QĐ-SGDĐT"' in html and "Thiếu &lt;minh chứng&gt;</textarea>" in html


def test_the_fire_view_passes_on_the_declared_fields_and_nothing_else(
    app, client, app_world, auth, monkeypatch
):
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    seen, real_fire = {}, engine.fire

    def fire(session, dossier_id, trigger, who, *, inputs, expected_version, from_form):
        seen.update(inputs)
        return real_fire(
            session,
            dossier_id,
            trigger,
            who,
            inputs=inputs,
            expected_version=expected_version,
            from_form=from_form,
        )

    monkeypatch.setattr(engine, "fire", fire)
    # A field added to a declaration is read too.
    reason = INPUTS[Input.REASON]
    extra = InputField("reason_detail", "Chi tiết", "Details", "textarea")
    monkeypatch.setitem(
        INPUTS, Input.REASON, dataclasses.replace(reason, fields=(*reason.fields, extra))
    )
    auth.login("head_a")
    posted = {name: "x" for name in field_names()} | {"reason": "Bổ sung"}
    assert "reason_detail" in posted
    response = act(client, dossier_id, "unit_return", **posted, ballot_id="3", role="admin")
    assert response.status_code == 302
    assert seen == posted
