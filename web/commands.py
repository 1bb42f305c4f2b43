"""The commands of the ``vinhdanh`` CLI, attached to the app's ``cli`` group.

They live on the app (flaskr's ``init_app`` pattern), so ``app.test_cli_runner()`` and
the ``vinhdanh`` console script run the same code.
"""

from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from models.dossiers import DOSSIER_KINDS
from web.db import write_session
from web.support.parsing import whole_number


@click.group(cls=AppGroup)
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations to VINHDANH_DATABASE_URL (default: SQLite under instance/)."""
    import migrations

    migrations.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(
        f"Cơ sở dữ liệu đã cập nhật đến phiên bản {revision}. / Database upgraded to {revision}."
    )


@click.group(cls=AppGroup)
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign a checkpoint of the log (for cron, daily); makes the key the first time."""
    from web.support.checkpoints import signer
    from workflow.core.checkpoints import sign_checkpoint

    found = signer(current_app, create=True)
    with write_session() as session:
        signed = sign_checkpoint(session, found)
        session.commit()
        if signed.verdict is not None:
            click.echo(
                f"LỖI: {signed.verdict.message('vi')} / ERROR: {signed.verdict.message('en')}",
                err=True,
            )
            sys.exit(1)
        if signed.checkpoint is None:
            click.echo(
                "Không có sự kiện mới từ điểm kiểm chứng trước; không ký thêm. / "
                "No new event since the latest checkpoint; nothing signed."
            )
            return
        click.echo(signed.checkpoint.note, nl=False)
    click.echo(f"Đã ký điểm kiểm chứng; khóa công khai / signed; public key: {found.verifier_key}")


def _verifier_key(text: str | None):
    """The key to check a checkpoint with: given (or a file holding it), else this server's."""
    from web.support.checkpoints import signer
    from workflow.core.checkpoints import VerifierKey

    if text is None:
        found = signer(current_app)
        if found is None:
            raise click.UsageError(
                "Máy chủ này chưa có khóa ký; hãy cho khóa công khai bằng --key. / "
                "This server has no signing key; give the public key with --key."
            )
        return found.verifier_key
    if "+" not in text and os.path.isfile(text):
        with open(text, encoding="utf-8") as handle:
            text = handle.read()
    try:
        return VerifierKey.parse(text)
    except ValueError:
        raise click.BadParameter(
            "không phải khóa công khai dạng tên+mã+khóa / not a name+id+key verifier key",
            param_hint="--key",
        ) from None


def _check_kept_checkpoint(path: str, key_text: str | None) -> None:
    from workflow.core.checkpoints import check_kept

    key = _verifier_key(key_text)
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    with write_session() as session:
        verdict = check_kept(session, text, key)
        session.commit()  # the tree's new nodes, if the log grew since the last checkpoint
    if verdict.ok:
        click.echo(f"{verdict.message('vi')} / {verdict.message('en')}")
        return
    click.echo(f"LỖI: {verdict.message('vi')} / BROKEN: {verdict.message('en')}", err=True)
    sys.exit(1)


