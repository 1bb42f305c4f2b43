"""The public site: outcome list, permalinks, CSV, the audit head and the public event feed."""

import csv
import io
import json
import subprocess
import sys
import unicodedata

import pytest

import web.public.views
from models import Nomination
from tests.fixtures import ROOT
from tests.fixtures.people import NOMINATION_PATHS, NOW, PEOPLE, make_dossier
from tests.fixtures.web import app_db
from workflow import fire
from workflow.core.audit import current_head
from workflow.core.verifier import main as verifier

PUBLISHED = {"Trần Phú", "Đặng Văn Hải", "Lê Văn Bảo"}
# What must never reach the public: accounts, contacts, content, reasons, signer.
PRIVATE = [
    "@example.vn",
    "staff_a",
    "head_a",
    "reviewer",
    "secretary",
    "Nguyễn Thị Hồng",
    "Giáo viên dạy giỏi",
    "Lý do kiểm thử",
    "Nguyễn Văn Giám",
    "Minh chứng",
]


@pytest.fixture()
def site(app, app_world):
    """Published outcomes (two units, two campaigns' worth of dates) and every other state."""
    made = {}
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        world = app_world

        def publish(key, date, number, kind="nomination", **fields):
            dossier = make_dossier(
                session, world, kind, "approved" if kind == "nomination" else "classified", **fields
            )
            fire(
                session,
                dossier.id,
                "publish",
                world.actor("secretary"),
                now=NOW,
                inputs={
                    "decision_number": number,
                    "decision_date": date,
                    "decision_signer": "Nguyễn Văn Giám",
                },
            )
            made[key] = dossier.id

        publish("phu", "2026-06-05", "05/QĐ-SGDĐT", nominee_name="Trần Phú", position="Giáo viên")
        publish(
            "hai",
            "2026-06-07",
            "07/QĐ-SGDĐT",
            nominee_name="Đặng Văn Hải",
            award_type_id=world.awards["cstdcs"].id,
        )
        publish("bao", "2026-06-06", "06/QĐ-SGDĐT", unit="b", nominee_name="Lê Văn Bảo")
        publish("report", "2026-06-08", "08/QĐ-SGDĐT", kind="report", unit="b")
        for state in NOMINATION_PATHS:
            if state != "published":
                made[state] = make_dossier(
                    session, world, "nomination", state, nominee_name=f"Chưa công bố {state}"
                ).id
        made["classified"] = make_dossier(session, world, "report", "classified").id
        made["plan"] = make_dossier(session, world, "plan", "accepted").id
        session.commit()
        session.close()
    return made


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def listed(page: str) -> set[str]:
    """Names in the outcome table of a page."""
    candidates = (
        PUBLISHED
        | {"Trường Tiểu học Đặng Trần Côn"}
        | {f"Chưa công bố {s}" for s in NOMINATION_PATHS}
    )
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return {name for name in candidates if f">{name}</a>" in body}


def test_only_published_outcomes_without_sign_in(client, site):
    page = html(client.get("/public/"))
    assert listed(page) == PUBLISHED | {"Trường Tiểu học Đặng Trần Côn"}
    assert "Chưa công bố" not in page
    for text in (
        "05/QĐ-SGDĐT",
        "05/06/2026",
        "Lao động tiên tiến",
        "Chiến sĩ thi đua cơ sở",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Phong trào thi đua năm 2026",
        "Giáo viên",
    ):
        assert text in page


def test_no_personal_data_beyond_the_listed_fields(client, site):
    pages = [
        html(client.get("/public/")),
        html(client.get(f"/public/outcomes/{site['phu']}")),
        html(client.get("/public/audit")),
        client.get("/public/outcomes.csv").get_data(as_text=True),
    ]
    for page in pages:
        for secret in PRIVATE:
            assert secret not in page, secret
    for username in PEOPLE:
        assert f">{username}<" not in pages[0]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("tran phu", {"Trần Phú", "Đặng Văn Hải"}),  # Hải's unit is "Trường THPT Chuyên Trần Phú"
        ("TRAN PHU", {"Trần Phú", "Đặng Văn Hải"}),
        ("Trần Phú", {"Trần Phú", "Đặng Văn Hải"}),
        ("dang", {"Đặng Văn Hải", "Lê Văn Bảo", "Trường Tiểu học Đặng Trần Côn"}),
        ("Đặng", {"Đặng Văn Hải", "Lê Văn Bảo", "Trường Tiểu học Đặng Trần Côn"}),
        (unicodedata.normalize("NFD", "Đặng Văn Hải"), {"Đặng Văn Hải"}),
        ("van hai", {"Đặng Văn Hải"}),
        ("hai van", {"Đặng Văn Hải"}),
        ("tran nobody", set()),
    ],
)
def test_search_ignores_diacritics_and_case(client, site, query, expected):
    page = html(client.get("/public/", query_string={"q": query}))
    assert listed(page) == expected
    assert f'value="{query}"' in page  # the search box keeps what was typed


