"""Suggested themes: groups of inputs whose words overlap, in English and Spanish.

Pure Python/scikit-learn, no Django, offline: no model is downloaded and no
outside service is called. The machine only proposes; staff confirm themes.

Method
------
1. Words: each text is lower-cased and split into runs of letters; words of
   fewer than three letters and stop words are dropped. The stop list is the
   union of scikit-learn's English list (the Glasgow list) and the Spanish list
   of the `stop-words` package, applied to every text whatever its language,
   because residents mix languages.
2. Stems: each word is reduced by the Snowball stemmer of the text's language
   (Porter 2001, "Snowball: a language for stemming algorithms"): Spanish for
   `es…`, English for anything else. Accents are then removed from the stem so
   that "policía" and "policia" meet.
3. TF-IDF (sublinear term frequency, L2-normalised rows) over stems that occur
   in at least two texts: a stem used once cannot link two texts, it would only
   dilute the others. A text left with no such stem fits no group.
4. Clustering: agglomerative, average linkage on cosine distance, cut where
   the average distance between two groups would exceed `DISTANCE_THRESHOLD`
   (scikit-learn's AgglomerativeClustering; Manning, Raghavan & Schütze,
   *Introduction to Information Retrieval*, 2008, ch. 17). Unlike k-means it
   needs no number of groups and leaves texts that resemble nothing on their
   own; groups smaller than `min_size` are dropped, so those texts are left out.
   It is deterministic: `seed` is accepted so the interface can move to a
   randomised method without changing callers, but nothing here is random.
5. Each group is described by the (up to) five stems with the highest mean
   TF-IDF weight in it, shown as the word they most often came from in the
   group's texts, and by its cohesion: the mean cosine similarity of its
   members to the group's centre (0..1).

Honest limits: this is word overlap, not meaning. Two texts about speeding
that share no word ("cars race down Elm" / "drivers go too fast") may not
meet, and a Spanish and an English text about the same problem usually land in
different groups, since their stems differ ("velocidad" / "speed"); nothing is
translated. Shared words (street names, "graffiti") do bridge languages. The
distance matrix is held in memory, so pass one period's inputs (up to a few
thousand texts), not the whole archive.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import snowballstemmer
from numpy.typing import NDArray
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from stop_words import get_stop_words

# Average cosine distance at which two groups stop being merged. Tuned on short
# resident comments (tests/analytics/test_text_groups.py): lower splits
# obvious themes, higher merges unrelated ones.
DISTANCE_THRESHOLD = 0.75
MIN_WORD_LENGTH = 3
# Words nearly every public-safety comment uses, which would otherwise link
# unrelated complaints that merely name a street.
DOMAIN_STOP_WORDS = frozenset(
    {"street", "avenue", "road", "calle", "avenida", "camino", "please", "favor"}
)
TERMS_PER_GROUP = 5

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class TextGroup:
    members: list[int]  # indices into `texts`
    terms: list[str]  # up to five readable words, a suggested theme name
    cohesion: float  # mean cosine similarity to the group centre, 0..1


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def stop_words() -> frozenset[str]:
    words = set(ENGLISH_STOP_WORDS) | set(get_stop_words("es")) | DOMAIN_STOP_WORDS
    return frozenset(words | {strip_accents(w) for w in words})


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def stemmer_language(language: str) -> str:
    """Snowball language for a language code: Spanish for es/es-MX…, else English."""
    return "spanish" if language.lower().startswith("es") else "english"


def tokens(text: str, language: str) -> list[tuple[str, str]]:
    """(stem, word) pairs of the text's content words, in order."""
    stop = stop_words()
    words = [
        w
        for w in _WORD.findall(text.lower())
        if len(w) >= MIN_WORD_LENGTH and w not in stop and strip_accents(w) not in stop
    ]
    stems = _stemmer(stemmer_language(language)).stemWords(words)
    return [(strip_accents(s), w) for s, w in zip(stems, words, strict=True)]


def _vectorise(stemmed: list[list[str]]) -> tuple[NDArray[np.float64], list[str]] | None:
    """Dense L2-normalised TF-IDF rows and the stem of each column; None if no stem is shared."""
    vectoriser = TfidfVectorizer(
        analyzer=lambda stems: stems, min_df=2, sublinear_tf=True, norm="l2"
    )
    try:
        matrix = vectoriser.fit_transform(stemmed)
    except ValueError:  # no stem occurs in two texts
        return None
    return np.asarray(matrix.toarray(), dtype=np.float64), list(vectoriser.get_feature_names_out())


def _readable(stem: str, members: list[int], pairs: list[list[tuple[str, str]]]) -> str:
    """The word a stem most often came from in the group (ties: alphabetical)."""
    words = Counter(w for i in members for s, w in pairs[i] if s == stem)
    return min(words, key=lambda w: (-words[w], w)) if words else stem


def suggest_groups(
    texts: Sequence[str],
    languages: Sequence[str],
    *,
    max_groups: int | None = None,
    min_size: int = 3,
    seed: int = 0,
) -> list[TextGroup]:
    """Groups of at least `min_size` similar texts, largest first (then most
    cohesive); at most `max_groups` of them when given. Texts that fit no
    group are in none. See the module docstring for the method and its limits."""
    if len(texts) != len(languages):
        raise ValueError("texts and languages must have the same length")
    if min_size < 2:
        raise ValueError("min_size must be at least 2")
    if max_groups is not None and max_groups < 0:
        raise ValueError("max_groups cannot be negative")
    if len(texts) < min_size:
        return []
    pairs = [tokens(t, lang) for t, lang in zip(texts, languages, strict=True)]
    vectorised = _vectorise([[s for s, _ in p] for p in pairs])
    if vectorised is None:
        return []
    matrix, stems = vectorised
    usable = np.flatnonzero(np.linalg.norm(matrix, axis=1) > 0)
    if usable.size < min_size:
        return []

    labels = AgglomerativeClustering(
        n_clusters=None,
        distance_threshold=DISTANCE_THRESHOLD,
        metric="cosine",
        linkage="average",
    ).fit_predict(matrix[usable])

    groups = []
    for label in np.unique(labels):
        members = [int(i) for i in usable[labels == label]]
        if len(members) < min_size:
            continue
        rows = matrix[members]
        centre = rows.mean(axis=0)
        cohesion = float(np.mean(rows @ centre) / np.linalg.norm(centre))
        top = [j for j in np.argsort(-centre, kind="stable")[:TERMS_PER_GROUP] if centre[j] > 0]
        terms = [_readable(stems[j], members, pairs) for j in top]
        groups.append(TextGroup(members=members, terms=terms, cohesion=min(cohesion, 1.0)))
    groups.sort(key=lambda g: (-len(g.members), -g.cohesion, g.members[0]))
    return groups if max_groups is None else groups[:max_groups]
