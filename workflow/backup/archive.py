"""One archive file: the database, the evidence files and the audit head, with a manifest.

The archive is a gzip tar holding ``manifest.json`` (format, time, dialect, the audit head and
the SHA-256 of every other member), the database (SQLite: a copy made with the online backup
API; PostgreSQL: ``pg_dump`` custom format) and ``uploads/ab/abcdef…``.

Consistency while people keep working: the database is copied from one snapshot, and the audit
head recorded is that snapshot's. Evidence files are copied after the snapshot: they are
written before the row that names them is committed and never rewritten or deleted (stored
under their hash), so every file the snapshot names is already on disk.

Restoring goes into an empty database only, checks every member against the manifest first,
then verifies the restored audit chain against the recorded head and every evidence file the
restored database names against its SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from models import Attachment, make_engine
from models.audit import AuditHead
from models.clock import utcnow
from models.private_files import create_private, private_dir
from workflow.core.audit import verify
from workflow.core.errors import Violation
from workflow.core.messages import Messages, render
from workflow.dossiers.evidence import stored_path

FORMAT = "vinhdanh-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Only content-addressed evidence files are taken (no half-written ``.part`` files).
_UPLOAD = re.compile(r"^uploads/([0-9a-f]{2})/(\1[0-9a-f]{62})$")

BACKUP_MESSAGES = Messages(
    {
        "target_exists": (
            "Tệp “{path}” đã có; hãy chọn một tên tệp mới.",
            "The file “{path}” already exists; choose a new name.",
        ),
        "tool_missing": (
            "Không tìm thấy chương trình {tool}; hãy cài gói máy khách PostgreSQL.",
            "The program {tool} was not found; install the PostgreSQL client.",
        ),
        "tool_failed": ("{tool} báo lỗi: {detail}", "{tool} failed: {detail}"),
        "unsupported_database": (
            "Chỉ sao lưu được SQLite và PostgreSQL (không phải {dialect}).",
            "Only SQLite and PostgreSQL can be backed up (not {dialect}).",
        ),
        "not_an_archive": (
            "Tệp “{path}” không phải bản sao lưu của Vinh Danh.",
            "The file “{path}” is not a Vinh Danh backup.",
        ),
        "wrong_database": (
            "Bản sao lưu này là của {archive}, không khôi phục được vào {target}.",
            "This backup is of {archive}; it cannot be restored into {target}.",
        ),
        "target_not_empty": (
            "Cơ sở dữ liệu đích không trống (có {count} bảng). Hãy khôi phục vào một cơ sở dữ "
            "liệu mới, trống.",
            "The target database is not empty ({count} tables). Restore into a new, empty "
            "database.",
        ),
        "member_mismatch": (
            "Tệp “{name}” trong bản sao lưu bị thiếu hoặc sai mã SHA-256.",
            "The file “{name}” in the backup is missing or its SHA-256 does not match.",
        ),
        "chain_broken": (
            "Nhật ký sau khi khôi phục không toàn vẹn: {problem}",
            "The restored audit log is not intact: {problem_en}",
        ),
        "evidence_mismatch": (
            "Tệp minh chứng {sha256} thiếu hoặc sai mã SHA-256 sau khi khôi phục.",
            "The evidence file {sha256} is missing or its SHA-256 does not match after restore.",
        ),
    }
)


class BackupError(Exception):
    """A backup or restore that must not be trusted; ``violations`` say why."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("; ".join(render(v.code, v.params, "en", v.wording) for v in violations))
        self.violations = violations

    def messages(self, locale: str = "vi") -> list[str]:
        """The reasons in ``locale`` ("vi" or "en")."""
        return [render(v.code, v.params, locale, v.wording) for v in self.violations]

    def bilingual(self) -> list[str]:
        """One line per reason, Vietnamese then English (for the command line)."""
        return [
            f"LỖI: {vi} / ERROR: {en}"
            for vi, en in zip(self.messages("vi"), self.messages("en"), strict=True)
        ]


def _refuse(code: str, **params: Any) -> BackupError:
    return BackupError([BACKUP_MESSAGES.violation(code, params)])


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds (or a restore brought back)."""

    dialect: str
    head_seq: int
    head_hash: str
    files: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump / pg_restore, and the environment carrying the password (so it
    never shows in the process list)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(tool: str, *args: str, env: dict[str, str] | None = None) -> None:
    program = shutil.which(tool)
    if program is None:
        raise _refuse("tool_missing", tool=tool)
    done = subprocess.run([program, *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise _refuse("tool_failed", tool=tool, detail=done.stderr.strip()[-500:])


def _head(connection: Connection) -> tuple[int, str]:
    row = connection.execute(select(AuditHead.seq, AuditHead.hash)).one()
    return int(row.seq), str(row.hash)


@contextmanager
def _database_copy(engine: Engine, work: Path) -> Iterator[tuple[Path, tuple[int, str]]]:
    """A copy of the database from one snapshot, and that snapshot's audit head."""
    dialect = engine.dialect.name
    target = work / DATABASE_MEMBER[dialect]
    if dialect == "sqlite":
        create_private(target)
        source, copy = sqlite3.connect(engine.url.database), sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            seq, digest = copy.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        finally:
            copy.close()
            source.close()
        yield target, (int(seq), str(digest))
        return
    # PostgreSQL: export this transaction's snapshot and let pg_dump read the same one.
    with (
        engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        ) as connection,
        connection.begin(),
    ):
        snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        head = _head(connection)
        url, env = _libpq(engine.url.render_as_string(hide_password=False))
        create_private(target)
        _run(
            "pg_dump",
            "--format=custom",
            f"--snapshot={snapshot_id}",
            "--file",
            str(target),
            "--dbname",
            url,
            env=env,
        )
        yield target, head


