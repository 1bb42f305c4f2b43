"""The session cookie: Flask's signed cookie, sent again only when what it holds has changed.

A visitor's session holds only the CSRF token of the page's forms, yet flask-login's strong
session protection marks it modified on every request (it clears the sign-in keys such a session
does not hold): Flask would sign and send the same cookie with every public page. A cookie not
sent again keeps its signature's time, so a session ends ``PERMANENT_SESSION_LIFETIME`` after
it last changed, a visitor's as a signed-in person's always did (their language choice with it)."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class ArrivedSession(SecureCookieSession):
    """A session that knows what it held when the request brought it (serialised)."""

    arrived: str | None = None


class SessionInterface(SecureCookieSessionInterface):
    session_class = ArrivedSession

    def open_session(self, app: Flask, request: Request) -> ArrivedSession | None:
        session = super().open_session(app, request)
        if session:
            session.arrived = self.serializer.dumps(dict(session))
        return session

    def should_set_cookie(self, app: Flask, session: SecureCookieSession) -> bool:
        if session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]:
            return True
        arrived = getattr(session, "arrived", None)
        return session.modified and self.serializer.dumps(dict(session)) != arrived
