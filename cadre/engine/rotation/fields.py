"""Finite fields GF(p^k), built at run time from an irreducible polynomial found by search.

Elements are the integers 0..q-1 read as polynomials over GF(p) in base p (digit i is the
coefficient of x^i). Addition and multiplication are returned as q-by-q tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def prime_power(q: int) -> tuple[int, int] | None:
    """(p, k) with q == p**k and p prime, or None if q is not a prime power."""
    if q < 2:
        return None
    p = 2
    while p * p <= q:
        if q % p == 0:
            break
        p += 1
    else:
        return q, 1
    k = 0
    while q % p == 0:
        q //= p
        k += 1
    return (p, k) if q == 1 else None


def _poly_mod(a: list[int], m: list[int], p: int) -> list[int]:
    """a mod m over GF(p); m is monic; coefficient lists are lowest degree first."""
    a = a[:]
    while len(a) >= len(m):
        lead = a[-1] % p
        shift = len(a) - len(m)
        if lead:
            for i, c in enumerate(m):
                a[shift + i] = (a[shift + i] - lead * c) % p
        a.pop()
    return a


def _irreducible(p: int, k: int) -> list[int]:
    """The first monic irreducible polynomial of degree k over GF(p) (lowest degree first)."""
    for code in range(p**k):
        low = [(code // p**i) % p for i in range(k)]
        poly = [*low, 1]
        if low[0] == 0 and k > 1:
            continue
        divisible = False
        for d in range(1, k // 2 + 1):
            for dcode in range(p**d):
                divisor = [(dcode // p**i) % p for i in range(d)] + [1]
                if not any(_poly_mod(poly, divisor, p)):
                    divisible = True
                    break
            if divisible:
                break
        if not divisible:
            return poly
    raise AssertionError("an irreducible polynomial exists for every degree")


@dataclass(frozen=True, eq=False)
class Field:
    """GF(q): add[a, b] and mul[a, b] for elements 0..q-1; 0 and 1 are the integers 0 and 1."""

    q: int
    add: IntArray
    mul: IntArray


def galois_field(q: int) -> Field:
    """GF(q) for a prime power q; ValueError otherwise."""
    pk = prime_power(q)
    if pk is None:
        raise ValueError(f"{q} is not a prime power")
    p, k = pk
    digits = np.array([[(e // p**i) % p for i in range(k)] for e in range(q)], dtype=np.int64)
    weights = p ** np.arange(k, dtype=np.int64)
    add = ((digits[:, None, :] + digits[None, :, :]) % p) @ weights
    if k == 1:
        mul = np.outer(np.arange(q), np.arange(q)) % q
        return Field(q, add.astype(np.int64), mul.astype(np.int64))
    modulus = _irreducible(p, k)
    mul = np.zeros((q, q), dtype=np.int64)
    for a in range(q):
        for b in range(a, q):
            prod = [0] * (2 * k - 1)
            for i in range(k):
                if digits[a, i]:
                    for j in range(k):
                        prod[i + j] += int(digits[a, i] * digits[b, j])
            rem = _poly_mod([c % p for c in prod], modulus, p)
            value = sum(c * p**i for i, c in enumerate(rem))
            mul[a, b] = mul[b, a] = value
    return Field(q, add.astype(np.int64), mul)
