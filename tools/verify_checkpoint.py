#!/usr/bin/env python3
"""Check Vinh Danh's signed audit checkpoints and proofs on your own computer.

One file, on purpose: copy it anywhere and run it with Python 3.11+ and the ``cryptography``
package (pip install cryptography), nothing of Vinh Danh installed. It trusts only the public
key you give it, never the server that sent the files.

  python verify_checkpoint.py checkpoint  --key key.txt checkpoint-120.txt
  python verify_checkpoint.py inclusion   --key key.txt proof-57.json [--kept checkpoint.txt]
  python verify_checkpoint.py consistency --key key.txt consistency-120-180.json
                                          [--kept checkpoint-120.txt]

The files come from the public site: /public/audit/key.txt, /public/audit/checkpoints/N.txt,
/public/audit/proof/SEQ.json and /public/audit/consistency.json?from=M&to=N.

Formats: a checkpoint is a C2SP signed note (c2sp.org/tlog-checkpoint): origin, tree size,
base64 root, "time …", a blank line, "— <name> <base64(4-byte key id ‖ Ed25519 signature)>".
The tree is RFC 9162's: leaf = SHA-256(0x00 ‖ event), node = SHA-256(0x01 ‖ left ‖ right).
Exit status: 0 the proof holds, 1 it does not, 2 the files could not be read.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MALFORMED = "không phải điểm kiểm chứng đúng định dạng / not a well-formed checkpoint"


class Failed(Exception):
    """The check failed; the message says why, in Vietnamese and English."""


class Unreadable(Exception):
    """A file given is not what it should be."""


def _b64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


# --- the key and the signed note -----------------------------------------------------------


def read_key(text: str) -> tuple[str, bytes, bytes]:
    """``name+hex key id+base64(0x01 ‖ Ed25519 key)`` → (name, key id, key)."""
    if "+" not in text and os.path.isfile(text):
        with open(text, encoding="utf-8") as handle:
            text = handle.read()
    name, _, rest = text.strip().partition("+")
    hex_id, _, encoded = rest.partition("+")
    try:
        data, wanted = _b64(encoded), bytes.fromhex(hex_id)
    except (ValueError, binascii.Error):
        raise Unreadable("khóa công khai sai dạng / not a verifier key") from None
    if len(data) != 33 or data[0] != 1:
        raise Unreadable("không phải khóa Ed25519 / not an Ed25519 key")
    key_id = hashlib.sha256(name.encode() + b"\n" + data).digest()[:4]
    if key_id != wanted:
        raise Unreadable("mã khóa không khớp với khóa / the key id does not match the key")
    return name, key_id, data[1:]


def open_checkpoint(note: str, key: tuple[str, bytes, bytes]) -> dict:
    """The checkpoint's origin, size, root and time once its signature by ``key`` holds."""
    name, key_id, public = key
    body, sep, signatures = note.partition("\n\n")
    if not sep or not note.endswith("\n"):
        raise Failed(MALFORMED)
    body += "\n"
    lines = body.splitlines()
    try:
        origin, size, root = lines[0], int(lines[1]), _b64(lines[2])
    except (IndexError, ValueError, binascii.Error):
        raise Failed(MALFORMED) from None
    if len(root) != 32 or not lines[1].isdigit():
        raise Failed(MALFORMED)
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014" or parts[1] != name:
            continue
        try:
            blob = _b64(parts[2])
        except (ValueError, binascii.Error):
            continue
        if blob[:4] != key_id:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(blob[4:], body.encode("utf-8"))
        except InvalidSignature:
            raise Failed(
                "chữ ký không hợp lệ: điểm kiểm chứng đã bị sửa hoặc giả mạo / the signature "
                "is invalid: the checkpoint was altered or forged"
            ) from None
        time = next((t[5:] for t in lines[3:] if t.startswith("time ")), "?")
        return {"origin": origin, "size": size, "root": root, "time": time}
    raise Failed(
        f"không có chữ ký của khóa “{name}” (khóa khác đã ký) / no signature by the key "
        f"“{name}” (another key signed it)"
    )


