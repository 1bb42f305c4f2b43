"""The ``vinhdanh`` console script: Flask's CLI (run, shell, routes) plus the app's commands
(db upgrade, demo, audit verify, workflow diagram, import), defined in ``web.commands``."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from web import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def main() -> None:
    """Vinh Danh: thi đua, khen thưởng (emulation and commendation) workflow."""


if __name__ == "__main__":  # ``python -m web.cli``: the same CLI from a checkout, uninstalled
    main()