def create_backup(url: str, upload_dir: Path, archive: Path) -> BackupSummary:
    """Write one archive of the database at ``url`` and the evidence under ``upload_dir``."""
    archive = Path(archive)
    if archive.exists():
        raise _refuse("target_exists", path=str(archive))
    engine = make_engine(url)
    dialect = engine.dialect.name
    try:
        if dialect not in DATABASE_MEMBER:
            raise _refuse("unsupported_database", dialect=dialect)
        private_dir(archive.parent)
        # The copy of the database waits beside the archive, not in a possibly small /tmp.
        with tempfile.TemporaryDirectory(prefix=".vinhdanh-backup-", dir=archive.parent) as work:
            with _database_copy(engine, Path(work)) as (database, head):
                members = {DATABASE_MEMBER[dialect]: database}
            # After the snapshot: every file it names is on disk already (see the module doc).
            upload_dir = Path(upload_dir)
            for path in sorted(upload_dir.glob("??/*")) if upload_dir.is_dir() else []:
                name = f"uploads/{path.relative_to(upload_dir).as_posix()}"
                if path.is_file() and _UPLOAD.match(name):
                    members[name] = path
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": utcnow().isoformat(timespec="seconds"),
                "dialect": dialect,
                "audit_head": {"seq": head[0], "hash": head[1]},
                "files": {name: _sha256_file(path) for name, path in members.items()},
            }
            _write_archive(archive, manifest, members)
    finally:
        engine.dispose()
    return BackupSummary(dialect, head[0], head[1], len(members) - 1)


def _write_archive(archive: Path, manifest: dict, members: dict[str, Path]) -> None:
    partial = archive.with_name(f".{archive.name}.part")
    create_private(partial)
    try:
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise _refuse("not_an_archive", path=str(archive)) from error
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != FORMAT_VERSION
        or not isinstance(manifest.get("files"), dict)
        or not isinstance(manifest.get("audit_head"), dict)
    ):
        raise _refuse("not_an_archive", path=str(archive))
    return manifest


def _extract(tar: tarfile.TarFile, name: str, sha256: str, target: Path) -> None:
    """Copy member ``name`` to ``target`` (0600) in blocks, keeping it only if its SHA-256 is
    the manifest's. Members are read by the names the manifest lists, never extracted by the
    paths they carry."""
    try:
        handle = tar.extractfile(name)
    except KeyError:
        handle = None
    if handle is None:
        raise _refuse("member_mismatch", name=name)
    partial = create_private(target.with_name(f".{target.name}.part"))
    digest = hashlib.sha256()
    try:
        with handle, partial.open("wb") as out:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        if digest.hexdigest() != sha256:
            raise _refuse("member_mismatch", name=name)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def restore_backup(url: str, upload_dir: Path, archive: Path) -> BackupSummary:
    """Restore ``archive`` into the empty database at ``url`` and ``upload_dir``, then verify
    the audit chain and every evidence file; raises :class:`BackupError` on any mismatch."""
    archive = Path(archive)
    if not archive.is_file() or not tarfile.is_tarfile(archive):
        raise _refuse("not_an_archive", path=str(archive))
    engine = make_engine(url)
    try:
        with (
            tarfile.open(archive, "r:*") as tar,
            tempfile.TemporaryDirectory(prefix="vinhdanh-restore-") as work,
        ):
            manifest = _read_manifest(tar, archive)
            files: dict[str, str] = manifest["files"]
            dialect = engine.dialect.name
            if manifest["dialect"] != dialect:
                raise _refuse("wrong_database", archive=manifest["dialect"], target=dialect)
            tables = inspect(engine).get_table_names()
            if tables:
                raise _refuse("target_not_empty", count=len(tables))
            database = Path(work) / DATABASE_MEMBER[dialect]
            _extract(
                tar, DATABASE_MEMBER[dialect], files.get(DATABASE_MEMBER[dialect], ""), database
            )
            for name, sha256 in files.items():
                match = _UPLOAD.match(name)
                if match:
                    _extract(tar, name, sha256, Path(upload_dir) / match[1] / match[2])
            _restore_database(engine, database)
        head = manifest["audit_head"]
        _check_restored(engine, Path(upload_dir), (head["seq"], head["hash"]))
    finally:
        engine.dispose()
    return BackupSummary(dialect, head["seq"], head["hash"], len(files) - 1)


def _restore_database(engine: Engine, database: Path) -> None:
    if engine.dialect.name == "sqlite":
        engine.dispose()  # no pooled connection may hold the file while it is written
        source = sqlite3.connect(database)
        target = sqlite3.connect(engine.url.database)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    url, env = _libpq(engine.url.render_as_string(hide_password=False))
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        url,
        str(database),
        env=env,
    )


def _check_restored(engine: Engine, upload_dir: Path, head: tuple[int, str]) -> None:
    problems: list[Violation] = []
    with Session(engine) as session:
        result = verify(session, head)
        if not result.ok:
            triggers = ", ".join(result.missing_triggers)
            words = {
                "problem": result.problem_vi or f"thiếu trigger chống sửa, xóa ({triggers})",
                "problem_en": result.problem or f"append-only triggers missing ({triggers})",
            }
            problems.append(BACKUP_MESSAGES.violation("chain_broken", words))
        for sha256 in session.scalars(select(Attachment.sha256).distinct()):
            path = stored_path(upload_dir, sha256)
            if not path.is_file() or _sha256_file(path) != sha256:
                problems.append(BACKUP_MESSAGES.violation("evidence_mismatch", {"sha256": sha256}))
    if problems:
        raise BackupError(problems)