def test_filters(client, site, app_world):
    unit_b = app_world.units["b"].id
    assert listed(html(client.get(f"/public/?unit={unit_b}"))) == {
        "Lê Văn Bảo",
        "Trường Tiểu học Đặng Trần Côn",
    }
    assert listed(html(client.get(f"/public/?award={app_world.awards['cstdcs'].id}"))) == {
        "Đặng Văn Hải"
    }
    assert listed(html(client.get("/public/?award=excellent"))) == {"Trường Tiểu học Đặng Trần Côn"}
    assert listed(html(client.get("/public/?year=2026"))) == PUBLISHED | {
        "Trường Tiểu học Đặng Trần Côn"
    }
    assert listed(html(client.get("/public/?year=2025"))) == set()
    assert listed(html(client.get(f"/public/?campaign={app_world.campaign.id}&q=bao"))) == {
        "Lê Văn Bảo"
    }
    # Malformed filters are ignored, never an error.
    assert listed(
        html(client.get("/public/?year=abc&unit=%27&award=x%25&sort=evil"))
    ) == PUBLISHED | {"Trường Tiểu học Đặng Trần Côn"}


def test_pagination_and_default_order(client, site, monkeypatch):
    monkeypatch.setattr(web.public.views, "PER_PAGE", 3)
    first, second = html(client.get("/public/")), html(client.get("/public/?page=2"))
    # Newest decision first: 08 (report), 07 (Hải), 06 (Bảo) | 05 (Phú).
    assert listed(first) == {"Trường Tiểu học Đặng Trần Côn", "Đặng Văn Hải", "Lê Văn Bảo"}
    assert listed(second) == {"Trần Phú"}
    assert "Trang 1/2" in first and 'rel="next"' in first and 'rel="prev"' in second
    by_name = html(client.get("/public/?sort=name"))
    assert listed(by_name) == {"Lê Văn Bảo", "Trường Tiểu học Đặng Trần Côn", "Đặng Văn Hải"}


def test_permalink_for_published_outcomes_only(client, site):
    page = html(client.get(f"/public/outcomes/{site['hai']}"))
    for text in (
        "Đặng Văn Hải",
        "Chiến sĩ thi đua cơ sở",
        "07/QĐ-SGDĐT",
        "07/06/2026",
        "Trường THPT Chuyên Trần Phú",
        "Phong trào thi đua năm 2026",
    ):
        assert text in page
    with client.application.app_context():
        session = client.application.extensions["vinhdanh.read"]()
        from workflow.publication.outcomes import publication_event

        event = publication_event(session, site["hai"])
        session.close()
    assert event.hash in page and f">{event.seq}<" in page
    report = html(client.get(f"/public/outcomes/{site['report']}"))
    assert "Hoàn thành xuất sắc nhiệm vụ" in report
    hidden = [v for k, v in site.items() if k not in ("phu", "hai", "bao", "report")]
    for dossier_id in hidden + [999999]:
        response = client.get(f"/public/outcomes/{dossier_id}")
        assert response.status_code == 404
        assert "Chưa công bố" not in response.get_data(as_text=True)


def test_an_outcome_links_the_public_page_of_the_register_entry_it_names(
    app, client, site, app_world
):
    with app_db(app) as session:
        group = make_dossier(
            session,
            app_world,
            "nomination",
            "published",
            nominee_kind="collective",
            nominee_name="Tổ Toán - Tin",
            award_type_id=app_world.awards["ttldtt"].id,
        )
        person_id = session.get(Nomination, site["phu"]).person_id
        named = {
            site["phu"]: f"/register/public/people/{person_id}",
            group.id: f"/register/public/collectives/{group.collective_id}",
        }
    for dossier_id, entry_url in named.items():
        page = html(client.get(f"/public/outcomes/{dossier_id}"))
        assert f'href="{entry_url}"' in page
        assert html(client.get(entry_url))  # the link leads to a page
    report = html(client.get(f"/public/outcomes/{site['report']}"))
    assert "/register/public/" not in report and "các khen thưởng khác" not in report


def test_csv_export_of_the_filtered_list(client, site, app_world):
    response = client.get(f"/public/outcomes.csv?unit={app_world.units['a'].id}&sort=name")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == [
        "Danh hiệu, hình thức khen thưởng",
        "Họ tên / tên tập thể",
        "Chức vụ",
        "Đơn vị",
    ]
    assert [r[1] for r in rows[1:]] == ["Đặng Văn Hải", "Trần Phú"]
    assert rows[2][6:8] == ["05/QĐ-SGDĐT", "05/06/2026"]
    assert rows[2][8].endswith(f"/public/outcomes/{site['phu']}")
    seq, digest = _head(client)
    assert response.headers["X-Audit-Head"] == f"{seq}:{digest}"


