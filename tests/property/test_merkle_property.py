"""The Merkle tree against RFC 9162's own recursive definitions, for random sizes: proofs
verify, and fail once any byte of them, the leaf, the root, the index or a size is changed."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from workflow.core import merkle


def _leaf(i: int) -> bytes:
    return hashlib.sha256(b"\x00" + f"event {i}".encode()).digest()


def _mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 §2.1.1 writes it."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) as RFC 9162 §2.1.3.1 writes it."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*_path(m, leaves[:k]), _mth(leaves[k:])]
    return [*_path(m - k, leaves[k:]), _mth(leaves[:k])]


def _subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) as RFC 9162 §2.1.4.1 writes it."""
    n = len(leaves)
    if m == n:
        return [] if whole else [_mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), _mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), _mth(leaves[:k])]


def _flip(proof: list[bytes], which: int, bit: int) -> list[bytes]:
    changed = list(proof)
    item = bytearray(changed[which % len(changed)])
    item[bit // 8 % 32] ^= 1 << (bit % 8)
    changed[which % len(changed)] = bytes(item)
    return changed


sizes = st.integers(min_value=1, max_value=300)


@given(size=sizes, data=st.data())
def test_inclusion_proofs_match_the_rfc_and_verify(size, data):
    leaves = [_leaf(i) for i in range(size)]
    tree = merkle.MemoryTree(leaves)
    index = data.draw(st.integers(0, size - 1))
    root = merkle.root_hash(tree, size)
    proof = merkle.inclusion_proof(tree, index, size)
    assert root == _mth(leaves)
    assert proof == _path(index, leaves)
    assert merkle.verify_inclusion(index, size, leaves[index], proof, root)
    assert len(proof) <= max(1, size - 1).bit_length()


@given(size=sizes, data=st.data())
def test_inclusion_proofs_fail_after_any_tampering(size, data):
    leaves = [_leaf(i) for i in range(size)]
    tree = merkle.MemoryTree(leaves)
    index = data.draw(st.integers(0, size - 1))
    root = merkle.root_hash(tree, size)
    proof = merkle.inclusion_proof(tree, index, size)
    bit = data.draw(st.integers(0, 255))
    assert not merkle.verify_inclusion(index, size, _leaf(size + 1), proof, root)
    assert not merkle.verify_inclusion(index, size, leaves[index], proof, _leaf(-1))
    if proof:
        which = data.draw(st.integers(0, len(proof) - 1))
        flipped = _flip(proof, which, bit)
        assert not merkle.verify_inclusion(index, size, leaves[index], flipped, root)
        assert not merkle.verify_inclusion(index, size, leaves[index], proof[:-1], root)
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
        assert not merkle.verify_inclusion(other, size, leaves[index], proof, root)
    assert not merkle.verify_inclusion(index, size, leaves[index], [*proof, root], root)


@given(new=sizes, data=st.data())
def test_consistency_proofs_match_the_rfc_and_verify(new, data):
    leaves = [_leaf(i) for i in range(new)]
    tree = merkle.MemoryTree(leaves)
    old = data.draw(st.integers(1, new))
    proof = merkle.consistency_proof(tree, old, new)
    assert proof == _subproof(old, leaves, True)
    old_root, new_root = _mth(leaves[:old]), _mth(leaves)
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)


@given(new=st.integers(2, 300), data=st.data())
def test_consistency_proofs_fail_after_any_tampering(new, data):
    leaves = [_leaf(i) for i in range(new)]
    tree = merkle.MemoryTree(leaves)
    old = data.draw(st.integers(1, new - 1))
    proof = merkle.consistency_proof(tree, old, new)
    old_root, new_root = _mth(leaves[:old]), _mth(leaves)
    which, bit = data.draw(st.integers(0, len(proof) - 1)), data.draw(st.integers(0, 255))
    assert not merkle.verify_consistency(old, new, old_root, new_root, _flip(proof, which, bit))
    assert not merkle.verify_consistency(old, new, _leaf(-1), new_root, proof)
    assert not merkle.verify_consistency(old, new, old_root, _leaf(-1), proof)
    assert not merkle.verify_consistency(old, new, old_root, new_root, proof[:-1])
    # A history rewritten before ``old``: the same sizes, another leaf, no proof fits.
    forged = list(leaves)
    forged[data.draw(st.integers(0, old - 1))] = _leaf(-2)
    forged_proof = merkle.consistency_proof(merkle.MemoryTree(forged), old, new)
    assert not merkle.verify_consistency(old, new, old_root, _mth(forged), forged_proof)
    # The proof of another pair of sizes.
    if old + 1 < new:
        assert not merkle.verify_consistency(old + 1, new, _mth(leaves[: old + 1]), new_root, proof)


def _tool():
    """The standalone verifier, loaded from its file (it is no package of the app)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "verify_checkpoint.py"
    spec = importlib.util.spec_from_file_location("verify_checkpoint", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()


@given(new=sizes, data=st.data())
def test_the_standalone_verifier_decides_as_the_server_does(new, data):
    leaves = [_leaf(i) for i in range(new)]
    tree = merkle.MemoryTree(leaves)
    old, index = data.draw(st.integers(1, new)), data.draw(st.integers(0, new - 1))
    root, old_root = _mth(leaves), _mth(leaves[:old])
    proof = merkle.inclusion_proof(tree, index, new)
    consistency = merkle.consistency_proof(tree, old, new)
    if data.draw(st.booleans()) and proof:
        proof = _flip(proof, data.draw(st.integers(0, 99)), data.draw(st.integers(0, 255)))
    if data.draw(st.booleans()) and consistency:
        consistency = _flip(consistency, data.draw(st.integers(0, 99)), 7)
    assert TOOL.verify_inclusion(index, new, leaves[index], proof, root) == (
        merkle.verify_inclusion(index, new, leaves[index], proof, root)
    )
    assert TOOL.verify_consistency(old, new, old_root, root, consistency) == (
        merkle.verify_consistency(old, new, old_root, root, consistency)
    )


@given(size=st.integers(0, 300))
def test_the_streamed_root_is_the_rfc_root(size):
    leaves = [_leaf(i) for i in range(size)]
    count, root = merkle.root_of_leaves(iter(leaves))
    assert count == size
    assert root == (_mth(leaves) if leaves else hashlib.sha256(b"").digest())
