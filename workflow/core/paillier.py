"""Paillier encryption (additively homomorphic), packing of many small counters into one
plaintext, and a private key wrapped under two passphrases.

Paillier with g = n + 1: E(m; r) = (1 + n)^m · r^n mod n², and E(a)·E(b) = E(a + b), so the
product of many ciphertexts decrypts to the sum of their plaintexts and nothing else is ever
decrypted. The primes come from the ``cryptography`` package's RSA key generation (a vetted
prime generator); the arithmetic is Python's own ``pow``. A product's randomness R (the
product of the r's) is recoverable with the private key, so its holder can publish (m, R) and
anyone can check ``prod == (1 + n)^m · R^n mod n²`` without the key (:func:`verify`).

Randomness: a fresh r^n costs a 2,048-bit exponentiation modulo n² (about 80 ms in Python),
five of them per 1,000-row card. Encryption instead multiplies by h_s^α, with h_s = (−x²)^n a
fixed public n-th residue (x derived from n by SHAKE-256, so nobody knows its logarithm and the
key needs no extra field) and α a fresh random exponent of half n's length: the short-exponent
variant of Damgård, Jurik and Nielsen ("A generalization of Paillier's public-key system with
applications to electronic voting", 2010, §4.2). With a table of h_s's power per 4-bit window
it costs ~290 multiplications. Its semantic security rests on the decisional composite
residuosity assumption plus the hardness of short discrete logarithms in that subgroup. The
product's randomness is still a unique n-th root, recovered and checked as above.

Packing: a plaintext < n holds ``slots`` counters of ``bits`` bits each; a sum never carries
from one slot into the next as long as every slot's total stays below 2**bits, which the
caller guarantees by choosing ``bits`` from the number of ciphertexts summed.

Wrapping: the private key (the prime p) is sealed with AES-256-GCM under a key that needs both
passphrases: each is stretched by scrypt with its own salt and the two results are hashed
together, so neither officer alone (nor a copy of the database) can unwrap it.
"""

from __future__ import annotations

import functools
import hashlib
import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BITS = 2048
# scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and about 0.1 s per passphrase on a small
# server, the interactive setting of RFC 7914's authors; slows offline guessing per attempt.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SALT_BYTES, NONCE_BYTES = 16, 12


@dataclass(frozen=True)
class PublicKey:
    n: int

    @property
    def n_square(self) -> int:
        return self.n * self.n

    @property
    def capacity_bits(self) -> int:
        """Bits a plaintext may use and stay below n."""
        return self.n.bit_length() - 1


@dataclass(frozen=True)
class PrivateKey:
    public: PublicKey
    p: int
    q: int

    @classmethod
    def from_prime(cls, public: PublicKey, p: int) -> PrivateKey:
        q, rest = divmod(public.n, p)
        if rest or p in (1, public.n):
            raise ValueError("p does not divide n")
        return cls(public, p, q)

    @property
    def phi(self) -> int:
        return (self.p - 1) * (self.q - 1)


def generate(bits: int = KEY_BITS) -> PrivateKey:
    """A fresh key pair: n = p·q from an RSA key of ``bits`` bits."""
    numbers = rsa.generate_private_key(public_exponent=65537, key_size=bits).private_numbers()
    p, q = numbers.p, numbers.q
    # Equal-length primes give gcd(n, φ(n)) = 1, which Paillier needs; checked, not assumed.
    if math.gcd(p * q, (p - 1) * (q - 1)) != 1:
        return generate(bits)
    return PrivateKey(PublicKey(p * q), p, q)


def random_unit(public: PublicKey) -> int:
    """A uniformly random r in Z*_n."""
    while True:
        r = secrets.randbelow(public.n - 1) + 1
        if math.gcd(r, public.n) == 1:
            return r


WINDOW_BITS = 4