# --- RFC 9162 proofs -----------------------------------------------------------------------


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2."""
    if not 0 < old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = ([old_root] if old & (old - 1) == 0 else []) + list(proof)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


# --- the commands --------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise Unreadable(f"không đọc được / cannot read {path}: {error}") from None


def _json(path: str) -> dict:
    try:
        data = json.loads(_read(path))
    except ValueError:
        raise Unreadable(f"không phải JSON / not JSON: {path}") from None
    if not isinstance(data, dict):
        raise Unreadable(f"không phải bằng chứng / not a proof: {path}")
    if data.get("ok") is False:
        raise Failed(f"máy chủ trả lời / the server answered: {data.get('verdict')}")
    return data


def _hashes(values: object) -> list[bytes]:
    try:
        hashes = [bytes.fromhex(v) for v in values]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise Unreadable("mã băm sai dạng / malformed hashes") from None
    if any(len(h) != 32 for h in hashes):
        raise Unreadable("mã băm sai độ dài / hashes of the wrong length")
    return hashes


def _same_checkpoint(kept_path: str | None, signed: dict, key) -> None:
    """A checkpoint the user kept must be the one the proof starts from."""
    if kept_path is None:
        return
    kept = open_checkpoint(_read(kept_path), key)
    if kept["size"] != signed["size"]:
        raise Failed(
            f"bằng chứng dành cho nhật ký {signed['size']} sự kiện, không phải {kept['size']} "
            f"như điểm kiểm chứng bạn giữ / the proof is for a tree of {signed['size']}, not "
            f"{kept['size']} as in your checkpoint"
        )
    if kept["root"] != signed["root"]:
        raise Failed(
            "điểm kiểm chứng bạn giữ có mã gốc khác, cùng khóa ký: nhật ký đã bị viết lại / "
            "your checkpoint has another root under the same key: history was rewritten"
        )


def check_checkpoint(args: argparse.Namespace) -> str:
    c = open_checkpoint(_read(args.file), read_key(args.key))
    return (
        f"Chữ ký hợp lệ: nhật ký “{c['origin']}” có {c['size']} sự kiện lúc {c['time']}, mã gốc "
        f"{c['root'].hex()}. / Valid signature: log “{c['origin']}” had {c['size']} events at "
        f"{c['time']}, root {c['root'].hex()}."
    )


def check_inclusion(args: argparse.Namespace) -> str:
    key = read_key(args.key)
    data = _json(args.file)
    signed = open_checkpoint(str(data.get("checkpoint", "")), key)
    _same_checkpoint(args.kept, signed, key)
    seq, size = data.get("seq"), data.get("tree_size")
    if not isinstance(seq, int) or not isinstance(size, int):
        raise Unreadable("bằng chứng thiếu seq hoặc tree_size / seq or tree_size missing")
    if size != signed["size"]:
        raise Failed(
            f"bằng chứng dành cho nhật ký {size} sự kiện, nhưng điểm kiểm chứng có "
            f"{signed['size']} / the proof is for a tree of {size}, the checkpoint has "
            f"{signed['size']}"
        )
    canonical = data.get("canonical")
    leaf = hashlib.sha256(b"\x00" + str(canonical).encode("utf-8")).digest()
    if canonical is None or leaf.hex() != data.get("leaf_hash"):
        raise Failed(
            "nội dung sự kiện không khớp với mã băm của nó / the event's content does not "
            "match its hash"
        )
    event = json.loads(canonical)
    if not isinstance(event, dict) or event.get("seq") != seq:
        raise Failed("nội dung là của sự kiện khác / the content is of another event")
    if not verify_inclusion(seq - 1, size, leaf, _hashes(data.get("proof")), signed["root"]):
        raise Failed(
            f"bằng chứng không khớp: sự kiện {seq} không nằm trong điểm kiểm chứng này / "
            f"the proof fails: event {seq} is not in this checkpoint"
        )
    return (
        f"Sự kiện {seq} nằm trong điểm kiểm chứng {size} sự kiện ký lúc {signed['time']}. / "
        f"Event {seq} is in the checkpoint of {size} events signed at {signed['time']}."
    )


def check_consistency(args: argparse.Namespace) -> str:
    key = read_key(args.key)
    data = _json(args.file)
    old = open_checkpoint(str(data.get("from_checkpoint", "")), key)
    new = open_checkpoint(str(data.get("to_checkpoint", "")), key)
    _same_checkpoint(args.kept, old, key)
    if (data.get("from"), data.get("to")) != (old["size"], new["size"]):
        raise Failed(
            "bằng chứng dành cho các kích thước khác với hai điểm kiểm chứng / the proof is "
            "for other sizes than the two checkpoints"
        )
    proof = _hashes(data.get("proof"))
    if not verify_consistency(old["size"], new["size"], old["root"], new["root"], proof):
        raise Failed(
            f"hai điểm kiểm chứng {old['size']} và {new['size']} không khớp: lịch sử đã bị viết "
            f"lại / the checkpoints of {old['size']} and {new['size']} disagree: history was "
            "rewritten"
        )
    return (
        f"Nhật ký {new['size']} sự kiện chỉ ghi thêm vào nhật ký {old['size']} sự kiện: lịch sử "
        f"không bị viết lại. / The log of {new['size']} events only appends to the log of "
        f"{old['size']}: history was not rewritten."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Kiểm tra điểm kiểm chứng và bằng chứng của Vinh Danh / check Vinh Danh "
        "checkpoints and proofs"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, helps in (
        ("checkpoint", "a checkpoint's signature"),
        ("inclusion", "an event's inclusion proof (proof/SEQ.json)"),
        ("consistency", "a consistency proof (consistency.json)"),
    ):
        command = commands.add_parser(name, help=helps)
        command.add_argument("--key", required=True, help="the public key (or key.txt)")
        command.add_argument("file")
        if name != "checkpoint":
            command.add_argument("--kept", help="a checkpoint you kept: the proof must start there")
    args = parser.parse_args(argv)
    check = {
        "checkpoint": check_checkpoint,
        "inclusion": check_inclusion,
        "consistency": check_consistency,
    }[args.command]
    try:
        print(f"ĐÚNG / OK: {check(args)}")
        return 0
    except Failed as failed:
        print(f"SAI / FAILED: {failed}", file=sys.stderr)
        return 1
    except Unreadable as unreadable:
        print(f"LỖI / ERROR: {unreadable}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
