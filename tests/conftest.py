"""Test configuration: environment first (before the app's modules import), then fixtures.

Fixtures live in ``tests/fixtures/`` by domain and are star-imported here.
"""

import os
import tempfile

# Cheap password hashing and a throwaway instance folder for every test run.
os.environ["VINHDANH_PASSWORD_PROFILE"] = "cheapest"
os.environ.setdefault("VINHDANH_INSTANCE_DIR", tempfile.mkdtemp(prefix="vinhdanh-test-instance-"))
os.environ.pop("VINHDANH_DATABASE_URL", None)
os.environ.pop("VINHDANH_REDIS_URL", None)  # no queue unless a test starts a Redis of its own

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from flask import Flask  # noqa: E402

from models.clock import set_now  # noqa: E402
from tests.fixtures import TEST_NOW  # noqa: E402
from tests.fixtures.db import SHARED_DIR_VARIABLE, drop_shared  # noqa: E402
from tests.fixtures.templates import TEMPLATE_CODE  # noqa: E402

# The folder of the templates built once for the whole run (tests/fixtures/db.py): made by the
# process that starts the run, before it starts its xdist workers, which inherit it.
if "PYTEST_XDIST_WORKER" not in os.environ:
    os.environ[SHARED_DIR_VARIABLE] = tempfile.mkdtemp(prefix="vinhdanh-test-shared-")

# Every app of the run compiles a template once between them (tests/fixtures/templates.py).
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TEMPLATE_CODE}


def pytest_sessionfinish(session):
    """The run's templates go once every worker has ended (in the process that started them)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        drop_shared(Path(os.environ[SHARED_DIR_VARIABLE]))


@pytest.fixture(autouse=True, scope="session")
def _clock_for_the_session():
    """What the session builds once (database templates) is made an hour before the test day."""
    set_now(TEST_NOW - dt.timedelta(hours=1))
    yield
    set_now(None)


@pytest.fixture(autouse=True)
def _clock_on_the_test_day(_clock_for_the_session):
    """Every test starts at 09:00 on the test world's day, whatever the calendar says and
    however long the tests before it took: a test that offers an open campaign today, or
    waits an hour for a link to expire, sees the same clock on every run and in any order."""
    set_now(TEST_NOW)


from tests.fixtures.ballot_keys import cheap_ballot_keys  # noqa: E402, F401
from tests.fixtures.db import *  # noqa: E402, F403
from tests.fixtures.demo import *  # noqa: E402, F403
from tests.fixtures.mail_server import *  # noqa: E402, F403
from tests.fixtures.people import *  # noqa: E402, F403
from tests.fixtures.register import *  # noqa: E402, F403
from tests.fixtures.web import *  # noqa: E402, F403