@functools.lru_cache(maxsize=8)
def _base_powers(n: int) -> tuple[int, ...]:
    """h_s^(16^i) mod n² for every 4-bit window i of a short exponent (see above): built once
    per key and process (a full exponentiation and four squarings per window), kept here."""
    n2, width = n * n, (n.bit_length() + 7) // 8
    digest = hashlib.shake_256(b"vinhdanh paillier h_s\x00" + n.to_bytes(width, "big"))
    x = int.from_bytes(digest.digest(width + 16), "big") % n
    base = pow(-x * x % n, n, n2)
    table = []
    for _ in range(-(-(n.bit_length() // 2) // WINDOW_BITS)):
        table.append(base)
        for _ in range(WINDOW_BITS):
            base = base * base % n2
    return tuple(table)


def prepare(public: PublicKey) -> None:
    """Build the key's table of powers now (once per process), so that the first card cast
    does not wait for it: called when a list opens."""
    _base_powers(public.n)


def _random_nth_residue(public: PublicKey) -> int:
    """h_s^α for a fresh random α of half n's length: fixed-base exponentiation by digit
    (Brickell, Gordon, McCurley and Wilson, "Fast exponentiation with precomputation", 1992):
    with g_i = h_s^(16^i) and α's digits d_i, ∏ g_i^d_i = ∏_{d=15..1} (∏_{d_i ≥ d} g_i), one
    product per window plus two per digit value; the table holds one power per window."""
    n2, table = public.n_square, _base_powers(public.n)
    alpha, mask = secrets.randbits(len(table) * WINDOW_BITS), (1 << WINDOW_BITS) - 1
    by_digit: list[list[int]] = [[] for _ in range(1 << WINDOW_BITS)]
    for i, power in enumerate(table):
        by_digit[(alpha >> (i * WINDOW_BITS)) & mask].append(power)
    out = running = 1
    for digit in range(mask, 0, -1):
        for power in by_digit[digit]:
            running = running * power % n2
        out = out * running % n2
    return out


def encrypt(public: PublicKey, m: int, r: int | None = None) -> int:
    """E(m), with fresh randomness; with ``r`` given, the textbook (1 + n)^m · r^n (to check a
    published randomness)."""
    if not 0 <= m < public.n:
        raise ValueError("plaintext out of range")
    n, n2 = public.n, public.n_square
    rn = _random_nth_residue(public) if r is None else pow(r, n, n2)
    # (1 + n)^m = 1 + m·n mod n²: one multiplication instead of a second exponentiation.
    return (1 + m * n) % n2 * rn % n2


def combine(public: PublicKey, ciphertexts: Iterable[int]) -> int:
    """The ciphertext of the sum of the plaintexts."""
    n2, product = public.n_square, 1
    for c in ciphertexts:
        product = product * c % n2
    return product


def _crt(private: PrivateKey, mod_p: int, mod_q: int) -> int:
    """The x mod n with x ≡ mod_p (mod p) and x ≡ mod_q (mod q)."""
    p, q = private.p, private.q
    return (mod_q + q * ((mod_p - mod_q) * pow(q, -1, p) % p)) % private.public.n


def _decrypt_mod(c: int, prime: int, n: int) -> int:
    """m mod ``prime``: the exponentiation modulo prime², a quarter of n²'s size (CRT)."""
    square = prime * prime
    ell = lambda x: (x - 1) // prime  # noqa: E731
    # (1 + n)^(prime - 1) = 1 + (prime - 1)·n mod prime²: no exponentiation for g's part.
    h = pow(ell((1 + (prime - 1) * n) % square), -1, prime)
    return ell(pow(c, prime - 1, square)) * h % prime


def decrypt(private: PrivateKey, c: int) -> int:
    n = private.public.n
    return _crt(private, _decrypt_mod(c, private.p, n), _decrypt_mod(c, private.q, n))


def randomness(private: PrivateKey, c: int, m: int) -> int:
    """The r with c = (1 + n)^m · r^n mod n² (m: c's plaintext)."""
    n, n2 = private.public.n, private.public.n_square
    rn = c * (1 - m * n) % n2  # (1 + n)^-m = 1 - m·n mod n²
    # r^n mod n has one n-th root mod n; taken mod p and mod q, with n's inverse there.
    roots = (pow(rn % prime, pow(n, -1, prime - 1), prime) for prime in (private.p, private.q))
    return _crt(private, *roots)


def verify(public: PublicKey, c: int, m: int, r: int) -> bool:
    """Whether ``c`` encrypts ``m`` with randomness ``r``: checkable by anyone."""
    return 0 <= m < public.n and 0 < r < public.n and encrypt(public, m, r) == c


# Packing ----------------------------------------------------------------------------------


def slot_bits(most: int) -> int:
    """Bits a slot needs to hold any total from 0 to ``most``."""
    return max(1, most.bit_length())


@dataclass(frozen=True)
class Layout:
    """``count`` counters of ``bits`` bits each, packed into plaintexts below n."""

    count: int
    bits: int
    capacity_bits: int

    @property
    def per_plaintext(self) -> int:
        return self.capacity_bits // self.bits

    @property
    def plaintexts(self) -> int:
        return max(1, -(-self.count // self.per_plaintext))

    def pack(self, values: Sequence[int]) -> list[int]:
        if len(values) != self.count:
            raise ValueError("wrong number of counters")
        limit, out = 1 << self.bits, []
        for start in range(0, self.plaintexts * self.per_plaintext, self.per_plaintext):
            word = 0
            for offset, value in enumerate(values[start : start + self.per_plaintext]):
                if not 0 <= value < limit:
                    raise ValueError("counter does not fit its slot")
                word |= value << (offset * self.bits)
            out.append(word)
        return out

    def unpack(self, words: Sequence[int]) -> list[int]:
        if len(words) != self.plaintexts:
            raise ValueError("wrong number of plaintexts")
        mask, values = (1 << self.bits) - 1, []
        for word in words:
            values.extend((word >> (i * self.bits)) & mask for i in range(self.per_plaintext))
        return values[: self.count]


# Wrapping under two passphrases -----------------------------------------------------------


class WrongPassphrase(Exception):
    """The passphrases do not unwrap the key."""


@dataclass(frozen=True)
class Wrapped:
    salts: tuple[bytes, bytes]
    nonce: bytes
    sealed: bytes


def _stretch(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def _joint_key(passphrases: tuple[str, str], salts: tuple[bytes, bytes]) -> bytes:
    first, second = (_stretch(p, s) for p, s in zip(passphrases, salts, strict=True))
    return hashlib.sha256(b"vinhdanh-ballot-key\x00" + first + second).digest()


def wrap(secret: bytes, passphrases: tuple[str, str], context: bytes) -> Wrapped:
    """Seal ``secret`` so that only both passphrases open it; ``context`` is bound to it
    (authenticated, not secret), so a sealed key cannot be moved to another session."""
    salts = (secrets.token_bytes(SALT_BYTES), secrets.token_bytes(SALT_BYTES))
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_joint_key(passphrases, salts)).encrypt(nonce, secret, context)
    return Wrapped(salts, nonce, sealed)


def unwrap(wrapped: Wrapped, passphrases: tuple[str, str], context: bytes) -> bytes:
    key = _joint_key(passphrases, wrapped.salts)
    try:
        return AESGCM(key).decrypt(wrapped.nonce, wrapped.sealed, context)
    except InvalidTag as error:
        raise WrongPassphrase() from error


def prime_bytes(private: PrivateKey) -> bytes:
    return private.p.to_bytes((private.p.bit_length() + 7) // 8, "big")


def private_from_bytes(public: PublicKey, data: bytes) -> PrivateKey:
    return PrivateKey.from_prime(public, int.from_bytes(data, "big"))
