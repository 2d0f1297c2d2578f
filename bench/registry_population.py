"""The synthetic population of bench/registry_search.py: persons with Kenyan names of
several communities, families with siblings and twins named as their tradition names them,
and planted registration attempts (duplicates by kind of error, twins and siblings,
brand-new people). Pure Python: no database, no Django."""

from __future__ import annotations

import datetime as dt
import functools
import random
import re

F, M = "SFEM", "SMAL"
CHRISTIAN = {
    F: "Mary Grace Faith Mercy Esther Ruth Joyce Lucy Ann Jane Beatrice Caroline Purity Sharon "
    "Brenda Diana Eunice Naomi Rose Sarah Winnie Janet Irene Agnes Florence Catherine "
    "Elizabeth Margaret Christine Judith Lilian Veronica Gladys Dorcas Rebecca Emily Cynthia "
    "Stella Vivian Abigail Hellen",
    M: "John Peter James Joseph David Daniel Paul Brian Kevin Dennis Samuel Stephen Michael "
    "Charles George Francis Patrick Joshua Collins Evans Victor Moses Isaac Simon Anthony "
    "Kennedy Felix Eric Martin Vincent Philip Timothy Andrew Mark Allan Emmanuel Elijah Amos "
    "Benson Gideon",
}
MUSLIM = {
    F: "Amina Fatuma Halima Mariam Zainab Khadija Asha Hawa Sahra Hodan Fardosa Nasra Rukia Saida",
    M: "Mohamed Ahmed Abdi Hassan Hussein Ali Omar Ibrahim Yusuf Abdullahi Ismail Said Salim "
    "Rashid",
}
COMMUNITIES = {
    # community: (weight, female names, male names, surnames)
    "kikuyu": (
        17,
        "Wanjiru Wairimu Njeri Wambui Nyambura Wanjiku Wangari Njoki Muthoni Waithera "
        "Wangui Nduta Wacera Wangeci Gathoni",
        "Kamau Njoroge Mwangi Kariuki Githinji Kinyua Gitau Macharia Maina Ngugi Kimani "
        "Mburu Waweru Karanja Gachanja",
        "Kamau Njoroge Mwangi Kariuki Githinji Kinyua "
        "Gitau Macharia Maina Ngugi Kimani Mburu Waweru Karanja Wainaina Ndungu Muriuki "
        "Njenga Gichuki Kahiga",
    ),
    "luo": (
        11,
        "Achieng Akinyi Atieno Adhiambo Anyango Awino Akoth Auma Apiyo Aoko Amondi Nyanchama Okumu",
        "Otieno Ochieng Odhiambo Onyango Owino Omondi Okoth Ouma Oduor "
        "Otieno Opiyo Odera Okello Ogola Obiero",
        "Otieno Ochieng Odhiambo Onyango Owino "
        "Omondi Okoth Ouma Oduor Opiyo Odera Okello Ogola Obiero Oloo Awuor Ogutu Okumu "
        "Oketch Nyakundi",
    ),
    "luhya": (
        14,
        "Nafula Nekesa Naliaka Nasimiyu Makokha Khavele Mmbone Anyango Namalwa "
        "Nanjala Akinyi Mukhwana Nabwire",
        "Wafula Wanjala Barasa Wekesa Simiyu Makokha "
        "Wasike Masinde Juma Shikuku Okwaro Khaemba Mukhwana Wanyama Wangila",
        "Wafula Wanjala Barasa Wekesa Simiyu Makokha Wasike Masinde Juma Shikuku Wanyonyi "
        "Khaemba Mukhwana Wanyama Wangila Namwamba Sifuna Wamalwa Lusweti Kituyi",
    ),
    "kalenjin": (
        13,
        "Chebet Chepkoech Jepkosgei Cherono Jeptoo Chelangat Chepngetich Jerotich "
        "Chemutai Jelimo Chepkemoi Cheruiyot",
        "Kiprotich Kipchumba Kiptoo Kipkemboi "
        "Kibet Kiprono Kipngetich Cheruiyot Rotich Kiplagat Kimutai Langat",
        "Kiprotich Kipchumba Kiptoo Kipkemboi Kibet Kiprono Kipngetich Cheruiyot "
        "Rotich Kiplagat Kimutai Langat Koech Kirui Mutai Ruto Sang Tanui Korir Bett",
    ),
    "kamba": (
        10,
        "Mwende Mutheu Ndinda Kanini Mumbua Kavata Nduku Mwikali Syokau Kalondu",
        "Mutua Kioko Musyoka Mwangangi Kyalo Muthama Wambua Mutinda Nzioka Kilonzo",
        "Mutua Kioko Musyoka Mwangangi Kyalo Muthama Wambua Mutinda Nzioka Kilonzo "
        "Mulwa Munyao Kitheka Mbithi Kimeu Ndambuki Muli Nzomo",
    ),
    "kisii": (
        6,
        "Kerubo Moraa Nyaboke Kwamboka Bosibori Nyanchama Kemunto Nyamoita Mokeira",
        "Ongeri Nyakundi Onchari Mogaka Nyamweya Ombati Omwenga Makori Orina",
        "Ongeri Nyakundi Onchari Mogaka Nyamweya Ombati Omwenga Makori Orina Momanyi "
        "Ondieki Mokaya Nyangau Obare Matara",
    ),
    "meru": (
        6,
        "Kendi Nkatha Kagendo Makena Gatwiri Karimi Mukami Kinya Nkirote",
        "Mwiti Kinoti Murithi Gitonga Mutuma Muriithi Kirimi Mbae Kaberia",
        "Mwiti Kinoti Murithi Gitonga Mutuma Kirimi Mbae Kaberia Mugambi Kimathi Mutwiri "
        "Kiogora Koome",
    ),
    "mijikenda": (
        6,
        "Mbeyu Kadzo Sidi Dama Kahindi Mapenzi Kache Rehema Zawadi",
        "Kazungu Karisa Kahindi Baya Charo Katana Kenga Kitsao Tsuma",
        "Kazungu Karisa Kahindi Baya Charo Katana Kenga Kitsao Tsuma Mwadime Ngala "
        "Mwatela Chai Dzombo",
    ),
    "somali": (
        7,
        "Hodan Sahra Fardosa Ubah Deeqa Ifrah Ayan Nimco Qamar",
        "Abdi Mohamed Hassan Abdirahman Abdullahi Farah Gedi Warsame Dahir",
        "Abdi Mohamed Hassan Abdirahman Abdullahi Farah Gedi Warsame Dahir Osman Hussein "
        "Aden Ibrahim Noor Omar Ahmed Yusuf Guled",
    ),
    "swahili": (
        5,
        "Mwanaisha Rehema Zuhura Mwanajuma Salma Aisha Zawadi Mwanahawa Fatma Tatu Riziki",
        "Juma Hamisi Bakari Rashidi Athumani Shabani Ramadhani Omari Salim Ali Mbaraka",
        "Juma Hamisi Bakari Rashidi Athumani Shabani Ramadhani Omari Salim Ali Mbaraka "
        "Abdalla Kassim Mwinyi Mzee",
    ),
    "maasai": (
        4,
        "Naserian Nashipai Nalangu Sintamei Resiato Seleyian Naisula",
        "Sankale Lemaiyan Saitoti Koikai Parsanka Lekishon Olekina",
        "Sankale Lemaiyan Saitoti Koikai Parsanka Ole Nkaissery Ntimama Kamanda Sakuda "
        "Tiampati Kores",
    ),
    "turkana": (
        4,
        "Akai Nakiru Ekai Lokiru Nakuwa Ngasike Akiru",
        "Ekal Lokwang Ekiru Lomuria Ewoton Lotukoi Ereng",
        "Ekal Lokwang Ekiru Lomuria Ewoton Lotukoi Ereng Nakapelo Lopeyok Ekidor Lokol Ebei",
    ),
}
CODES = [f"{c:03d}" for c in range(1, 48)]


