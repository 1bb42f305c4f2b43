"""The signed-in person as Flask-Login sees it: a plain value, not a database row."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin, current_user

from models import User
from web.db import get_session
from web.extensions import login_manager
from web.support.parsing import whole_number
from workflow.accounts.service import active_account
from workflow.core.actors import Actor


@dataclass(frozen=True)
class SignedInUser(UserMixin):
    """Who is signed in, with the ``Actor`` the workflow engine needs."""

    id: int
    username: str
    full_name: str
    locale: str
    token: str
    actor: Actor
    # A one-time password from an admin: nothing else until the person has chosen their own.
    must_change_password: bool = False

    @classmethod
    def of(cls, user: User) -> SignedInUser:
        return cls(
            user.id,
            user.username,
            user.full_name,
            user.locale,
            user.session_token,
            Actor.from_user(user),
            user.must_change_password,
        )

    def get_id(self) -> str:
        # Rotating the user's session_token ends every session that holds the old one.
        return f"{self.id}:{self.token}"


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    ident, _, token = user_id.partition(":")
    user_id_number = whole_number(ident)
    if user_id_number is None:
        return None
    account = active_account(get_session(), user_id_number, token)
    if account is None:
        return None
    return SignedInUser(
        account.id,
        account.username,
        account.full_name,
        account.locale,
        account.session_token,
        account.actor,
        account.must_change_password,
    )


def current_actor() -> Actor | None:
    """The signed-in person's actor, or None for a visitor."""
    return current_user.actor if current_user.is_authenticated else None
