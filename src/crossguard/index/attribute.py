"""Attribution: whose data a message carries, by the exact-data-match evidence model.

A primary identifier (email, phone, card, licence, passport, national id,
order id) attributes a customer on its own. Weak ones (name, street line,
postcode, date of birth, card last four) count only when they corroborate a
primary identifier of the same customer, or each other: two or more weak
kinds in one part within the proximity window. A value owned by more than
``common_owner_count`` customers weighs proportionally less.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from crossguard.core.attribution import Attribution, Evidence, Place
from crossguard.core.finding import Finding
from crossguard.core.kinds import PRIMARY, WEAK_WEIGHT, IndexKind, evidence_name
from crossguard.index.candidates import (
    Candidates,
    Regions,
    TokenHasher,
    from_text,
    message_candidates,
)
from crossguard.index.customer_index import CustomerIndex, Hit
from crossguard.index.fingerprint import Keyer
from crossguard.index.settings import IndexSettings
from crossguard.message.fields import MERGED_PATH, MergedFields
from crossguard.message.model import Part

#: Recipient addresses whose owners an Attributor remembers (a few MB at most).
EMAIL_OWNERS_KEPT = 65_536


class Attributor:
    """Attributes messages to customers with one index and one key."""

    def __init__(self, index: CustomerIndex, key: bytes, settings: IndexSettings) -> None:
        self.index = index
        self.keyer = Keyer(key, settings.name_token_cache)
        self.hasher = TokenHasher(self.keyer, settings.name_token_cache, index.holds_words)
        self.settings = settings
        self.regions = Regions.of(index.countries)
        self._email_owners: dict[str, frozenset[str]] = {}

    def _weight(self, hit: Hit) -> float:
        base = 1.0 if hit.kind in PRIMARY else WEAK_WEIGHT.get(hit.kind, 0.0)
        common = self.settings.common_owner_count
        return base if hit.owners <= common else base * common / hit.owners

    def attribute(self, parts: Sequence[Part], findings: Sequence[Finding],
                  fields: MergedFields | None = None) -> list[Attribution]:
        """The customers whose data ``parts`` and ``findings`` carry, best score first.

        Evidence read in the merged fields (``fields.prose`` among ``parts``) is
        placed in the field it lies in (``header:Subject``, ``…/filename``).
        """
        candidates = message_candidates(parts, findings, self.keyer, self.hasher, self.regions)
        hits = self.index.lookup(candidates.array(), self.settings.max_owners,
                                 corroborated_by=PRIMARY)
        by_customer: dict[str, list[Hit]] = defaultdict(list)
        for hit in hits:
            if hit.kind == candidates.kind(hit.query):
                by_customer[hit.customer_id].append(hit)
        attributions = []
        for customer_id, customer_hits in by_customer.items():
            attribution = self._score(customer_id, customer_hits, candidates, fields)
            if attribution is not None:
                attributions.append(attribution)
        attributions.sort(key=lambda item: (-item.score, item.customer_id))
        return attributions

    def _score(self, customer_id: str, hits: list[Hit], candidates: Candidates,
               fields: MergedFields | None = None) -> Attribution | None:
        primary = [hit for hit in hits if hit.kind in PRIMARY]
        weak = [hit for hit in hits if hit.kind not in PRIMARY]
        if primary:
            counted = primary + weak
        elif len({hit.kind for hit in weak}) >= 2:
            counted = self._best_weak_cluster(weak, candidates)
        else:  # one weak kind alone corroborates nothing
            counted = []
        best: dict[IndexKind, float] = {}
        for hit in counted:
            best[hit.kind] = max(best.get(hit.kind, 0.0), self._weight(hit))
        score = sum(best.values())
        if score < self.settings.min_score:
            return None
        # Spans and masks only now, for a customer attributed: the strongest match of each
        # kind in each part is the evidence, every place it matched there is kept.
        places: dict[tuple[IndexKind, str], dict[tuple[int, int], tuple[float, str]]] = {}
        for hit in counted:
            part = candidates.part(hit.query)
            start, end = candidates.span(hit.query)
            if part == MERGED_PATH and fields is not None:
                part, start, end = fields.place(start, end)
            spans = places.setdefault((hit.kind, part), {})
            weight = self._weight(hit)
            if spans.get((start, end), (-1.0, ""))[0] < weight:
                spans[(start, end)] = (weight, candidates.mask(hit.query))
        evidence = []
        for (kind, part), spans in places.items():
            ranked = sorted(spans.items(), key=lambda item: (-item[1][0], item[0]))
            weight, masked = ranked[0][1]
            evidence.append(Evidence(evidence_name(kind), part, masked, weight,
                                     tuple(Place(start, end, shown)
                                           for (start, end), (_, shown) in ranked)))
        evidence.sort(key=lambda item: -item.weight)
        return Attribution(customer_id, score, evidence)

    def _best_weak_cluster(self, weak: list[Hit], candidates: Candidates) -> list[Hit]:
        """The weak hits around the anchor whose neighbourhood holds the most weight."""
        window = self.settings.proximity_window
        best: list[Hit] = []
        best_score = 0.0
        for anchor in weak:
            part = candidates.part(anchor.query)
            position = candidates.span(anchor.query)[0]
            cluster = [
                hit for hit in weak
                if candidates.part(hit.query) == part
                and abs(candidates.span(hit.query)[0] - position) <= window
            ]
            kinds: dict[IndexKind, float] = {}
            for hit in cluster:
                kinds[hit.kind] = max(kinds.get(hit.kind, 0.0), self._weight(hit))
            score = sum(kinds.values()) if len(kinds) >= 2 else 0.0
            if score > best_score:
                best, best_score = cluster, score
        return best

    def known(self, text: str) -> list[Place]:
        """Where ``text`` (a file name, a Message-ID) holds a name, street line or postcode
        of some customer the index knows, masked: what a part path must not show,
        attributed or not (a path is fixed before attribution runs)."""
        candidates = Candidates()
        from_text("", text, self.hasher, candidates, self.regions)
        places = []
        for hit in self.index.lookup(candidates.array(), self.settings.max_owners):
            if hit.kind == candidates.kind(hit.query):
                start, end = candidates.span(hit.query)
                places.append(Place(start, end, candidates.mask(hit.query)))
        return places

    def customers_with_email(self, address: str) -> frozenset[str]:
        """The customers who own ``address``, remembered (mail goes to the same addresses
        again and again; the index does not change under an Attributor)."""
        normalized = address.strip().lower()
        owners = self._email_owners.get(normalized)
        if owners is None:
            owners = frozenset(self.index.owners(self.keyer.exact(IndexKind.EMAIL, normalized)))
            if len(self._email_owners) >= EMAIL_OWNERS_KEPT:
                self._email_owners.clear()  # bounded: start over rather than track recency
            self._email_owners[normalized] = owners
        return owners