PATRONYMIC = {"somali", "swahili"}  # a child carries the father's and grandfather's names


# --- A tail of rarer names (``--long-tail SHARE``; off by default) ----------------------
# The lists above are each community's commonest names only: 7 to 41 names per community
# and sex, so at a million persons every name is carried by thousands and namesakes are
# far commoner than in Kenya's registers, where many children carry a name few others
# do. No published frequency list of Kenyan names by community was at hand, so the tail
# is an ASSUMPTION, reported beside the lists-only population, never instead of it:
# with probability TAIL_SHARE a name is drawn not from its list but from TAIL_NAMES names
# made of the list's own syllables (Wanjiru + Gathoni -> Wanthoni), the r-th of them
# with weight 1 / (r + TAIL_OFFSET), so that even the commonest tail name is rarer than
# any listed name. TAIL_SHARE = 0 draws exactly the population of the lists alone.
TAIL_SHARE = 0.0
TAIL_NAMES = 2000
TAIL_OFFSET = 20
_SYLLABLE = re.compile(r"[^aeiou]*[aeiou]+|[^aeiou]+$")


@functools.cache
def _tail(words: tuple[str, ...]) -> tuple[list[str], list[float]]:
    """The tail of rarer names a list's syllables make, commonest first, with their
    cumulative weights (the same list always makes the same tail)."""
    rng = random.Random(" ".join(words))
    parts = [_SYLLABLE.findall(w.lower()) for w in words]
    starts = [p[0] for p in parts if p]
    rests = [syllable for p in parts for syllable in p[1:]] or starts
    known = {w.lower() for w in words}
    tail: dict[str, None] = {}
    for _try in range(TAIL_NAMES * 25):
        if len(tail) >= TAIL_NAMES:
            break
        name = rng.choice(starts) + "".join(rng.choice(rests) for _ in range(rng.randint(1, 2)))
        if len(name) >= 4 and name not in known:
            tail.setdefault(name.capitalize())
    names = list(tail)
    total, cumulative = 0.0, []
    for rank in range(1, len(names) + 1):
        total += 1 / (rank + TAIL_OFFSET)
        cumulative.append(total)
    return names, cumulative