@audit.command("verify")
@click.option(
    "--expect-head", metavar="SEQ:HASH", help="A head published earlier that must still hold."
)
@click.option(
    "--checkpoint",
    type=click.Path(exists=True, dir_okay=False),
    help="A checkpoint kept earlier: check it against today's log with a consistency proof.",
)
@click.option(
    "--key",
    "key_text",
    metavar="NAME+ID+KEY",
    help="The public key the checkpoint must carry (or a file holding it); default: this server's.",
)
def audit_verify(expect_head: str | None, checkpoint: str | None, key_text: str | None) -> None:
    """Recompute the chain; name the first broken event and exit 1 if anything was altered.
    With --checkpoint: check a kept checkpoint by a consistency proof only."""
    from workflow.core.audit import verify

    if checkpoint:
        _check_kept_checkpoint(checkpoint, key_text)
        return
    expected = None
    if expect_head:
        seq, _, digest = expect_head.partition(":")
        if whole_number(seq) is None or len(digest) != 64:
            raise click.BadParameter(
                "dạng SEQ:HASH, ví dụ 42:ab12… / form SEQ:HASH", param_hint="--expect-head"
            )
        expected = (int(seq), digest.lower())
    from workflow.core.checkpoints import check_tree

    with write_session() as session:
        result = verify(session, expected)
        tree = check_tree(session)
    click.echo(f"Sự kiện / events: {result.count}")
    click.echo(f"Đầu chuỗi / head: {result.head_seq}:{result.head_hash}")
    if tree is not None:
        words = f"{tree.message('vi')} / {tree.message('en')}"
        click.echo(words if tree.ok else f"LỖI: {words}", err=not tree.ok)
    if result.ok and (tree is None or tree.ok):
        click.echo("Nhật ký toàn vẹn. / The audit log is intact.")
        return
    if result.problem:
        click.echo(
            f"LỖI tại sự kiện {result.bad_seq}: {result.problem_vi} / "
            f"BROKEN at event {result.bad_seq}: {result.problem}",
            err=True,
        )
    if result.missing_triggers:
        names = ", ".join(result.missing_triggers)
        click.echo(
            f"LỖI: nhật ký thiếu trigger chống sửa, xóa ({names}); chạy “vinhdanh db upgrade” "
            f"để khôi phục. / BROKEN: the audit log's append-only triggers are missing ({names}); "
            "run “vinhdanh db upgrade” to restore them.",
            err=True,
        )
    sys.exit(1)


@click.group(cls=AppGroup)
def workflow() -> None:
    """Lifecycle definitions."""


@workflow.command("diagram")
@click.argument("kind", type=click.Choice(DOSSIER_KINDS))
@click.option("--lang", "locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def workflow_diagram(kind: str, locale: str) -> None:
    """Print the Mermaid diagram of a lifecycle, drawn from its definition."""
    from workflow.core.diagram import mermaid
    from workflow.core.registry import WORKFLOWS

    click.echo(mermaid(WORKFLOWS[kind], locale), nl=False)


@click.group("import", cls=AppGroup)
def import_group() -> None:
    """Import units and users (CSV), and the register: staff, ratings, history (XLSX or CSV)."""


def _run_import(kind: str, path: str, passwords_out: str | None = None) -> None:
    from workflow.accounts.admin_imports import import_at_console

    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    with write_session() as session:
        with click.progressbar(
            length=max(text.count("\n") - 1, 1), label=f"Nhập / importing {kind}"
        ) as bar:

            def progress(rows):
                for row in rows:
                    bar.update(1)
                    yield row

            result = import_at_console(session, kind, text, progress=progress)
        if result.errors:
            session.rollback()
            for error in result.errors:
                click.echo(error, err=True)
            click.echo(
                "Không nhập gì vì tệp có lỗi. / Nothing imported: the file has errors.", err=True
            )
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
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False),
    help="Where to write passwords generated for users without one.",
)
def import_users_command(path: str, passwords_out: str | None) -> None:
    """Users: username, full_name, role, unit_code, email, phone, position, password."""
    _run_import("users", path, passwords_out)


def _print_refusal(messages_vi: list[str], messages_en: list[str], prefix: str = "") -> None:
    for vi, en in zip(messages_vi, messages_en, strict=True):
        click.echo(f"{prefix}{vi}", err=True)
        click.echo(f"{prefix.replace('Dòng', 'Line')}{en}", err=True)


