"""The app as a whole: factory, layers, security headers, CSRF, sign-in, errors, languages."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from tests.fixtures import ROOT
from tests.fixtures.web import csrf_from
from web import create_app


def test_factory_reads_test_config(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"
    assert app.config["WTF_CSRF_ENABLED"] is not False


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("VINHDANH_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("VINHDANH_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert create_app().config["SECRET_KEY"] == first and len(first) >= 32


def test_layers_are_kept():
    """web → workflow → models, and neither workflow nor models imports Flask."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ["/auth/login", "/", "/nope", "/static/app.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_resource_from_the_internet(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html


def test_post_without_csrf_token_is_refused(client, app_world):
    response = client.post("/auth/login", data={"username": "staff_a", "password": "x"})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)


def test_sign_in_with_wrong_password_does_not_reveal_the_user(client, app_world, auth):
    wrong = auth.login("staff_a", "sai-mat-khau").get_data(as_text=True)
    unknown = auth.login("khong-co-ai", "sai-mat-khau").get_data(as_text=True)
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong and message in unknown
    assert client.get("/").status_code == 302  # still signed out


def test_sign_in_redirects_only_to_local_paths(client, app_world):
    page = client.get("/auth/login?next=https://evil.example/")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={
            "username": "staff_a",
            "password": "Mật-khẩu-thử-1",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302 and response.location == "/"


def test_sign_out_needs_post_and_ends_session(client, app_world, auth):
    auth.login("head_a")
    assert client.get("/").status_code == 200
    assert client.get("/auth/logout").status_code == 405
    auth.logout()
    assert client.get("/").status_code == 302


def test_rotating_session_token_ends_open_sessions(app, client, app_world, auth):
    auth.login("staff_a")
    assert client.get("/").status_code == 200
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        user = session.get(type(app_world.users["staff_a"]), app_world.users["staff_a"].id)
        user.session_token = "rotated"
        session.commit()
        session.close()
    assert client.get("/").status_code == 302


def test_login_is_rate_limited(web_url, tmp_path, app_world):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": web_url,
            "SECRET_KEY": "t",
            "UPLOAD_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": True,
        }
    )
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    # A new name each time: the per-account throttle would answer 429 sooner.
    codes = [
        client.post(
            "/auth/login", data={"username": f"x{i}", "password": "y", "csrf_token": token}
        ).status_code
        for i in range(11)
    ]
    assert codes[-1] == 429 and 429 not in codes[:10]
    app.extensions["vinhdanh.engine"].dispose()


def test_error_pages_share_the_look(client):
    response = client.get("/khong-ton-tai")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy" in html and "site-header" in html


def test_language_switch_to_english_and_back(client, app_world):
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/auth/login"})
    english = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in" in english and 'lang="en"' in english
    client.post("/lang/vi", data={"csrf_token": csrf_from(english), "next": "/auth/login"})
    assert "Đăng nhập" in client.get("/auth/login").get_data(as_text=True)


def test_the_sign_in_prompt_speaks_the_persons_language(client, app_world):
    """A signed-out visit to a page that needs an account asks to sign in, in Vietnamese or,
    after the switch, in English (not the Vietnamese text on an English page)."""
    assert "Vui lòng đăng nhập để tiếp tục." in client.get("/", follow_redirects=True).text
    page = client.get("/auth/login").text
    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/auth/login"})
    english = client.get("/", follow_redirects=True).text
    assert "Please sign in to continue." in english
    assert "Vui lòng đăng nhập" not in english


def test_english_catalog_is_complete_and_compiled():
    """Every Vietnamese source string has its English translation, and the .mo is current."""
    from web.support import translations

    extracted = translations.extract()
    known = translations.fragments()
    missing = [
        m.id
        for m in extracted
        if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in known
    ]
    assert not missing, f"untranslated: {missing[:10]}"
    with translations.MO.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    for message in extracted:
        key = message.id if isinstance(message.id, str) else message.id
        if message.id:
            assert key in compiled, (
                f"{message.id!r} missing from messages.mo: run python -m web.support.translations"
            )


@pytest.mark.parametrize(
    "url,status",
    [
        ("/office/?campaign=²", 200),
        ("/office/?unit=¹&award=x", 200),
        ("/dossiers/?campaign=³&unit=²", 200),
        ("/dashboard/?campaign=²", 404),
    ],
)  # an unknown campaign
def test_a_digit_that_is_not_ascii_is_not_a_number(client, app_world, auth, url, status):
    """ "²".isdigit() is True but int("²") fails: such a query string once gave a 500."""
    auth.login("staff_a" if url.startswith("/dossiers") else "reviewer")
    assert client.get(url).status_code == status


def test_every_csv_route_has_its_content_type_checked(app):
    """Each of these routes' tests asserts the exact ``Content-Type`` (one charset); a new CSV
    route joins the list together with such a test."""
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}
    assert routes == {
        "/public/outcomes.csv",
        "/office/export.csv",
        "/office/selection.csv",
        "/dashboard/export.csv",
        "/register/export.csv",
    }
