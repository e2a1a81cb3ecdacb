"""A set of character spans with fast overlap tests (recognizers claim text so that two never share it)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class SpanSet:
    """Disjoint, sorted [start, end) intervals; overlapping additions are merged."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def overlaps(self, a: int, b: int) -> bool:
        """Whether [a, b) shares a character with an interval of the set."""
        i = bisect_right(self._starts, a) - 1
        if i >= 0 and self._ends[i] > a:
            return True
        return i + 1 < len(self._starts) and self._starts[i + 1] < b

    def add(self, a: int, b: int) -> None:
        """Add [a, b), merged with every interval it overlaps or touches."""
        i = bisect_right(self._starts, a)
        # merge with the interval before when it touches, and with every one after that starts inside
        if i > 0 and self._ends[i - 1] >= a:
            i -= 1
            a = self._starts[i]
            b = max(b, self._ends[i])
            del self._starts[i], self._ends[i]
        while i < len(self._starts) and self._starts[i] <= b:
            b = max(b, self._ends[i])
            del self._starts[i], self._ends[i]
        self._starts.insert(i, a)
        self._ends.insert(i, b)
