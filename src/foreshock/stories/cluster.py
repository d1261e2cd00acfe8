"""Near-duplicate articles become stories: word shingles, MinHash signatures, LSH.

One wire story reprinted by fifty outlets must weigh as one story in the series, so every
article gets a ``story_id``.  Clustering runs in publication order and an article may only
join a story whose member was published on the same day or earlier (within
``window_days``): no article's story depends on anything published after it.  The
assignment is therefore the same whether a corpus is clustered at once or day by day, which
is what the backtest relies on.

MinHash and LSH come from ``datasketch`` (2.x, scheme ``affine32``: permutations are
bijections and signatures are uint32).  Each article's signature is stored in
``story_members`` (``stories/store.py``), so the LSH index is rebuilt from the database
instead of being pickled, and re-runs only hash articles that have none.  This module is
pure: no database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # datasketch (and the scipy it imports) loads when stories are computed
    from datasketch import LeanMinHash

SCHEME = "affine32"  # datasketch >= 2.0 default, pinned so stored signatures stay comparable
_TOKEN = re.compile(r"\w+", re.UNICODE)

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class StoryParams:
    shingle_words: int = 3
    num_perm: int = 128
    seed: int = 1
    threshold: float = 0.4
    window_days: int = 3

    def fingerprint(self) -> str:
        """What changes assignments; stored with each member so a change forces a rebuild."""
        text = json.dumps({"scheme": SCHEME, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Member:
    """An article as clustering sees it."""

    article_id: str
    date: dt.date
    published: dt.datetime
    signature: Signature


@dataclass(frozen=True, slots=True)
class Assignment:
    article_id: str
    story_id: str
    similarity: float  # estimated Jaccard with the closest earlier member (1.0 for a founder)


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the lower-cased text; a text shorter than that is one shingle."""
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) <= size:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[Any, ...]:
    """The permutations of a ``MinHash(num_perm, seed)``, drawn once: drawing them anew
    for each article was a fifth of a signature's time (1,500 synthetic articles, 3 runs
    each: 0.93-0.95 s, 0.77-0.78 s with them shared); one seed gives the same ones."""
    from datasketch import MinHash

    shared = tuple(MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations)
    for array in shared:
        array.flags.writeable = False  # shared by every signature: nothing may change them
    return shared


def signature(text: str, params: StoryParams) -> Signature:
    from datasketch import MinHash

    minhash = MinHash(num_perm=params.num_perm, seed=params.seed, scheme=SCHEME,
                      permutations=_permutations(params.num_perm, params.seed))
    minhash.update_batch(sorted(shingles(text, params.shingle_words)))
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard: the share of equal MinHash slots (as ``MinHash.jaccard``)."""
    return float(np.count_nonzero(a == b)) / float(len(a))


def order_key(member: Member) -> tuple[dt.date, dt.datetime, str]:
    return (member.date, member.published, member.article_id)


class StoryIndex:
    """Incremental clustering state: an LSH over members and their story ids.

    ``add`` must be called in publication order; a member joins the story of its most
    similar earlier member within ``window_days`` if that similarity reaches the threshold.
    """

    def __init__(self, params: StoryParams) -> None:
        from datasketch import MinHashLSH

        self.params = params
        self._lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm)
        self._members: dict[str, tuple[dt.date, Signature, str]] = {}

    def seed(self, article_id: str, date: dt.date, sig: Signature, story_id: str) -> None:
        """Load an already assigned member (from the database) without re-deciding it."""
        self._insert(article_id, date, sig, story_id)

    def add(self, member: Member) -> Assignment:
        best: tuple[float, dt.date, str] | None = None
        earliest = member.date - dt.timedelta(days=self.params.window_days)
        for key in self._lsh.query(self._lean(member.signature)):
            date, sig, _ = self._members[key]
            if not earliest <= date <= member.date:
                continue  # later members are unknown at this date; old ones are other stories
            score = similarity(member.signature, sig)
            # most similar first; ties go to the earlier member, then the smaller id
            if score >= self.params.threshold and (
                    best is None or (-score, date, key) < (-best[0], best[1], best[2])):
                best = (score, date, key)
        if best is None:
            assignment = Assignment(member.article_id, member.article_id, 1.0)
        else:
            assignment = Assignment(member.article_id, self._members[best[2]][2],
                                    round(best[0], 4))
        self._insert(member.article_id, member.date, member.signature, assignment.story_id)
        return assignment

    def _insert(self, article_id: str, date: dt.date, sig: Signature, story_id: str) -> None:
        if article_id in self._members:
            return
        self._members[article_id] = (date, sig, story_id)
        self._lsh.insert(article_id, self._lean(sig), check_duplication=False)

    def _lean(self, sig: Signature) -> LeanMinHash:
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.params.seed, hashvalues=sig, scheme=SCHEME)


def assign_stories(members: Iterable[Member], params: StoryParams) -> list[Assignment]:
    """Cluster ``members`` from scratch, in publication order (a pure function)."""
    index = StoryIndex(params)
    return [index.add(m) for m in sorted(members, key=order_key)]