def _register_import(kind: str, path: str | None, unit_code: str | None, template: str | None):
    """Write the template, or import ``path`` into the register: all rows or none."""
    from sqlalchemy import select

    from models import Unit
    from workflow.core.errors import WorkflowError
    from workflow.documents.import_templates import template_csv, template_xlsx
    from workflow.people.imports import ImportRefused, digest, import_table
    from workflow.people.spreadsheets import read_table

    if template:
        writer = template_csv if template.lower().endswith(".csv") else template_xlsx
        with open(template, "wb") as out:
            out.write(writer(kind))
        click.echo(f"Đã ghi tệp mẫu / template written: {template}")
        return
    if not path:
        raise click.UsageError("Cần tên tệp cần nhập (FILE). / FILE is required.")
    with open(path, "rb") as handle:
        data = handle.read()
    with write_session() as session:
        unit_id = None
        if unit_code:
            unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
            if unit_id is None:
                click.echo(f"Không có đơn vị mã “{unit_code}”. / No unit “{unit_code}”.", err=True)
                sys.exit(1)
        try:
            table = read_table(data, path)
            with click.progressbar(length=len(table.rows), label="Đang kiểm tra / checking") as bar:
                done = import_table(
                    session,
                    None,
                    kind,
                    table,
                    unit_id=unit_id,
                    sha256=digest(data),
                    file_name=path,
                    progress=bar.update,
                )
        except ImportRefused as refused:
            session.rollback()
            for row in refused.preview.rows:
                _print_refusal(
                    [p.message("vi") for p in row.problems],
                    [p.message("en") for p in row.problems],
                    f"Dòng {row.number}: ",
                )
            _print_refusal(refused.messages("vi"), refused.messages("en"))
            sys.exit(1)
        except WorkflowError as refused:
            session.rollback()
            _print_refusal(refused.messages("vi"), refused.messages("en"))
            sys.exit(1)
        session.commit()
    counts = done.counts()
    click.echo(
        f"Tạo mới / created: {counts['created']}; cập nhật / updated: {counts['updated']}; "
        f"không đổi / unchanged: {counts['unchanged']}"
    )


def _register_command(kind: str, help_text: str) -> None:
    @import_group.command(kind, help=help_text)
    @click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
    @click.option("--unit", "unit_code", metavar="CODE", help="The unit's code (else: city-wide).")
    @click.option(
        "--template",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the template (.xlsx or .csv) instead of importing.",
    )
    def command(path: str | None, unit_code: str | None, template: str | None) -> None:
        _register_import(kind, path, unit_code, template)


_register_command("people", "Staff list of the register (a unit's, or city-wide with unit codes).")
_register_command("evaluations", "Annual ratings and discipline of people of the register.")
_register_command("history", "Award history from past decisions (people and collectives).")


@click.command("demo")
@with_appcontext
@click.option("--password", default=None, help="The one password of every demo account.")
def demo(password: str | None) -> None:
    """Load the demo data once (running it again changes nothing)."""
    from web.demo import DEMO_PASSWORD, DemoConflict, load_demo

    with write_session() as session:
        try:
            created = load_demo(
                session,
                password or DEMO_PASSWORD,
                upload_dir=current_app.config["UPLOAD_DIR"],
                progress=click.echo,
            )
        except DemoConflict as error:
            click.echo(str(error), err=True)
            sys.exit(1)
        from workflow.notifications.mailer import skip_queued

        skip_queued(session, "demo data: not sent")  # never e-mail the demo's made-up people
        session.commit()
    click.echo(
        "Đã nạp dữ liệu mẫu. / Demo data loaded."
        if created
        else "Dữ liệu mẫu đã có sẵn. / Demo data was already loaded."
    )


def _days_option(value: str) -> tuple[int, ...]:
    try:
        days = tuple(sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True))
    except ValueError:
        days = ()
    if not days or min(days) < 0:
        raise click.BadParameter("ví dụ / e.g. 7,3,1", param_hint="--days")
    return days


def _flush_outbox(limit: int) -> None:
    from web.notifications import smtp_settings
    from workflow.notifications.mailer import send_pending

    settings = smtp_settings(current_app)
    with write_session() as session:
        result = send_pending(session, settings, limit)
    if not settings.enabled:
        click.echo(
            f"Chưa cấu hình SMTP: thư điện tử tắt; {result.skipped} thư được bỏ qua. / "
            f"No SMTP host: e-mail is off; {result.skipped} skipped."
        )
        return
    click.echo(f"Đã gửi / sent: {result.sent}; lỗi / failed: {result.failed}")
    for error in result.errors:
        click.echo(f"  {error}", err=True)


