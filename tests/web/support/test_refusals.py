"""The one way a page runs a workflow change and answers its refusal (``web.support.refusals``):
success commits; a stale version answers 409 with what was typed and the current version; a
rule not met answers the page's rule status (422); a permission refusal reaches the app's
403 page; the flash-and-redirect answer goes back with the messages."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string, request

from web.support.refusals import Refusal, commit_or_answer, flash_and_redirect
from workflow.core.errors import EditRefused, StaleVersion, Violation
from workflow.practices.service import PRACTICE_MESSAGES

FORM = (
    '<form><input name="title" value="{{ title }}">'
    '<input type="hidden" name="version" value="{{ version }}">'
    "{% for m in problems %}<p class=problem>{{ m }}</p>{% endfor %}"
    "{% if stale %}<p>stale</p>{% endif %}</form>"
)


class SessionSpy:
    """Stands in for the request's database session: records commit and rollback."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def commit(self) -> None:
        self.calls.append("commit")

    def rollback(self) -> None:
        self.calls.append("rollback")


def _change(outcome: str):
    """A workflow change that succeeds or is refused as ``outcome`` says."""

    def change() -> str:
        if outcome == "stale":
            raise StaleVersion(
                7, "Nháp", "Draft", code="practice_stale_version", messages=PRACTICE_MESSAGES
            )
        if outcome == "rule":
            raise EditRefused([Violation("reason_required")])
        if outcome == "permission":
            raise EditRefused([Violation("out_of_scope")])
        return "saved"

    return change


@pytest.fixture()
def probe(app: Flask) -> SessionSpy:
    """Two routes on the real app (its error handlers included): one redraws the form, one
    flashes and goes back."""
    spy = SessionSpy()

    def answer(refusal: Refusal):
        html = render_template_string(
            FORM,
            title=request.form["title"],
            version=refusal.version(request.form["version"]),
            problems=refusal.messages,
            stale=refusal.stale,
        )
        return html, refusal.status

    @app.post("/_probe/form/<outcome>")
    def probe_form(outcome: str):
        return commit_or_answer(spy, _change(outcome), answer)

    @app.post("/_probe/flash/<outcome>")
    def probe_flash(outcome: str):
        back = flash_and_redirect("/somewhere", stale_category="warning", lead="Chưa lưu:")
        return commit_or_answer(spy, _change(outcome), back)

    app.config["WTF_CSRF_ENABLED"] = False
    return spy


TYPED = {"title": "Tiêu đề đã sửa", "version": "3"}


def test_a_change_that_goes_through_is_committed(client, probe):
    response = client.post("/_probe/form/ok", data=TYPED)
    assert (response.status_code, response.get_data(as_text=True)) == (200, "saved")
    assert probe.calls == ["commit"]


def test_a_stale_version_answers_409_with_what_was_typed_and_the_current_version(client, probe):
    response = client.post("/_probe/form/stale", data=TYPED)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="Tiêu đề đã sửa"' in html  # what was typed is kept
    assert 'name="version" value="7"' in html  # saving again is deliberate
    assert "stale" in html and "Người khác" in html  # the message, in Vietnamese
    assert probe.calls == ["rollback"]


def test_a_rule_not_met_answers_422_with_the_posted_version(client, probe):
    response = client.post("/_probe/form/rule", data=TYPED)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Tiêu đề đã sửa"' in html and 'name="version" value="3"' in html
    assert html.count("class=problem") == 1 and "stale" not in html
    assert probe.calls == ["rollback"]


def test_a_permission_refusal_reaches_the_403_page(client, probe):
    response = client.post("/_probe/form/permission", data=TYPED)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Không có quyền" in html and 'value="Tiêu đề đã sửa"' not in html
    assert probe.calls == ["rollback"]


def test_the_messages_are_in_the_persons_language(client, probe):
    with client.session_transaction() as session:
        session["lang"] = "en"
    html = client.post("/_probe/form/stale", data=TYPED).get_data(as_text=True)
    assert "Someone else changed this practice first" in html


@pytest.mark.parametrize(
    "outcome,category", [("rule", "error"), ("stale", "warning")], ids=["rule", "stale"]
)
def test_the_flash_answer_goes_back_with_the_messages(client, probe, outcome, category):
    response = client.post(f"/_probe/flash/{outcome}", data=TYPED)
    assert response.status_code == 302 and response.headers["Location"] == "/somewhere"
    with client.session_transaction() as session:
        flashes = session["_flashes"]
    assert flashes[0] == (category, "Chưa lưu:")
    assert len(flashes) == 2 and flashes[1][0] == category
    assert probe.calls == ["rollback"]


def test_the_flash_answer_lets_a_permission_refusal_through(client, probe):
    assert client.post("/_probe/flash/permission", data=TYPED).status_code == 403
