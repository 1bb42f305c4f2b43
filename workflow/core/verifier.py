"""The standalone verifier of the public audit log: ``python -m workflow.core.verifier``.

It recomputes the hash chain of an exported ``events.json`` offline, with nothing but this
module's package installed, and names the first broken event."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from models.text import whole_number
from workflow.core.audit import EVENT_FIELDS, VerifyResult, check_events


def _file_event(record: Mapping[str, Any]) -> Any:
    """An object with an audit event's attributes, from one exported record."""
    from types import SimpleNamespace

    try:
        at = dt.datetime.strptime(str(record.get("occurred_at")), "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        at = dt.datetime(1970, 1, 1)  # cannot match the hashed content of a public event
    event = SimpleNamespace(
        seq=record.get("seq"),
        occurred_at=at.replace(tzinfo=dt.UTC),
        leaf_hash=str(record.get("leaf_hash", "")),
        prev_hash=str(record.get("prev_hash", "")),
        hash=str(record.get("hash", "")),
        canonical=record.get("canonical"),
        changes="{}",
    )
    try:
        doc = json.loads(event.canonical) if event.canonical is not None else {}
    except ValueError:
        doc = {}
    # Content columns come from the hashed content; seq and time from the export itself,
    # so the check "columns match canonical" catches a record moved or re-timed.
    for key, column in EVENT_FIELDS:
        if column not in ("seq", "occurred_at"):
            setattr(event, column, doc.get(key) if isinstance(doc, dict) else None)
    if isinstance(doc, dict) and isinstance(doc.get("changes"), dict):
        event.changes = json.dumps(doc["changes"])
    return event


def load_export(paths: Iterable[str]) -> list[Any]:
    """The events of one or more exported pages ({"events": [...]} or a list), by seq."""
    records: list[Mapping[str, Any]] = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        records.extend(data["events"] if isinstance(data, dict) else data)
    events = [_file_event(r) for r in records]
    return sorted(events, key=lambda e: e.seq if isinstance(e.seq, int) else -1)


def verify_export(
    events: list[Any],
    expect_head: tuple[int, str] | None = None,
    contains: tuple[int, str] | None = None,
) -> VerifyResult:
    """Check exported events; ``contains`` is an earlier head that must still be in the chain."""
    result = check_events(events, expect_head, withheld_ok=True)
    if not result.ok or contains is None:
        return result
    seq, digest = contains
    found = next((e for e in events if e.seq == seq), None)
    if found is None:
        return VerifyResult(
            False,
            result.count,
            result.head_seq,
            result.head_hash,
            seq,
            f"the log has no event {seq}, the head you noted",
            f"nhật ký không có sự kiện {seq}, đầu chuỗi bạn đã ghi lại",
        )
    if found.hash != digest:
        return VerifyResult(
            False,
            result.count,
            result.head_seq,
            result.head_hash,
            seq,
            f"event {seq} now has hash {found.hash[:12]}…, not {digest[:12]}… "
            "as you noted: the history was rewritten",
            f"sự kiện {seq} nay có mã băm {found.hash[:12]}…, không phải {digest[:12]}… "
            "như bạn đã ghi lại: lịch sử đã bị viết lại",
        )
    return result


def fetch_export(url: str, output: str) -> int:
    """Download every page of events.json from ``url`` (following ``next``) into one file."""
    from urllib.request import urlopen

    events: list[Any] = []
    while url:
        with urlopen(url) as response:
            page = json.load(response)
        if not page.get("events"):
            break
        events.extend(page["events"])
        url = page.get("next")
    with open(output, "w", encoding="utf-8") as handle:
        json.dump({"events": events}, handle, ensure_ascii=False)
    return len(events)


def _head_arg(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    number = whole_number(seq)
    if number is None or len(digest) != 64:
        raise ValueError("SEQ:HASH, ví dụ / e.g. 42:ab12…")
    return number, digest.lower()


def main(argv: list[str] | None = None) -> int:
    """Command line of the standalone verifier; returns the exit status."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m workflow.core.verifier",
        description="Kiểm tra nhật ký kiểm toán công khai / verify the public audit log, offline.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify-file", help="verify exported events.json files")
    check.add_argument("files", nargs="+")
    check.add_argument(
        "--expect-head", type=_head_arg, metavar="SEQ:HASH", help="the log must end at this head"
    )
    check.add_argument(
        "--contains",
        type=_head_arg,
        metavar="SEQ:HASH",
        help="an earlier head you noted, which must still be in the log",
    )
    fetch = commands.add_parser("fetch", help="download every page of events.json into one file")
    fetch.add_argument("url")
    fetch.add_argument("output")
    args = parser.parse_args(argv)
    if args.command == "fetch":
        print(f"Đã tải / downloaded: {fetch_export(args.url, args.output)} events → {args.output}")
        return 0
    result = verify_export(load_export(args.files), args.expect_head, args.contains)
    print(f"Sự kiện / events: {result.count}")
    print(f"Đầu chuỗi / head: {result.head_seq}:{result.head_hash}")
    if result.ok:
        print("Nhật ký toàn vẹn. / The audit log is intact.")
        return 0
    print(
        f"LỖI tại sự kiện {result.bad_seq}: {result.problem_vi} / "
        f"BROKEN at event {result.bad_seq}: {result.problem}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