@click.command("remind")
@with_appcontext
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to act as (YYYY-MM-DD); default: today in Việt Nam.",
)
@click.option("--days", default="7,3,1", show_default=True, help="Days before a due date.")
@click.option("--no-mail", is_flag=True, help="Queue the e-mails without sending them now.")
@click.option(
    "--queue",
    "on_queue",
    is_flag=True,
    help="Hand the reminders and their e-mails to `vinhdanh worker` (needs VINHDANH_REDIS_URL).",
)
def remind(today, days: str, no_mail: bool, on_queue: bool) -> None:
    """Remind units of plan and report due dates (for cron; never sends one reminder twice)."""
    from models.clock import today as today_in_vietnam
    from workflow.notifications.reminders import send_reminders

    day = today.date() if today else today_in_vietnam()
    if on_queue:
        from web.jobs import submit, tasks

        submitted = submit(
            "reminders", tasks.send_reminders, day.isoformat(), list(_days_option(days))
        )
        if submitted.queued:
            click.echo(f"Đã đưa vào hàng đợi / queued: {submitted.job_id}")
            return
        click.echo(
            "Không có hàng đợi (VINHDANH_REDIS_URL): đã nhắc ngay. / No queue: reminded now: "
            f"{submitted.result}"
        )
        return
    with write_session() as session:
        sent = send_reminders(session, day, _days_option(days))
        session.commit()
    for r in sent:
        click.echo(
            f"{r.unit} · {r.kind} · {r.campaign} · hạn / due {r.due:%d/%m/%Y} · "
            f"còn / left {r.days_left} · {r.recipients} người nhận / recipients"
        )
    click.echo(f"Đã nhắc {len(sent)} đơn vị. / {len(sent)} reminders sent.")
    if sent and not no_mail:
        _flush_outbox(limit=max(50, 5 * len(sent)))


@click.group(cls=AppGroup)
def mail() -> None:
    """The e-mail outbox."""


@mail.command("send")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1))
def mail_send(limit: int) -> None:
    """Send queued e-mails (and retry failed ones that are due)."""
    _flush_outbox(limit)


