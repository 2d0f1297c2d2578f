"""Name keys for matching Kenyan names: normalisation and a phonetic "skeleton" key.

Spelling variants seen in registers across communities are mostly vowel changes and
doubled letters (Wanjiru/Wanjiro, Nguugi/Ngugi), a silent or added h
(Odhiambo/Odiambo, Mohamed/Muhammad, Njoroge/Njorogeh), Kalenjin ch/j prefixes
(Chebet/Jebet, Chepkoech/Jepkoech), l/r (Kikuyu and Kalenjin clerks write both),
c/k/q and s/z, ph/f, and glides between vowels (Otieno/Otiyeno). The key keeps the
first letter (vowel or not, so Otieno and Atieno stay apart) and the consonant skeleton
with those classes merged. Reordered names and missing middle names are handled by
indexing every unordered pair of name keys: any two names in common find the person.
A key is never shorter than three letters when the name has three: a short skeleton
(Said, Sidi and Saida would all be "sd") keeps the name's vowels instead.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

_NOT_LETTER = re.compile(r"[^a-z ]+")
_VOWELS = set("aeiou")
# token -> canonical spelling, for the few variants the skeleton key cannot merge
_ALIASES = {
    "mohd": "mohamed",
    "md": "mohamed",
}
_PARTICLES = {"ole", "wa", "bin", "binti", "arap", "abu"}


def normalise(text: str) -> str:
    """Lower case ASCII letters and single spaces: "Ng'ang'a  WANJIRŨ" -> "nganga wanjiru"."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = _NOT_LETTER.sub(" ", text.lower().replace("'", "").replace("-", " "))
    return " ".join(text.split())


def tokens(*parts: str) -> list[str]:
    """The name tokens of all given name parts, normalised, particles dropped, unique."""
    seen: list[str] = []
    for part in parts:
        for token in normalise(part).split():
            token = _ALIASES.get(token, token)
            if token in _PARTICLES or len(token) < 2 or token in seen:
                continue
            seen.append(token)
    return seen


MIN_KEY_LENGTH = 3  # a key shorter than this would merge unrelated short names


def _fold(token: str) -> str:
    s = token
    s = s.replace("ph", "f").replace("ck", "k").replace("sh", "s").replace("ch", "j")
    s = s.replace("c", "k").replace("q", "k").replace("z", "s").replace("l", "r")
    return s.replace("v", "f").replace("x", "ks")


def _short_key(folded: str) -> str:
    """A short name's key keeps its vowels (e/i and o/u merged, doubled letters once):
    Said, Sidi and Saida stay apart, Ekai and Aoko too."""
    first = "a" if folded[0] in "ae" else folded[0]
    out = [first]
    for ch in folded[1:]:
        ch = {"e": "i", "y": "i", "o": "u"}.get(ch, ch)
        if ch == "h" and out[-1] not in _VOWELS:
            continue
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def phonetic_key(token: str) -> str:
    """The key of one normalised name token: its consonant skeleton (see the module
    docstring), or, when the skeleton would be shorter than three letters, the name with
    its vowels, so that no real name gets a one- or two-letter key."""
    if not token:
        return ""
    s = _fold(token)
    skeleton = _skeleton(s)
    if len(skeleton) >= MIN_KEY_LENGTH:
        return skeleton
    return _short_key(s)


def _skeleton(s: str) -> str:
    first, rest = s[0], s[1:]
    out = [first if first not in _VOWELS else "a" if first in "ae" else first]
    prev = first
    for ch in rest:
        if ch in _VOWELS or (ch == "y" and prev != first):
            prev = ch
            continue
        if ch in "wy" and (prev in _VOWELS or prev == first):
            # glides between vowels or after the initial (Otiyeno, Mwangi ~ Mangi) carry
            # little; keep w/y only when they start the name
            prev = ch
            continue
        if ch == "h" and (prev not in _VOWELS or out[-1] == "h"):
            prev = ch
            continue
        if ch != prev:  # doubled letters count once; Ngugi keeps both g's
            out.append(ch)
        prev = ch
    if len(out) > 1 and out[-1] == "h":
        out.pop()
    return "".join(out)


def pair_key(a: str, b: str) -> str:
    """The name-frequency key of two phonetic keys, in either order ("a|b")."""
    return f"{min(a, b)}|{max(a, b)}"


def phonetic_keys(*parts: str) -> set[str]:
    """The phonetic keys of every token (none empty)."""
    return {phonetic_key(t) for t in tokens(*parts)} - {""}


def name_keys(*parts: str) -> list[str]:
    """Phonetic keys of every token, plus "a|b" keys for every unordered pair of them."""
    keys = sorted({phonetic_key(t) for t in tokens(*parts)})
    return keys + [pair_key(a, b) for a, b in combinations(keys, 2)]


def pair_keys(*parts: str) -> list[str]:
    return [k for k in name_keys(*parts) if "|" in k]


def sorted_name(*parts: str) -> str:
    """Tokens in alphabetical order: the string trigram similarity compares, so that
    reordered names still score as the same name."""
    return " ".join(sorted(tokens(*parts)))


def _typo_keys(singles: list[str], year: int) -> list[str]:
    return [f"{a}|{b[0]}@{year}" for a in singles for b in singles if a != b and b]


def year_pair_keys(pairs: list[str], years: range | list[int]) -> list[str]:
    """Keys "a|b@yYEAR": a pair of names and a year of birth, so that the GIN index
    returns only the carriers of a common pair who were born near the query's year
    (matching.candidate_ids), not all of them (thousands at ten million persons)."""
    return [f"{pair}@y{year}" for year in years for pair in pairs]


def person_keys(*parts: str, year: int | None = None) -> list[str]:
    """Everything indexed for a person: name_keys plus, when the year of birth is known,
    "a|b@year" keys (one name's key, the first letter of another's, the year) that
    find a typo the phonetic key does not absorb in a person with only two names, and
    "a|b@yYEAR" keys (every pair of names with the year: ``year_pair_keys``)."""
    keys = name_keys(*parts)
    if year:
        pairs = [k for k in keys if "|" in k]
        keys += _typo_keys([k for k in keys if "|" not in k], year)
        keys += year_pair_keys(pairs, [year])
    return keys


def query_typo_keys(*parts: str, year: int, years: range | None = None) -> list[str]:
    """The typo keys a query looks up: born within a year of ``year`` unless ``years``
    says which years."""
    singles = sorted({phonetic_key(t) for t in tokens(*parts)})
    years = years if years is not None else range(year - 1, year + 2)
    return [k for y in years for k in _typo_keys(singles, y)]
