"""The ``vinhdanh`` command: serving, migrations, demo data, audit verification, diagrams."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup

from web.db import write_session


def _create_app():
    from web import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """Vinh Danh: thi đua, khen thưởng (emulation and commendation) workflow."""


@main.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations to VINHDANH_DATABASE_URL (default: SQLite under instance/)."""
    import migrations
    migrations.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Cơ sở dữ liệu đã cập nhật đến phiên bản {revision}. / Database upgraded to {revision}.")


@main.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@click.option("--expect-head", metavar="SEQ:HASH", help="A head published earlier that must still hold.")
def audit_verify(expect_head: str | None) -> None:
    """Recompute the chain; name the first broken event and exit 1 if anything was altered."""
    from workflow.audit import verify
    expected = None
    if expect_head:
        seq, _, digest = expect_head.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise click.BadParameter("dạng SEQ:HASH, ví dụ 42:ab12… / form SEQ:HASH", param_hint="--expect-head")
        expected = (int(seq), digest.lower())
    with write_session() as session:
        result = verify(session, expected)
    click.echo(f"Sự kiện / events: {result.count}")
    click.echo(f"Đầu chuỗi / head: {result.head_seq}:{result.head_hash}")
    if result.ok:
        click.echo("Nhật ký toàn vẹn. / The audit log is intact.")
        return
    click.echo(f"LỖI / BROKEN at event {result.bad_seq}: {result.problem}", err=True)
    sys.exit(1)


@main.group()
def workflow() -> None:
    """Lifecycle definitions."""


@workflow.command("diagram")
@click.argument("kind", type=click.Choice(["nomination", "plan", "report"]))
@click.option("--lang", "locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def workflow_diagram(kind: str, locale: str) -> None:
    """Print the Mermaid diagram of a lifecycle, drawn from its definition."""
    from workflow.definitions import WORKFLOWS
    from workflow.diagram import mermaid
    click.echo(mermaid(WORKFLOWS[kind], locale), nl=False)


@main.command("demo")
@click.option("--password", default=None, help="The one password of every demo account.")
def demo(password: str | None) -> None:
    """Load the demo data once (running it again changes nothing)."""
    from web.demo import DEMO_PASSWORD, load_demo
    with write_session() as session:
        created = load_demo(session, password or DEMO_PASSWORD,
                            upload_dir=current_app.config["UPLOAD_DIR"], progress=click.echo)
        session.commit()
    click.echo("Đã nạp dữ liệu mẫu. / Demo data loaded." if created
               else "Dữ liệu mẫu đã có sẵn. / Demo data was already loaded.")
