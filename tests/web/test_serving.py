"""Production serving: proxy headers trusted only as configured, secure cookies when asked,
and a huge request refused by the real gunicorn server without reading its body."""

from __future__ import annotations

import gc
import socket
import time

import pytest

from tests.fixtures.servers import Server, server_env
from tests.fixtures.web import AuthActions
from web import create_app
from web.serve import YOUNG_GENERATION, ServeOptions, VinhDanhServer, default_workers
from workflow.accounts.service import FREE_FAILURES

ONE_GB = 1024**3


def _app(web_url, tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": web_url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            **config,
        }
    )


def _from(app, forwarded_for: str) -> AuthActions:
    """A client at 192.0.2.1 (the proxy, or an attacker) that claims ``forwarded_for``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return AuthActions(client)


@pytest.mark.parametrize("hops", [0, 1])
def test_the_sign_in_limit_counts_forwarded_addresses_only_behind_a_trusted_proxy(
    web_url, tmp_path, hops
):
    app = _app(web_url, tmp_path, RATELIMIT_ENABLED=True, PROXY_HOPS=hops)
    try:
        # 10 sign-ins a minute per address, each with a name of its own so that the
        # database throttle (per name and address) never steps in.
        codes = [
            _from(app, f"198.51.100.{n}").login(f"ai-do-{n}", "sai").status_code for n in range(11)
        ]
    finally:
        app.extensions["vinhdanh.engine"].dispose()
    if hops == 0:  # every claim is ignored: eleven posts from one address, the last refused
        assert codes[:10] == [200] * 10 and codes[10] == 429
    else:  # behind one proxy, eleven clients of one post each
        assert codes == [200] * 11


@pytest.mark.parametrize("hops", [0, 1])
def test_the_failed_sign_in_throttle_keys_on_the_trusted_address(
    web_url, tmp_path, app_world, hops
):
    app = _app(web_url, tmp_path, RATELIMIT_ENABLED=False, PROXY_HOPS=hops)
    try:
        attacker = _from(app, "203.0.113.66")
        for _ in range(FREE_FAILURES + 1):
            attacker.login("reviewer", "đoán-mò")
        # The owner, elsewhere, is known apart from the attacker only through the header.
        response = _from(app, "10.9.8.7").login("reviewer")
    finally:
        app.extensions["vinhdanh.engine"].dispose()
    assert response.status_code == (429 if hops == 0 else 302)


def test_secure_cookies_when_asked(web_url, tmp_path, app_world, monkeypatch):
    monkeypatch.setenv("VINHDANH_SECURE_COOKIES", "1")
    app = _app(web_url, tmp_path, RATELIMIT_ENABLED=False)
    try:
        response = AuthActions(app.test_client()).login("reviewer")
    finally:
        app.extensions["vinhdanh.engine"].dispose()
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_cookies_are_not_marked_secure_by_default(web_url, tmp_path, app_world, monkeypatch):
    monkeypatch.delenv("VINHDANH_SECURE_COOKIES", raising=False)
    app = _app(web_url, tmp_path, RATELIMIT_ENABLED=False)
    try:
        response = AuthActions(app.test_client()).login("reviewer")
    finally:
        app.extensions["vinhdanh.engine"].dispose()
    assert "Secure" not in response.headers["Set-Cookie"]


def test_the_worker_count_is_two_per_cpu_plus_one_unless_set():
    assert ServeOptions().gunicorn_settings()["workers"] == default_workers()
    assert ServeOptions(workers=3).gunicorn_settings()["workers"] == 3
    settings = ServeOptions(bind="0.0.0.0:9000", access_log="").gunicorn_settings()
    assert settings["bind"] == ["0.0.0.0:9000"] and "accesslog" not in settings
    assert settings["preload_app"] is False


def test_a_worker_freezes_its_start_up_heap_and_collects_young_objects_less_often():
    built = object()
    threshold = gc.get_threshold()
    try:
        assert VinhDanhServer(lambda: built, ServeOptions()).load() is built
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_GENERATION, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    # A page answered 413 by the request limit, and a form that reads up to the parse ceiling
    # to draw itself again (web/support/uploads.py): both refuse from the Content-Length.
    ["/auth/login", "/dossiers/1/edit"],
)
def test_a_one_gigabyte_body_is_refused_without_being_read(web_url, tmp_path, path):
    server = Server(server_env(web_url, tmp_path / "instance"), log=tmp_path / "server.log")
    try:
        server.wait_ready()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
            started = time.monotonic()
            conn.sendall(
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
                + b"Content-Type: multipart/form-data; boundary=xyz\r\n"
                + f"Content-Length: {ONE_GB}\r\n\r\n".encode()
                + b"--xyz\r\n"  # and then nothing more: a slow client, or one that lies
            )
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    print(f"413 for a 1 GB Content-Length to {path} after {elapsed * 1000:.1f} ms")
    assert elapsed < 5  # read nothing: gunicorn's own timeout would take 60 s
