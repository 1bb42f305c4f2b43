"""The Flask application: a factory made of named configuration steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from models import instance_dir


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with ``test_config`` on top."""
    app = Flask(__name__, instance_path=str(instance_dir()))
    configure_app(app, test_config)
    configure_extensions(app)
    configure_blueprints(app)
    configure_templates(app)
    return app


def configure_app(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    from web.config import from_environment
    from web.support.parsing import RecordId

    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    app.url_map.converters["int"] = RecordId  # before any blueprint adds its routes
    trust_proxy_headers(app)


def trust_proxy_headers(app: Flask) -> None:
    """Take the client's address, scheme and host from the ``PROXY_HOPS`` nearest proxies'
    X-Forwarded-* headers, so that the sign-in limits count clients, not the proxy. With no
    proxy configured the headers are ignored: any client can write them."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )


def configure_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from web import commands, db, errors, security
    from web.extensions import csrf, limiter, login_manager
    from web.support import i18n, timing, uploads
    from web.support.sessions import SessionInterface

    app.session_interface = SessionInterface()
    timing.init_app(app)  # first: its after_request hook runs after every other one
    db.init_app(app)
    uploads.init_app(app)  # before CSRF, which reads the form: a request too large is not read
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Worded in the person's language when it is flashed (a lazy string cannot be stored).
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    commands.init_app(app)


def configure_blueprints(app: Flask) -> None:
    from web.admin import bp as admin
    from web.auth import bp as auth
    from web.auth import user  # noqa: F401  (registers the user loader)
    from web.awards import bp as awards
    from web.campaigns import bp as campaigns
    from web.council import bp as council
    from web.dashboard import bp as dashboard
    from web.dossiers import bp as dossiers
    from web.home import bp as home
    from web.notifications import bp as notifications
    from web.office import bp as office
    from web.people import bp as people
    from web.practices import bp as practices
    from web.proposals import bp as proposals
    from web.public import bp as public
    from web.verify import bp as verify
    from web.workflow_pages import bp as workflow_pages

    for blueprint in (
        auth,
        home,
        dossiers,
        proposals,
        office,
        council,
        public,
        verify,
        workflow_pages,
        notifications,
        dashboard,
        campaigns,
        practices,
        awards,
        people,
        admin,
    ):
        app.register_blueprint(blueprint)


def configure_templates(app: Flask) -> None:
    from web.support.templating import init_app

    init_app(app)
