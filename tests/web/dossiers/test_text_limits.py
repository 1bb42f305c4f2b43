"""Limited text fields show their limit and a count, and nothing typed is ever cut: an over-long
text is refused with the field, the length and the limit named, and comes back whole."""

from __future__ import annotations

import html as html_lib
import re

from sqlalchemy import func, select

from models import Dossier
from models.dossiers import MAX_LENGTH
from tests.fixtures.dossiers import nomination_fields, page, post_with_token, setup_dossier
from tests.fixtures.web import app_db

LIMIT = MAX_LENGTH["achievements"]


def _textarea(html: str, name: str) -> tuple[str, str]:
    """The opening tag and the text of the text area ``name``."""
    found = re.search(rf'(<textarea[^>]*name="{name}"[^>]*>)(.*?)</textarea>', html, re.S)
    # A browser drops one line break right after the opening tag (WTForms writes one).
    return found.group(1), html_lib.unescape(found.group(2)).removeprefix("\r\n")


def _count(app) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(Dossier))


def test_the_form_shows_the_limit_and_does_not_cut(app, client, app_world, auth):
    auth.login("staff_a")
    html = page(client, "/dossiers/new/nomination")
    tag, _ = _textarea(html, "achievements")
    assert "maxlength" not in tag and f'data-limit="{LIMIT}"' in tag
    assert 'aria-describedby="achievements-help achievements-count"' in tag
    counter = re.search(r'<p class="char-count" id="achievements-count".*?</p>', html, re.S)
    assert "0 / 20.000 ký tự" in counter.group(0)
    title = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert "maxlength" not in title and f'data-limit="{MAX_LENGTH["title"]}"' in title


def test_a_100000_character_text_is_refused_whole_and_kept(app, client, app_world, auth):
    auth.login("staff_a")
    text = ("Đạt giải Nhất hội thi giáo viên dạy giỏi cấp thành phố. " * 2000)[:100_000]
    response = post_with_token(
        client,
        "/dossiers/new/nomination",
        "/dossiers/new/nomination",
        nomination_fields(app_world, achievements=text),
    )
    assert response.status_code == 200 and _count(app) == 0
    html = response.get_data(as_text=True)
    assert _textarea(html, "achievements")[1] == text
    assert (
        "“Tóm tắt thành tích” có 100.000 ký tự, vượt quá giới hạn 20.000 ký tự: "
        "vui lòng rút gọn 80.000 ký tự." in html
    )
    assert "100.000 / 20.000 ký tự: vượt quá giới hạn 80.000 ký tự" in html
    # The other fields typed come back too.
    assert 'value="Đề nghị Lao động tiên tiến"' in html


def test_a_line_break_counts_once_as_the_counter_shows(app, client, app_world, auth):
    """Browsers send a line break as CR LF: a text at the limit with line breaks is not refused
    for the CRs the counter never showed."""
    auth.login("staff_a")
    lines = "a" * (LIMIT // 2 - 1) + "\r\n" + "b" * (LIMIT // 2)
    response = post_with_token(
        client,
        "/dossiers/new/nomination",
        "/dossiers/new/nomination",
        nomination_fields(app_world, achievements=lines),
    )
    assert response.status_code == 302
    with app_db(app) as session:
        stored = session.scalar(
            select(Dossier).where(Dossier.title == "Đề nghị Lao động tiên tiến")
        )
        assert stored.achievements == lines.replace("\r\n", "\n")
        assert len(stored.achievements) == LIMIT


def test_the_edit_form_refuses_an_over_long_summary_and_keeps_it(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, "plan")
    auth.login("staff_a")
    form = page(client, f"/dossiers/{dossier_id}/edit")
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    long = "Chỉ tiêu thi đua " * 1500
    response = post_with_token(
        client,
        f"/dossiers/{dossier_id}/edit",
        f"/dossiers/{dossier_id}/edit",
        {
            "title": "Kế hoạch đã sửa",
            "campaign_id": str(app_world.campaign.id),
            "document_number": "12/KH-THPT",
            "summary": long,
            "version": version,
        },
    )
    html = response.get_data(as_text=True)
    assert _textarea(html, "summary")[1] == long
    assert f"“Nội dung” có {len(long):,} ký tự".replace(",", ".") in html
    with app_db(app) as session:
        assert session.get(Dossier, dossier_id).title != "Kế hoạch đã sửa"


def test_a_paste_past_half_a_megabyte_is_still_read_and_refused_by_the_form(
    app, client, app_world, auth
):
    """Werkzeug's own limit on one text field (500 kB) would answer 413 before the form could
    be drawn again; the configured limit leaves the refusal to the form."""
    auth.login("staff_a")
    text = "Ưu tú " * 100_000  # 600,000 characters, 800 kB in UTF-8
    assert len(text.encode()) > 500_000
    response = post_with_token(
        client,
        "/dossiers/new/nomination",
        "/dossiers/new/nomination",
        nomination_fields(app_world, achievements=text),
    )
    assert response.status_code == 200 and _count(app) == 0
    assert "“Tóm tắt thành tích” có 600.000 ký tự" in response.get_data(as_text=True)
