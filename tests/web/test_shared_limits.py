"""Sign-in limits across two app processes: shared through Redis when it is configured, per
process without it; the database throttle of failed sign-ins is shared either way."""

from __future__ import annotations

import uuid

import pytest

from tests.fixtures.browsing import Browser
from tests.fixtures.people import PASSWORD
from tests.fixtures.queue import private_redis  # noqa: F401  (a fixture)
from tests.fixtures.servers import Server, server_env
from workflow.accounts.service import FREE_FAILURES

pytestmark = pytest.mark.slow
SECRET = "two-processes-one-secret"


def _two_servers(web_url, tmp_path, **env):
    settings = server_env(web_url, tmp_path / "instance", VINHDANH_RATELIMIT="1", **env)
    servers = [Server(settings, log=tmp_path / f"server-{n}.log") for n in range(2)]
    for server in servers:
        server.wait_ready()
    return servers


def _eleven_sign_ins(servers) -> list[int]:
    """Eleven wrong sign-ins from one address, each under a name of its own (so that only the
    limiter of 10 a minute can refuse them), alternating between the servers."""
    browser = Browser(SECRET)
    return [browser.sign_in(servers[n % 2].url, f"khong-co-{n}", "sai").status for n in range(11)]


def test_the_sign_in_limit_is_shared_through_redis(web_url, tmp_path, app_world, private_redis):
    env = {
        "VINHDANH_REDIS_URL": private_redis.url,
        "VINHDANH_REDIS_PREFIX": f"vinhdanh-test-{uuid.uuid4().hex[:8]}",
    }
    servers = _two_servers(web_url, tmp_path, **env)
    try:
        codes = _eleven_sign_ins(servers)
    finally:
        for server in servers:
            server.stop()
    assert codes[:10] == [200] * 10 and codes[10] == 429, codes  # one count for both


def test_without_redis_each_server_counts_its_own(web_url, tmp_path, app_world):
    servers = _two_servers(web_url, tmp_path)
    try:
        codes = _eleven_sign_ins(servers)
    finally:
        for server in servers:
            server.stop()
    assert codes == [200] * 11, codes  # six and five


def test_a_lockout_made_on_one_server_holds_on_the_other(web_url, tmp_path, app_world):
    servers = _two_servers(web_url, tmp_path)
    try:
        attacker = Browser(SECRET)
        for n in range(FREE_FAILURES + 1):
            attacker.sign_in(servers[n % 2].url, "reviewer", "đoán-mò")
        answers = [Browser(SECRET).sign_in(s.url, "reviewer", PASSWORD) for s in servers]
    finally:
        for server in servers:
            server.stop()
    assert [a.status for a in answers] == [429, 429]
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers)
