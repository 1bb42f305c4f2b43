"""Cards as the ballot packs them: any counters round-trip through packing, and the product of
the encrypted cards of any roll (1 to 100 members) decrypts to every row's exact totals."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.core import paillier
from workflow.council import secrecy

MARKS = st.sampled_from(["approve", "reject", "abstain", None])


@functools.cache
def small_key() -> paillier.PrivateKey:
    """A 1,024-bit key: the arithmetic is the same as at 2,048 bits, and the smaller
    plaintexts make the property cross plaintext boundaries with few rows."""
    return paillier.generate(1024)


@settings(max_examples=200, deadline=None)
@given(
    bits=st.integers(1, 16),
    capacity=st.integers(16, 2047),
    data=st.data(),
)
def test_packing_round_trips(bits, capacity, data):
    count = data.draw(st.integers(1, 400))
    values = data.draw(st.lists(st.integers(0, (1 << bits) - 1), min_size=count, max_size=count))
    shape = paillier.Layout(count, bits, max(capacity, bits))
    words = shape.pack(values)
    assert len(words) == shape.plaintexts
    assert all(0 <= w < 1 << shape.capacity_bits for w in words)
    assert shape.unpack(words) == values


@settings(max_examples=12, deadline=None)
@given(
    voters=st.integers(1, 100),
    rows=st.integers(1, 120),
    seed=st.randoms(use_true_random=False),
)
def test_the_product_of_cards_decrypts_to_the_row_totals(voters, rows, seed):
    private = small_key()
    public = private.public
    shape = secrecy.layout(public, rows, paillier.slot_bits(voters))
    cards = [
        [seed.choice(["approve", "reject", "abstain", None]) for _ in range(rows)]
        for _ in range(voters)
    ]
    sealed = [secrecy.seal_card(public, shape, card) for card in cards]
    counted = secrecy.count(private, shape, sealed)
    expected = [
        (sum(c[r] == "approve" for c in cards), sum(c[r] == "reject" for c in cards))
        for r in range(rows)
    ]
    assert counted.by_row == expected
    # Anyone can check the published product against the totals with no secret.
    words = shape.pack([v for pair in expected for v in pair])
    assert all(
        paillier.verify(public, c, m, r)
        for c, m, r in zip(counted.aggregate, words, counted.randomness, strict=True)
    )


def test_a_slot_too_narrow_for_the_roll_is_refused():
    with pytest.raises(ValueError):
        paillier.Layout(2, 2, 64).pack([4, 0])  # 4 does not fit 2 bits


def test_a_wrong_total_does_not_verify():
    private = small_key()
    c = paillier.encrypt(private.public, 5)
    r = paillier.randomness(private, c, 5)
    assert paillier.verify(private.public, c, 5, r)
    assert not paillier.verify(private.public, c, 6, r)
    assert paillier.decrypt(private, c) == 5