def test_csv_neutralises_formulas(app, client, app_world):
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        dossier = make_dossier(
            session,
            app_world,
            "nomination",
            "approved",
            nominee_name='=HYPERLINK("http://x","Bấm xem")',
            position="=1+1",
        )
        fire(
            session,
            dossier.id,
            "publish",
            app_world.actor("secretary"),
            now=NOW,
            inputs={
                "decision_number": "09/QĐ-SGDĐT",
                "decision_date": "2026-06-09",
                "decision_signer": "Nguyễn Văn Giám",
            },
        )
        session.commit()
        session.close()
    text = client.get("/public/outcomes.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][1:3] == ['\'=HYPERLINK("http://x","Bấm xem")', "'=1+1"]


def _head(client):
    with client.application.app_context():
        session = client.application.extensions["vinhdanh.read"]()
        head = current_head(session)
        session.close()
    return head


def test_head_is_shown_and_served_as_json(client, site):
    seq, digest = _head(client)
    assert client.get("/public/audit/head.json").get_json() == {"seq": seq, "hash": digest}
    for path in ("/public/", "/public/audit", f"/public/outcomes/{site['phu']}"):
        page = html(client.get(path))
        assert digest in page and f"<strong>{seq}</strong>" in page
        assert path == "/public/audit" or 'href="/public/audit"' in page
    audit = html(client.get("/public/audit"))
    assert "python -m workflow.core.verifier verify-file events.json" in audit
    assert f"--expect-head {seq}:{digest}" in audit


def download(client) -> list[dict]:
    """Every event, following the ``next`` links, 7 per page."""
    events, url = [], "/public/audit/events.json?after=0&limit=7"
    while url:
        body = client.get(url).get_json()
        events += body["events"]
        url = body["next"]
        if url:
            assert url.startswith("http://localhost/public/audit/events.json?")
            url = url.removeprefix("http://localhost")
    return events


def test_events_feed_withholds_internal_content(client, site):
    events = download(client)
    seq, digest = _head(client)
    assert [e["seq"] for e in events] == list(range(1, seq + 1)) and events[-1]["hash"] == digest
    public = [e for e in events if e["visibility"] == "public"]
    assert len(public) == 4  # the four publications
    assert all("canonical" in e for e in public)
    assert all("canonical" not in e for e in events if e["visibility"] == "internal")
    assert '"action":"publish"' in public[0]["canonical"]
    feed = client.get("/public/audit/events.json?after=0&limit=5000").get_json()
    assert len(feed["events"]) == min(seq, 1000)
    assert client.get("/public/audit/events.json?after=-1").status_code == 400
    assert client.get("/public/audit/events.json?limit=abc").status_code == 400
    last = client.get(f"/public/audit/events.json?after={seq}").get_json()
    assert last["events"] == [] and last["next"] is None


def test_standalone_verifier_passes_then_names_the_altered_event(client, site, tmp_path, capsys):
    events = download(client)
    seq, digest = _head(client)
    exported = tmp_path / "events.json"
    exported.write_text(json.dumps({"events": events}), encoding="utf-8")
    assert verifier(["verify-file", str(exported), "--expect-head", f"{seq}:{digest}"]) == 0
    assert "intact" in capsys.readouterr().out
    # The real entry point, as the public page tells people to run it.
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "workflow.core.verifier",
            "verify-file",
            str(exported),
            "--contains",
            f"{seq}:{digest}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert f"{seq}:{digest}" in run.stdout
    assert "Warning" not in run.stderr  # runpy warns when the module ran is imported by its package

    public = next(e for e in events if "canonical" in e)
    internal = next(e for e in events if "canonical" not in e and e["seq"] > 3)
    for record, change in (
        (public, {"canonical": public["canonical"].replace("05/", "50/")}),
        (internal, {"leaf_hash": "0" * 64}),
        (public, {"occurred_at": "2020-01-01T00:00:00.000000Z"}),
    ):
        altered = tmp_path / "altered.json"
        altered.write_text(
            json.dumps({"events": [dict(e, **change) if e is record else e for e in events]}),
            encoding="utf-8",
        )
        assert verifier(["verify-file", str(altered)]) == 1
        assert f"at event {record['seq']}:" in capsys.readouterr().err

    dropped = tmp_path / "dropped.json"
    dropped.write_text(json.dumps([e for e in events if e["seq"] != 5]), encoding="utf-8")
    assert verifier(["verify-file", str(dropped)]) == 1
    assert "at event 5:" in capsys.readouterr().err
    assert verifier(["verify-file", str(exported), "--expect-head", f"{seq}:{'f' * 64}"]) == 1
    assert verifier(["verify-file", str(exported), "--contains", f"3:{'a' * 64}"]) == 1
    assert "at event 3:" in capsys.readouterr().err


def test_english_pages(client, site):
    page = client.get("/auth/login").get_data(as_text=True)
    from tests.fixtures.web import csrf_from

    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/public/"})
    listing = html(client.get("/public/"))
    assert "Advanced Worker" in listing and "Completed tasks excellently" in listing
    audit = html(client.get("/public/audit"))
    assert "How to verify" in audit
