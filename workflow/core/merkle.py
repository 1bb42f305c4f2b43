"""The Merkle tree over the audit log's leaves (RFC 9162 §2.1), beside the hash chain.

Leaf i is event seq i+1, its hash the stored ``leaf_hash`` = SHA-256(0x00 ‖ canonical);
an inner node is SHA-256(0x01 ‖ left ‖ right); a tree of n leaves splits at the largest power
of two below n. The tree covers every event, public or internal: internal leaf hashes are
already published by ``events.json`` (the chain needs them), and a hash does not reveal the
withheld content, so a proof for a public event publishes nothing new; a tree of public
events only could not show that an internal event was removed.

Only complete subtrees are stored (``audit_tree_node``, filled once by :func:`extend`): any
range's hash is a fold of at most log2(n) of them, so a proof is one read of O(log n) rows,
never a rehash of the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Integer, bindparam, func, insert, literal, select, union_all
from sqlalchemy.orm import Session

from models import AuditEvent, AuditHead, AuditTreeNode

Key = tuple[int, int]  # (level, position): leaves [position·2^level, (position+1)·2^level)

# Rows read or written per statement while extending: bounds memory at a million leaves.
_CHUNK = 1 << 15


def node_hash(left: bytes, right: bytes) -> bytes:
    """An inner node: SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly below ``size`` (size ≥ 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def subtree_keys(start: int, end: int) -> list[Key]:
    """The complete subtrees whose right fold is MTH(D[start:end]), left to right.

    ``start`` is where the RFC's recursion puts a range: a multiple of the largest power of
    two not above its size, so each piece is aligned.
    """
    keys = []
    while start < end:
        size = end - start
        level = size.bit_length() - 1 if size & (size - 1) == 0 else _split(size).bit_length() - 1
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def _fold(hashes: Sequence[bytes]) -> bytes:
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes make PATH(index, D[size]), in the RFC's order (leaf side first)."""
    ranges = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index - start < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The ranges whose hashes make PROOF(old, D[new]) (RFC 9162 §2.1.4.1), 0 < old ≤ new."""
    ranges = []
    start, end, m, whole = 0, new, old, True
    while True:
        if m == end - start:
            if not whole:
                ranges.append((start, end))
            break
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    return ranges[::-1]


def root_of_leaves(leaves: Iterable[bytes]) -> tuple[int, bytes]:
    """(size, MTH) of leaf hashes given in order, in O(log n) memory: complete subtrees are
    merged as they fill, and what remains is folded from the right, as RFC 9162 splits."""
    stack: list[tuple[int, bytes]] = []  # (size, hash), sizes strictly decreasing
    size = 0
    for leaf in leaves:
        size += 1
        width, digest = 1, leaf
        while stack and stack[-1][0] == width:
            width, digest = 2 * width, node_hash(stack.pop()[1], digest)
        stack.append((width, digest))
    if not stack:
        return 0, hashlib.sha256(b"").digest()
    return size, _fold([digest for _, digest in stack])


class NodeStore(Protocol):
    """Where complete subtrees' hashes are read from."""

    def read(self, keys: Iterable[Key]) -> Mapping[Key, bytes]: ...


class TreeIncomplete(LookupError):
    """A node the proof needs is not stored: the tree was not extended to that size."""


def range_hashes(store: NodeStore, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """MTH of each range, from one read of every complete subtree they need."""
    pieces = [subtree_keys(a, b) for a, b in ranges]
    found = store.read({key for keys in pieces for key in keys})
    try:
        return [_fold([found[key] for key in keys]) for keys in pieces]
    except KeyError as missing:
        raise TreeIncomplete(f"no stored node {missing.args[0]}") from None


def root_hash(store: NodeStore, size: int) -> bytes:
    """MTH(D[size]); the empty tree's is SHA-256 of nothing."""
    if size == 0:
        return hashlib.sha256(b"").digest()
    return range_hashes(store, [(0, size)])[0]


def inclusion_proof(store: NodeStore, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) (RFC 9162 §2.1.3.1)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return range_hashes(store, inclusion_ranges(index, size))


def consistency_proof(store: NodeStore, old: int, new: int) -> list[bytes]:
    """PROOF(old, D[new]) (RFC 9162 §2.1.4.1); empty when old is 0 or equals new."""
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from {old} to {new}")
    if old in (0, new):
        return []
    return range_hashes(store, consistency_ranges(old, new))


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` put ``leaf`` at ``index`` of the tree with ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of ``old`` leaves with ``old_root`` a prefix of the tree of
    ``new`` leaves with ``new_root``?"""
    if not 0 < old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # a power of two: the old root is itself the first node
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


class MemoryTree:
    """Every complete subtree of a list of leaf hashes, in memory: for benches and tests."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels = [list(leaves)]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append(
                [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )

    def read(self, keys: Iterable[Key]) -> dict[Key, bytes]:
        found = {}
        for level, position in keys:
            if level < len(self.levels) and position < len(self.levels[level]):
                found[(level, position)] = self.levels[level][position]
        return found


class StoredTree:
    """The tree as stored: leaves from ``audit_event``, inner nodes from ``audit_tree_node``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def read(self, keys: Iterable[Key]) -> dict[Key, bytes]:
        # One statement of a fixed shape (expanding IN lists), so SQLAlchemy compiles it once
        # and a proof costs one round trip of indexed lookups; on the connection, no ORM.
        wanted = set(keys)
        params = {
            "seqs": sorted(p + 1 for lv, p in wanted if lv == 0),
            "levels": sorted({lv for lv, _ in wanted if lv}),
            "positions": sorted({p for lv, p in wanted if lv}),
        }
        rows = self.session.connection().execute(_PROOF_ROWS, params)
        return {(lv, pos): bytes.fromhex(h) for lv, pos, h in rows if (lv, pos) in wanted}


# Leaves from the events, inner nodes by levels × positions: a few rows more than asked,
# dropped above (SQLite scans the whole table for a row-value IN, but probes the primary key
# for two IN lists).
_PROOF_ROWS = union_all(
    select(
        literal(0, Integer).label("level"),
        (AuditEvent.seq - 1).label("position"),
        AuditEvent.leaf_hash.label("hash"),
    ).where(AuditEvent.seq.in_(bindparam("seqs", expanding=True))),
    select(AuditTreeNode.level, AuditTreeNode.position, AuditTreeNode.hash).where(
        AuditTreeNode.level.in_(bindparam("levels", expanding=True)),
        AuditTreeNode.position.in_(bindparam("positions", expanding=True)),
    ),
)


@dataclass(frozen=True)
class Extended:
    """What :func:`extend` did: the tree's size now and the nodes it wrote."""

    size: int
    written: int


def extend(session: Session, size: int | None = None) -> Extended:
    """Store every complete subtree of the first ``size`` leaves (default: the whole log) not
    stored yet. Runs under the audit head's lock, so two runs never write the same node."""
    head = session.execute(select(AuditHead.seq).where(AuditHead.id == 1).with_for_update())
    head_seq = head.scalar_one()
    size = head_seq if size is None else min(size, head_seq)
    written, level = 0, 1
    while size >> level:
        target = size >> level
        have = session.scalar(
            select(func.coalesce(func.max(AuditTreeNode.position) + 1, 0)).where(
                AuditTreeNode.level == level
            )
        )
        for first in range(have, target, _CHUNK):
            last = min(first + _CHUNK, target)
            below = _children(session, level - 1, 2 * first, 2 * last)
            rows = [
                {
                    "level": level,
                    "position": first + i,
                    "hash": node_hash(below[2 * i], below[2 * i + 1]).hex(),
                }
                for i in range(last - first)
            ]
            session.execute(insert(AuditTreeNode), rows)
            written += len(rows)
        level += 1
    return Extended(size, written)


def _children(session: Session, level: int, first: int, last: int) -> list[bytes]:
    """The hashes of positions [first, last) of ``level``, in order."""
    if level == 0:
        query = (
            select(AuditEvent.leaf_hash)
            .where(AuditEvent.seq > first, AuditEvent.seq <= last)
            .order_by(AuditEvent.seq)
        )
    else:
        query = (
            select(AuditTreeNode.hash)
            .where(
                AuditTreeNode.level == level,
                AuditTreeNode.position >= first,
                AuditTreeNode.position < last,
            )
            .order_by(AuditTreeNode.position)
        )
    hashes = [bytes.fromhex(h) for h in session.scalars(query)]
    if len(hashes) != last - first:
        raise TreeIncomplete(f"level {level} lacks positions in [{first}, {last})")
    return hashes