def pick(rng: random.Random, words: list[str] | tuple[str, ...]) -> str:
    """One of ``words``, or with probability TAIL_SHARE a rarer name made of their syllables."""
    if TAIL_SHARE and rng.random() < TAIL_SHARE:
        names, cumulative = _tail(tuple(words))
        if names:
            return rng.choices(names, cum_weights=cumulative)[0]
    return rng.choice(words)


def _community(rng: random.Random) -> str:
    return rng.choices(list(COMMUNITIES), weights=[v[0] for v in COMMUNITIES.values()])[0]


def person_row(rng: random.Random) -> dict:
    community = _community(rng)
    _w, female, male, surnames = COMMUNITIES[community]
    sex = rng.choice((F, M))
    own = (female if sex == F else male).split()
    pool = (MUSLIM if community == "somali" else CHRISTIAN)[sex].split()
    first = pick(rng, pool) if rng.random() < 0.75 else pick(rng, own)
    other = pick(rng, own) if rng.random() < 0.7 else ""
    surname = pick(rng, surnames.split())
    if other in (surname, first):
        other = ""
    child = rng.random() < 0.8
    year = rng.randint(2006, 2025) if child else rng.randint(1950, 2005)
    dob = dt.date(year, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.85 else None
    return {
        "first_name": first.upper(),
        "other_names": other.upper(),
        "surname": surname.upper(),
        "sex": sex,
        "date_of_birth": dob,
        "birth_year": year,
        "county": rng.choice(CODES),
        "identifier": "",
        "community": community,
    }


def family_rows(rng: random.Random) -> list[dict]:
    """Two to four children of one family (sometimes twins), named as their community
    names children, living in one county."""
    community = _community(rng)
    _w, female, male, surnames = COMMUNITIES[community]
    muslim = community in PATRONYMIC
    county = rng.choice(CODES)
    if muslim:
        fathers = (male + " " + MUSLIM[M]).split()
        family_other, family_surname = pick(rng, fathers), pick(rng, fathers)
        shared_middle = True
    else:
        family_surname = pick(rng, surnames.split())
        shared_middle = rng.random() < 0.35
        family_other = pick(rng, male.split() + female.split()) if shared_middle else ""
    year = rng.randint(2006, 2022)
    children, used = [], set()
    size = rng.choice((2, 2, 3, 3, 4))
    twins_at = rng.randrange(size - 1) if rng.random() < 0.25 else -1
    dob = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    for k in range(size):
        if k and k - 1 != twins_at:
            dob = dob + dt.timedelta(days=rng.randint(400, 1500))
        sex = rng.choice((F, M))
        pool = (MUSLIM if muslim else CHRISTIAN)[sex].split()
        own = (female if sex == F else male).split()
        for _attempt in range(20):
            first = pick(rng, pool) if rng.random() < 0.7 else pick(rng, own)
            if first not in used and first not in (family_other, family_surname):
                break
        used.add(first)
        other = family_other if shared_middle else (pick(rng, own) if rng.random() < 0.6 else "")
        if other in (first, family_surname):
            other = ""
        estimated = rng.random() < 0.1
        children.append(
            {
                "first_name": first.upper(),
                "other_names": other.upper(),
                "surname": family_surname.upper(),
                "sex": sex,
                "date_of_birth": None if estimated else dob,
                "birth_year": dob.year,
                "county": county,
                "identifier": "",
                "twin": twins_at >= 0 and k in (twins_at, twins_at + 1),
                "patronymic": muslim,
                "community": community,
            }
        )
    return children


def population(n: int, rng: random.Random) -> tuple[list[dict], list[tuple[int, int, str]]]:
    """n persons, about half in families; returns the rows and the (index, index, kind)
    sibling pairs (kind: twins / siblings, patronymic or not)."""
    rows: list[dict] = []
    pairs: list[tuple[int, int, str]] = []
    while len(rows) < n:
        if rng.random() < 0.2:
            family = family_rows(rng)[: n - len(rows)]
            base = len(rows)
            rows += family
            for i in range(len(family) - 1):
                a, b = family[i], family[i + 1]
                kind = "twins" if a["twin"] and b["twin"] else "siblings"
                tradition = "patronymic" if a["patronymic"] else "family name"
                pairs.append((base + i, base + i + 1, f"{kind} ({tradition})"))
        else:
            rows.append(person_row(rng))
    for k, row in enumerate(rows):
        if rng.random() < 0.3:
            row["identifier"] = f"{10_000_000 + k * 7 + rng.randrange(7)}"
    give_mothers(rows, pairs, random.Random(rng.random()))
    return rows, pairs


# --- Mothers' names (their own random stream: the rest of the population is unchanged) ----
# Assumed rates, not measured (no published figure for Kenyan child registrations): a
# registered child's record holds the mother's name 70 % of the time (the rest came from a
# file without it), an adult's 10 %; a registration attempt names her 70 % of the time, as
# typed from the child's file: 15 % of those with a typo or a name left out, 10 % naming
# another woman (the caregiver written as the mother).
MOTHER_RECORDED_CHILD, MOTHER_RECORDED_ADULT = 0.7, 0.1
MOTHER_GIVEN, MOTHER_TYPED_BADLY, MOTHER_OTHER_WOMAN = 0.7, 0.15, 0.1


def mother_of(rng: random.Random, community: str) -> str:
    """A mother's name as her community gives it: a Somali or Swahili woman carries her
    father's (and often grandfather's) name; others a first name, often a name of her
    community, and a surname."""
    _w, female, male, surnames = COMMUNITIES[community]
    if community in PATRONYMIC:
        fathers = (male + " " + MUSLIM[M]).split()
        parts = [pick(rng, (female + " " + MUSLIM[F]).split()), pick(rng, fathers)]
        if rng.random() < 0.6:
            parts.append(pick(rng, fathers))
    else:
        first = pick(rng, CHRISTIAN[F].split()) if rng.random() < 0.7 else pick(rng, female.split())
        parts = [first]
        if rng.random() < 0.5:
            parts.append(pick(rng, female.split()))
        if rng.random() < 0.8 or len(parts) == 1:
            parts.append(pick(rng, surnames.split()))
    return " ".join(dict.fromkeys(parts)).upper()


def mother_as_typed(rng: random.Random, mother: str) -> str:
    """Her name as a clerk types it from a file: mostly right, sometimes with a typo or a
    name left out."""
    if rng.random() >= MOTHER_TYPED_BADLY:
        return mother
    parts = mother.split()
    if len(parts) > 2 and rng.random() < 0.5:
        del parts[rng.randrange(1, len(parts))]
    else:
        i = rng.randrange(len(parts))
        parts[i] = misspell(rng, parts[i])
    return " ".join(parts)


def give_mothers(rows: list[dict], pairs: list[tuple[int, int, str]], rng: random.Random) -> None:
    """Each row's true mother (``mother``; children of one family share her) and what the
    registry recorded (``mother_name``, often blank)."""
    family_of: dict[int, int] = {}
    for a, b, _kind in pairs:
        family_of[b] = family_of.get(a, a)
    for k, row in enumerate(rows):
        head = family_of.get(k)
        row["mother"] = (
            rows[head]["mother"] if head is not None else mother_of(rng, row["community"])
        )
        recorded = MOTHER_RECORDED_CHILD if row["birth_year"] >= 2006 else MOTHER_RECORDED_ADULT
        row["mother_name"] = mother_as_typed(rng, row["mother"]) if rng.random() < recorded else ""


def attempt_mother(rng: random.Random, row: dict) -> str:
    """The mother's name a registration attempt of ``row``'s child gives (often none)."""
    if rng.random() >= MOTHER_GIVEN:
        return ""
    if rng.random() < MOTHER_OTHER_WOMAN:
        return mother_of(rng, row["community"])
    return mother_as_typed(rng, row["mother"])


def misspell(rng: random.Random, name: str) -> str:
    """A typical register typo or spelling variant of one name."""
    n = name.lower()
    variants = [
        ("mm", "m"),
        ("ch", "j"),
        ("dh", "d"),
        ("j", "ch"),
        ("u", "o"),
        ("i", "e"),
        ("e", "i"),
        ("o", "u"),
        ("l", "r"),
        ("r", "l"),
        ("k", "c"),
        ("y", ""),
        ("ia", "ya"),
        ("ee", "e"),
        ("aa", "a"),
    ]
    rng.shuffle(variants)
    for a, b in variants:
        if a in n[1:]:
            i = n.index(a, 1)
            return (n[:i] + b + n[i + len(a) :]).upper()
    kind = rng.choice(("drop", "swap", "double"))
    i = rng.randrange(1, max(2, len(n) - 1))
    if kind == "drop":
        n = n[:i] + n[i + 1 :]
    elif kind == "swap" and i + 1 < len(n):
        n = n[:i] + n[i + 1] + n[i] + n[i + 2 :]
    else:
        n = n[:i] + n[i] + n[i:]
    return n.upper()


ERRORS = (
    "misspelled",
    "reordered",
    "no_middle_name",
    "dob_year_off",
    "dob_swapped",
    "year_only",
    "moved_year_slip",
    "moved_estimated",
    "identifier",
)


def _other_county(rng: random.Random, code: str) -> str:
    return rng.choice([c for c in CODES if c != code])


def _slip(rng: random.Random, dup: dict) -> None:
    d = dup["date_of_birth"]
    try:
        dup["date_of_birth"] = d.replace(year=d.year + rng.choice((-1, 1)))
    except ValueError:  # 29 February
        dup["date_of_birth"] = d.replace(year=d.year - 4)
    dup["birth_year"] = dup["date_of_birth"].year


def plant(rng: random.Random, original: dict, error: str) -> dict:
    """A second registration attempt of ``original`` with a typical error."""
    dup = dict(original)
    dup["identifier"] = ""
    if error == "misspelled":
        field = rng.choice([f for f in ("first_name", "other_names", "surname") if dup[f]])
        dup[field] = misspell(rng, dup[field])
    elif error == "reordered":
        dup["first_name"], dup["surname"] = original["surname"], original["first_name"]
    elif error == "no_middle_name":
        dup["other_names"] = ""
        if not original["other_names"]:
            dup["surname"] = misspell(rng, dup["surname"])
    elif error == "dob_year_off":
        _slip(rng, dup)
    elif error == "dob_swapped":
        d = dup["date_of_birth"]
        dup["date_of_birth"] = d.replace(month=d.day, day=d.month)
    elif error == "year_only":
        dup["date_of_birth"] = None
    elif error == "moved_year_slip":
        dup["county"] = _other_county(rng, dup["county"])
        _slip(rng, dup)
    elif error == "moved_estimated":
        dup["county"] = _other_county(rng, dup["county"])
        dup["date_of_birth"] = None
    elif error == "identifier":
        dup["identifier"] = original["identifier"]
        dup["first_name"] = misspell(rng, dup["first_name"])
        dup["county"] = _other_county(rng, dup["county"])
    return dup


def eligible(row: dict, error: str) -> bool:
    if error in ("dob_year_off", "moved_year_slip", "year_only", "moved_estimated"):
        return row["date_of_birth"] is not None
    if error == "dob_swapped":
        d = row["date_of_birth"]
        return d is not None and d.day <= 12 and d.day != d.month
    if error == "identifier":
        return bool(row["identifier"])
    return True
