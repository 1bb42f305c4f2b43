"""The workflow page: diagrams and transition tables drawn from the definitions, for everyone."""

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import escape

from tests.fixtures.web import csrf_from
from web.workflow_pages.diagram import svg
from workflow.core.actors import ROLE_LABELS
from workflow.core.diagram import mermaid
from workflow.core.guards import Guard
from workflow.core.inputs import INPUTS
from workflow.core.registry import WORKFLOWS

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_texts(element: ET.Element) -> set[str]:
    """Each <text> of a drawing, its wrapped lines joined again."""
    return {
        " ".join(t.text or "" for t in text.iter(f"{SVG_NS}tspan"))
        for text in element.iter(f"{SVG_NS}text")
    }


def drawings(page: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def test_page_is_public_and_shows_every_state_and_action(client):
    response = client.get("/workflow/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    svgs = drawings(page)
    assert len(svgs) == len(WORKFLOWS)
    for element, wdef in zip(svgs, WORKFLOWS.values()):
        texts = svg_texts(element)
        for state in wdef.states:
            assert state.label_vi in texts and state.label_vi in page
        for tdef in wdef.transitions:
            assert tdef.label_vi in texts and tdef.label_vi in page
            # The code names the row for scripts; people read the label, never the code.
            assert f'data-trigger="{tdef.trigger}"' in page
            assert f"<code>{tdef.trigger}</code>" not in page
        assert mermaid(wdef, "vi").splitlines()[2].strip() in page.replace("&#34;", '"')


def test_table_lists_roles_inputs_and_guards(client):
    page = client.get("/workflow/").get_data(as_text=True)
    for label_vi, _ in ROLE_LABELS.values():
        if label_vi != "Quản trị" and label_vi != "Thành viên Hội đồng":  # they fire no transition
            assert label_vi in page
    for guard in every_guard():
        assert guard.label_vi in page
    for needed in {i for wdef in WORKFLOWS.values() for t in wdef.transitions for i in t.requires}:
        assert INPUTS[needed].label_vi in page
    for text in (
        "Lý do",
        "Số, ngày và người ký quyết định",
        "Phiên họp Hội đồng và kết quả biểu quyết",
        "chỉ hồ sơ của đơn vị mình",
        "ghi nhật ký công khai",
        "<details>",
    ):
        assert text in page


def every_guard() -> set[Guard]:
    return {g for wdef in WORKFLOWS.values() for t in wdef.transitions for g in t.guards}


def test_the_page_states_each_guard_in_the_chosen_language(client):
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/workflow/"})
    english = client.get("/workflow/").get_data(as_text=True)
    for guard in every_guard():
        assert escape(guard.label_en) in english and escape(guard.label_vi) not in english


@pytest.mark.parametrize("kind", list(WORKFLOWS))
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_svg_is_valid_labelled_and_free_of_inline_styles(kind, locale):
    wdef = WORKFLOWS[kind]
    drawing = svg(wdef, locale)
    element = ET.fromstring(drawing)
    assert element.tag == f"{SVG_NS}svg" and element.get("viewBox")
    assert "style=" not in drawing and "<script" not in drawing and "<style" not in drawing
    texts = svg_texts(element)
    en = locale == "en"
    assert {s.label_en if en else s.label_vi for s in wdef.states} <= texts
    assert {t.label_en if en else t.label_vi for t in wdef.transitions} <= texts
    boxes = [r for r in element.iter(f"{SVG_NS}rect") if r.get("rx") == "8"]
    assert len(boxes) == len(wdef.states)
    # One arrow per (transition, source), plus the arrow into the initial state.
    arrows = [p for p in element.iter(f"{SVG_NS}path") if p.get("marker-end")]
    assert len(arrows) == sum(len(t.sources) for t in wdef.transitions) + 1


def test_svg_boxes_do_not_overlap():
    for wdef in WORKFLOWS.values():
        element = ET.fromstring(svg(wdef))
        boxes = [
            tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))
            for r in element.iter(f"{SVG_NS}rect")
            if r.get("rx") == "8"
        ]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = (
                    a[0] + a[2] <= b[0]
                    or b[0] + b[2] <= a[0]
                    or a[1] + a[3] <= b[1]
                    or b[1] + b[3] <= a[1]
                )
                assert apart, (wdef.kind, a, b)


def test_svg_escapes_its_text():
    from dataclasses import replace

    wdef = WORKFLOWS["plan"]
    tricky = replace(
        wdef, states=tuple(replace(s, label_vi="<b>&" + s.label_vi) for s in wdef.states)
    )
    ET.fromstring(svg(tricky))  # still well-formed
    assert "<b>" not in svg(tricky)


def test_page_in_english(client):
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/workflow/"})
    english = client.get("/workflow/").get_data(as_text=True)
    assert "Council approves" in english and "Required inputs" in english
    assert "Within an open Council session with a quorum present" in english
