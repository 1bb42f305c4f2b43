"""The commands of the ``vinhdanh`` CLI, attached to the app's ``cli`` group.

They live on the app (flaskr's ``init_app`` pattern), so ``app.test_cli_runner()`` and
the ``vinhdanh`` console script run the same code.
"""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from web.db import write_session


@click.group(cls=AppGroup)
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations to VINHDANH_DATABASE_URL (default: SQLite under instance/)."""
    import migrations
    migrations.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Cơ sở dữ liệu đã cập nhật đến phiên bản {revision}. / Database upgraded to {revision}.")


@click.group(cls=AppGroup)
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


@click.group(cls=AppGroup)
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


@click.group("import", cls=AppGroup)
def import_group() -> None:
    """Import units and users from CSV files (UTF-8)."""


def _run_import(kind: str, path: str, passwords_out: str | None = None) -> None:
    from workflow.importer import import_units, import_users
    importer = {"units": import_units, "users": import_users}[kind]
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    with write_session() as session:
        with click.progressbar(length=max(text.count("\n") - 1, 1), label=f"Nhập / importing {kind}") as bar:
            def progress(rows):
                for row in rows:
                    bar.update(1)
                    yield row
            result = importer(session, text, progress=progress)
        if result.errors:
            session.rollback()
            for error in result.errors:
                click.echo(error, err=True)
            click.echo("Không nhập gì vì tệp có lỗi. / Nothing imported: the file has errors.", err=True)
            sys.exit(1)
        session.commit()
    click.echo(f"Tạo mới / created: {result.created}; cập nhật / updated: {result.updated}")
    if result.passwords:
        target = passwords_out or "instance/imported-passwords.csv"
        with open(target, "w", encoding="utf-8") as out:
            out.write("username,password\n")
            out.writelines(f"{u},{p}\n" for u, p in result.passwords.items())
        click.echo(f"Mật khẩu tạo tự động đã ghi vào / generated passwords written to {target}")


@import_group.command("units")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_units_command(path: str) -> None:
    """Units: code, name, kind, locality, parent_code, email, phone."""
    _run_import("units", path)


@import_group.command("users")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--passwords-out", type=click.Path(dir_okay=False),
              help="Where to write passwords generated for users without one.")
def import_users_command(path: str, passwords_out: str | None) -> None:
    """Users: username, full_name, role, unit_code, email, phone, position, password."""
    _run_import("users", path, passwords_out)


@click.command("demo")
@with_appcontext
@click.option("--password", default=None, help="The one password of every demo account.")
def demo(password: str | None) -> None:
    """Load the demo data once (running it again changes nothing)."""
    from web.demo import DEMO_PASSWORD, DemoConflict, load_demo
    with write_session() as session:
        try:
            created = load_demo(session, password or DEMO_PASSWORD,
                                upload_dir=current_app.config["UPLOAD_DIR"], progress=click.echo)
        except DemoConflict as error:
            click.echo(str(error), err=True)
            sys.exit(1)
        session.commit()
    click.echo("Đã nạp dữ liệu mẫu. / Demo data loaded." if created
               else "Dữ liệu mẫu đã có sẵn. / Demo data was already loaded.")


def init_app(app: Flask) -> None:
    for command in (db, audit, workflow, import_group, demo):
        app.cli.add_command(command)
