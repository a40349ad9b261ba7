"""Indonesian product search that gives the same results on SQLite and PostgreSQL.

Indexing: a product's name, description, category, shop name and kecamatan are split into words
(lower-case ASCII letters and digits), and every word is stored with its Snowball Indonesian stem in
`Product.search_text`, space-separated and padded with spaces (" tas rajutan rajut ... "). Every
indexed word also goes into the `SearchTerm` vocabulary.

Querying: each query word is stemmed; the word matches a product when the product's `search_text`
holds the word, its stem, or a vocabulary term similar to it (trigram similarity, computed here in
Python so both databases agree). All query words must match (AND); the rank sums one point per exact
match and the similarity for a fuzzy match, plus half a point when the raw word is in the product name.
On PostgreSQL a trigram GIN index serves the `LIKE '% term %'` tests (migration 0003).
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.core.cache import cache
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable

from apps.store.models import SearchTerm

# Words too common to narrow a search ("tas dari rajutan" = "tas rajutan").
STOPWORDS = frozenset(
    [
        "dan",
        "atau",
        "di",
        "ke",
        "dari",
        "untuk",
        "yang",
        "dengan",
        "ini",
        "itu",
        "the",
        "of",
        "per",
        "isi",
        "pcs",
        "buah",
    ]
)
WORD_RE = re.compile(r"[a-z0-9]+")
MAX_QUERY_WORDS = 6
MAX_TERM_LENGTH = 60
# A misspelt word is expanded to vocabulary terms at least this similar (pg_trgm's default is 0.3;
# "kripik" ~ "keripik" is 0.5) — and, when the word itself is indexed, only to near-identical ones.
FUZZY_THRESHOLD = 0.4
FUZZY_THRESHOLD_WHEN_EXACT = 0.6
MAX_FUZZY_TERMS = 8
VOCABULARY_VERSION_KEY = "store:search-vocabulary-version"

_stemmer = snowballstemmer.stemmer("indonesian")


def words(text: str) -> list[str]:
    """Lower-case ASCII words: accents are folded ("kafé" → "kafe"), punctuation splits."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [w[:MAX_TERM_LENGTH] for w in WORD_RE.findall(folded)]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word) if not word.isdigit() else word


def index_terms(*texts: str) -> list[str]:
    """Every word of the texts and its stem, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for w in words(text):
            seen.setdefault(w, None)
            seen.setdefault(stem(w), None)
    return [t for t in seen if t]


def search_text_for(*texts: str) -> str:
    terms = index_terms(*texts)
    return f" {' '.join(terms)} " if terms else ""


def trigrams(term: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {term} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


# --- vocabulary -------------------------------------------------------------------------------

_local_vocabulary: dict[str, object] = {"version": None, "terms": ()}


def vocabulary_changed() -> None:
    """Called by the services when new terms were stored: every process reloads on its next search."""
    cache.set(VOCABULARY_VERSION_KEY, uuid.uuid4().hex, None)


def vocabulary() -> tuple[tuple[str, frozenset[str]], ...]:
    """All indexed terms with their trigrams, cached per process until the shared version changes."""
    version = cache.get(VOCABULARY_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VOCABULARY_VERSION_KEY, version, None)
    if _local_vocabulary["version"] != version:
        terms = tuple((t, trigrams(t)) for t in SearchTerm.objects.order_by("term").values_list("term", flat=True))
        _local_vocabulary.update(version=version, terms=terms)
    return _local_vocabulary["terms"]  # type: ignore[return-value]


# --- queries ----------------------------------------------------------------------------------


@dataclass
class QueryWord:
    word: str
    # term -> weight (1.0 for the word and its stem, the similarity for fuzzy terms)
    terms: dict[str, float] = field(default_factory=dict)


def parse_query(query: str) -> list[QueryWord]:
    """The query's words with the indexed terms each may match."""
    raw = words(query)
    kept = [w for w in raw if w not in STOPWORDS] or raw
    unique = list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]
    if not unique:
        return []
    vocab = vocabulary()
    known = {t for t, _tri in vocab}
    parsed = []
    for w in unique:
        qw = QueryWord(word=w, terms={w: 1.0, stem(w): 1.0})
        exact = any(t in known for t in qw.terms)
        threshold = FUZZY_THRESHOLD_WHEN_EXACT if exact else FUZZY_THRESHOLD
        if len(w) >= 3 and not w.isdigit():
            for candidate in (w, stem(w)):
                tri = trigrams(candidate)
                scored = []
                for term, term_tri in vocab:
                    shared = len(tri & term_tri)
                    if not shared:
                        continue
                    sim = shared / (len(tri) + len(term_tri) - shared)
                    if sim >= threshold and term not in qw.terms:
                        scored.append((sim, term))
                scored.sort(key=lambda st: (-st[0], st[1]))
                for sim, term in scored[:MAX_FUZZY_TERMS]:
                    qw.terms[term] = max(qw.terms.get(term, 0.0), round(sim, 4))
        parsed.append(qw)
    return parsed


def apply_search(qs: QuerySet, query: str) -> QuerySet:
    """Filter to products matching every query word and annotate `rank` (higher is better)."""
    parsed = parse_query(query)
    if not parsed:
        return qs.annotate(rank=Value(0.0, output_field=FloatField()))
    rank: Combinable = Value(0.0, output_field=FloatField())
    for qw in parsed:
        match = Q()
        whens = []
        for term, weight in sorted(qw.terms.items(), key=lambda tw: (-tw[1], tw[0])):
            condition = Q(search_text__contains=f" {term} ")
            match |= condition
            whens.append(When(condition, then=Value(weight)))
        qs = qs.filter(match)
        rank = rank + Case(*whens, default=Value(0.0), output_field=FloatField())
        rank = rank + Case(
            When(name__icontains=qw.word, then=Value(0.5)), default=Value(0.0), output_field=FloatField()
        )
    return qs.annotate(rank=rank)
