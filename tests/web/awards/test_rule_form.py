"""The admin's rule form is built from the rule kinds (``workflow.awards.rules``): one choice per
kind, one field per input with its label and choices, a hint naming each kind's inputs, and the
rules listed with their kind's label."""

from __future__ import annotations

import html
import re

import pytest

from models import AwardType
from tests.fixtures.awards import rule
from tests.fixtures.dossiers import page
from tests.fixtures.web import app_db, csrf_from
from workflow.awards.rules import AWARDS, KINDS, PARAM_FIELDS, PURPOSES, RULE_KINDS


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rule_form_offers_every_kind_and_every_input(app, client, app_world, auth, lang):
    with app_db(app) as session:
        rule(session, app_world, session.get(AwardType, app_world.awards["cstdcs"].id), kind="hold")
        session.commit()
    auth.login("admin")
    client.post(f"/lang/{lang}", data={"csrf_token": csrf_from(page(client, "/"))})
    at = 0 if lang == "vi" else 1
    award = app_world.awards["cstdcs"]
    text = html.unescape(page(client, f"/awards/{award.id}/edit"))
    kinds = re.search(r'<select[^>]* id="rule-kind".*?</select>', text, re.S).group(0)
    assert re.findall(r'value="([^"]+)"', kinds) == [k.code for k in RULE_KINDS]
    for kind in RULE_KINDS:
        assert kind.label[at] in kinds
        if kind.asks:
            assert f"{kind.asks[at]} (" in text  # the hint says which boxes are the kind's
    for field in PARAM_FIELDS:
        assert f'name="rule-{field.name}"' in text and field.label[at] in text
        if field.choices == AWARDS:
            assert f'<option value="{award.code}"' in text
    assert all(f'<option value="{code}"' in text for code in PURPOSES)
    # A rule is listed with its kind's label.
    assert re.search(r'data-rule="\d+">\s*<td>' + re.escape(KINDS["hold"].label[at]), text)