@click.command("backup")
@with_appcontext
@click.argument("archive", type=click.Path(dir_okay=False))
def backup(archive: str) -> None:
    """Write one archive: the database, the evidence files and the audit head."""
    from workflow.backup import BackupError, create_backup

    config = current_app.config
    try:
        summary = create_backup(config["DATABASE_URL"], config["UPLOAD_DIR"], archive)
    except BackupError as error:
        click.echo("\n".join(error.bilingual()), err=True)
        sys.exit(1)
    click.echo(
        f"Đã sao lưu vào {archive}: {summary.files} tệp minh chứng, đầu chuỗi nhật ký "
        f"{summary.head_seq}:{summary.head_hash}. / Backed up to {archive}: {summary.files} "
        f"evidence files, audit head {summary.head_seq}:{summary.head_hash}."
    )


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
def restore(archive: str) -> None:
    """Restore an archive into the configured (empty) database and upload folder, then verify
    the audit chain and every evidence file."""
    from workflow.backup import BackupError, restore_backup

    config = current_app.config
    try:
        summary = restore_backup(config["DATABASE_URL"], config["UPLOAD_DIR"], archive)
    except BackupError as error:
        click.echo("\n".join(error.bilingual()), err=True)
        sys.exit(1)
    click.echo(
        f"Đã khôi phục và kiểm tra: nhật ký toàn vẹn đến {summary.head_seq}:{summary.head_hash}, "
        f"{summary.files} tệp minh chứng đúng mã SHA-256. Xong. / Restored and checked: the "
        f"audit log is intact up to {summary.head_seq}:{summary.head_hash}, {summary.files} "
        "evidence files match their SHA-256. Done."
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="VINHDANH_HOST")
@click.option("--port", default=8000, show_default=True, type=int, envvar="VINHDANH_PORT")
@click.option(
    "--bind", default=None, help="gunicorn's bind (unix:/run/vinhdanh.sock); else HOST:PORT."
)
@click.option(
    "--workers",
    default=0,
    type=click.IntRange(min=0),
    envvar="VINHDANH_WORKERS",
    help="Worker processes (default: 2 × CPUs + 1).",
)
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--access-log", default="-", show_default=True, help="File for the access log; - stdout."
)
@click.option("--no-access-log", is_flag=True, help="Write no access log.")
def serve_command(
    host: str,
    port: int,
    bind: str | None,
    workers: int,
    timeout: int,
    access_log: str,
    no_access_log: bool,
) -> None:
    """Serve the app with gunicorn (production). Run `vinhdanh db upgrade` once before."""
    from web.serve import ServeOptions, default_workers, serve

    options = ServeOptions(
        bind=bind or f"{host}:{port}",
        workers=workers or default_workers(),
        timeout=timeout,
        access_log="" if no_access_log else access_log,
    )
    click.echo(
        f"Vinh Danh: gunicorn, {options.workers} tiến trình / workers, {options.bind}", err=True
    )
    serve(options)


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (VINHDANH_REDIS_URL): e-mail, reminders, exports, PDFs.
    When Redis goes away it waits (1 s, doubling up to 30 s) and goes on when Redis answers."""
    from web.jobs import job_queue
    from web.jobs.worker import work

    queue = job_queue()
    if queue is None:
        click.echo(
            "Chưa cấu hình VINHDANH_REDIS_URL: việc nền chạy ngay trong yêu cầu, không cần "
            "worker. / VINHDANH_REDIS_URL is not set: background work runs inline, no worker "
            "needed.",
            err=True,
        )
        sys.exit(1)
    work(queue, burst=burst)


@click.command("certificates")
@with_appcontext
@click.argument("number")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf")
@click.option(
    "--mode", type=click.Choice(["full", "preprinted"]), default="full", show_default=True
)
@click.option("--row", type=click.IntRange(min=1), help="One awardee: the row's số sổ vàng.")
@click.option("--base-url", help="The public address the QR codes open (else VINHDANH_PUBLIC_URL).")
def certificates_command(
    number: str, out: str, mode: str, row: int | None, base_url: str | None
) -> None:
    """Write the certificates of the issued decision NUMBER (e.g. 05/QĐ-SGDĐT) as one PDF."""
    from pathlib import Path

    from sqlalchemy import select

    from models.decisions import Decision
    from models.text import nfc
    from workflow.core.errors import WorkflowError
    from workflow.publication import certificates

    base_url = base_url or current_app.config.get("PUBLIC_URL")
    if not base_url:
        raise click.UsageError(
            "Cần địa chỉ công khai cho mã QR: --base-url hoặc VINHDANH_PUBLIC_URL. / "
            "The QR codes need the public address: --base-url or VINHDANH_PUBLIC_URL."
        )
    emblem = current_app.config.get("EMBLEM_IMAGE") or None
    with write_session() as session:
        decision = session.scalar(select(Decision).where(Decision.number == nfc(number).strip()))
        if decision is None:
            click.echo(
                f"Không có quyết định số {number}. / No decision numbered {number}.", err=True
            )
            sys.exit(1)
        try:
            sheet = certificates.sheet_of(session, decision, base_url, row)
            pdf = certificates.certificates_pdf(
                session, sheet, mode, Path(emblem) if emblem else None
            )
        except WorkflowError as refused:
            _print_refusal(refused.messages("vi"), refused.messages("en"))
            sys.exit(1)
    Path(out).write_bytes(pdf)
    count = len(sheet.awardees)
    click.echo(
        f"Đã ghi {count} giấy khen vào {out}. / Wrote {count} "
        f"certificate{'' if count == 1 else 's'} to {out}."
    )


def init_app(app: Flask) -> None:
    for command in (
        db,
        audit,
        workflow,
        import_group,
        demo,
        remind,
        mail,
        backup,
        restore,
        serve_command,
        worker_command,
        certificates_command,
    ):
        app.cli.add_command(command)
