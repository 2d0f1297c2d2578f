"""Person registry matching at scale, and the quality an officer meets.

Generates N synthetic persons with Kenyan names of several communities (Kikuyu, Luo,
Luhya, Kalenjin, Kamba, Kisii, Meru, Mijikenda, Somali, Swahili, Maasai, Turkana;
Christian and Muslim first names), about half of them in families: siblings and twins
who share their family names as their tradition gives them (Somali and Swahili children
carry their father's and grandfather's names; others share a surname, sometimes a
middle name), some with a birth certificate number. Then registration attempts:

- planted duplicates of registered persons, by kind of error (misspelled, reordered,
  missing middle name, year slipped by one with the same day and month, day/month
  swapped, year only, moved county with a year slip, moved county with only an
  estimated year, the same identifier with a misspelled name);
- twins and siblings of registered persons (the other child of the family);
- brand-new people (not in the registry).

It prints, by kind: the share of duplicates at the likely level ("probably the same
child", score >= 70) with the right person first, recall@5, the share of twins and
siblings at the likely level, the share of brand-new people shown any likely candidate,
and p50/p95 latency of the full matching call (SQL + scoring).

    DATABASE_URL=... .venv/bin/python bench/registry_search.py [--persons 100000]
        [--duplicates 1800] [--new 1000] [--database cpims_registry_bench] [--reuse]
        [--show-misses N] [--coincidence 0.2]

The load counts the name frequencies as ``manage.py registry_name_frequencies`` does
(matching weighs common names with them); ``--coincidence`` tries another
``matching.COINCIDENCE``.

Targets: duplicates at the likely level with the right person first >= 98 %, twins and
siblings at the likely level < 1 %, brand-new people shown a likely candidate < 1 %,
recall@5 >= 98 % for every kind, p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

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


def _community(rng: random.Random) -> str:
    return rng.choices(list(COMMUNITIES), weights=[v[0] for v in COMMUNITIES.values()])[0]


def person_row(rng: random.Random) -> dict:
    community = _community(rng)
    _w, female, male, surnames = COMMUNITIES[community]
    sex = rng.choice((F, M))
    own = (female if sex == F else male).split()
    pool = (MUSLIM if community == "somali" else CHRISTIAN)[sex].split()
    first = rng.choice(pool) if rng.random() < 0.75 else rng.choice(own)
    other = rng.choice(own) if rng.random() < 0.7 else ""
    surname = rng.choice(surnames.split())
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
        family_other, family_surname = rng.choice(fathers), rng.choice(fathers)
        shared_middle = True
    else:
        family_surname = rng.choice(surnames.split())
        shared_middle = rng.random() < 0.35
        family_other = rng.choice(male.split() + female.split()) if shared_middle else ""
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
            first = rng.choice(pool) if rng.random() < 0.7 else rng.choice(own)
            if first not in used and first not in (family_other, family_surname):
                break
        used.add(first)
        other = family_other if shared_middle else (rng.choice(own) if rng.random() < 0.6 else "")
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
    return rows, pairs


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


def _eligible(row: dict, error: str) -> bool:
    if error in ("dob_year_off", "moved_year_slip", "year_only", "moved_estimated"):
        return row["date_of_birth"] is not None
    if error == "dob_swapped":
        d = row["date_of_birth"]
        return d is not None and d.day <= 12 and d.day != d.month
    if error == "identifier":
        return bool(row["identifier"])
    return True


def load(rows: list[dict]) -> None:
    """Bulk-load the rows (pk = index + 1) and their identifiers with COPY."""
    from django.db import connection

    from shared_registry import checkdigit, names
    from shared_registry.models import County

    for code in CODES:
        County.objects.get_or_create(code=code, defaults={"name": f"County {code}"})
    county_ids = dict(County.objects.values_list("code", "pk"))
    now = dt.datetime.now(dt.UTC).isoformat()
    columns = (
        "id",
        "cpims_id",
        "first_name",
        "other_names",
        "surname",
        "also_known_as",
        "sex",
        "date_of_birth",
        "birth_year",
        "birth_date_estimated",
        "county_id",
        "search_name",
        "name_keys",
        "created_at",
    )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE shared_registry_person RESTART IDENTITY CASCADE")
        cursor.execute("DROP INDEX IF EXISTS registry_person_keys_gin, registry_person_trgm")
        with cursor.copy(f"COPY shared_registry_person ({', '.join(columns)}) FROM STDIN") as copy:
            for pk, r in enumerate(rows, start=1):
                parts = (r["first_name"], r["other_names"], r["surname"])
                copy.write_row(
                    (
                        pk,
                        checkdigit.cpims_id_from_number(100_000_000 + pk),
                        r["first_name"],
                        r["other_names"],
                        r["surname"],
                        "",
                        r["sex"],
                        r["date_of_birth"],
                        r["birth_year"],
                        r["date_of_birth"] is None,
                        county_ids[r["county"]],
                        names.sorted_name(*parts),
                        names.person_keys(*parts, year=r["birth_year"]),
                        now,
                    )
                )
        identifier_columns = "person_id, identifier_type, value, created_at"
        with cursor.copy(
            f"COPY shared_registry_personidentifier ({identifier_columns}) FROM STDIN"
        ) as copy:
            for pk, r in enumerate(rows, start=1):
                if r["identifier"]:
                    copy.write_row((pk, "ISOV", r["identifier"], now))
        cursor.execute(
            "CREATE INDEX registry_person_keys_gin ON shared_registry_person USING gin (name_keys)"
        )
        cursor.execute(
            "CREATE INDEX registry_person_trgm ON shared_registry_person "
            "USING gin (search_name gin_trgm_ops)"
        )
        cursor.execute("SELECT setval('shared_registry_person_id_seq', %s)", [len(rows)])
        cursor.execute("ANALYZE shared_registry_person")
        cursor.execute("ANALYZE shared_registry_personidentifier")
    from shared_registry.frequencies import name_frequencies_recount

    name_frequencies_recount()  # as manage.py registry_name_frequencies does


def as_query(row: dict, county_ids: dict[str, int]):
    """The matching query a registration attempt with these details makes."""
    from shared_registry import matching

    return matching.MatchQuery(
        first_name=row["first_name"],
        other_names=row["other_names"],
        surname=row["surname"],
        sex=row["sex"],
        date_of_birth=row["date_of_birth"],
        birth_year=row["birth_year"],
        birth_date_estimated=row["date_of_birth"] is None,
        county_id=county_ids[row["county"]],
        identifiers=[("ISOV", row["identifier"])] if row["identifier"] else [],
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def share(hits: list[bool]) -> str:
    return f"{100 * sum(hits) / len(hits):5.1f} %" if hits else "    - "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=1800, help="planted, all kinds")
    parser.add_argument("--siblings", type=int, default=1000, help="sibling pairs queried")
    parser.add_argument("--new", type=int, default=1000, help="brand-new people queried")
    parser.add_argument("--database", default="cpims_registry_bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded registry")
    parser.add_argument("--show-misses", type=int, default=0, help="print N misses per kind")
    parser.add_argument("--coincidence", type=float, help="override matching.COINCIDENCE")
    args = parser.parse_args()
    setup_django(args.database)

    from shared_registry import matching
    from shared_registry.models import County, NameFrequency, Person

    if args.coincidence is not None:
        matching.COINCIDENCE = args.coincidence

    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    rng = random.Random(args.seed)
    rows, sibling_pairs = population(args.persons, rng)
    if not (args.reuse and Person.objects.count() == len(rows)):
        load(rows)
    elif not NameFrequency.objects.exists():
        from shared_registry.frequencies import name_frequencies_recount

        name_frequencies_recount()
    county_ids = dict(County.objects.values_list("code", "pk"))
    print(
        f"registry: {len(rows):,} persons, {len(sibling_pairs):,} sibling pairs "
        f"({sum('twins' in k for _a, _b, k in sibling_pairs):,} twins), "
        f"{sum(bool(r['identifier']) for r in rows):,} birth certificates "
        f"(ready in {time.perf_counter() - started:.0f} s)"
    )

    latency: dict[str, list[float]] = {}

    def timed(group: str, row: dict, exclude: int | None = None) -> list:
        start = time.perf_counter()
        found = matching.match(
            as_query(row, county_ids), limit=5, exclude_ids={exclude} if exclude else None
        )
        latency.setdefault(group, []).append((time.perf_counter() - start) * 1000)
        return found

    for k in range(20):  # warm-up
        timed("warm-up", rows[k])
    latency.pop("warm-up")

    # planted duplicates: the right person first at the likely level, and in the top 5
    per_kind: dict[str, tuple[list[bool], list[bool]]] = {}
    quality_rng = random.Random(args.seed + 1)
    for k in range(args.duplicates):
        error = ERRORS[k % len(ERRORS)]
        index = quality_rng.randrange(len(rows))
        while not _eligible(rows[index], error):
            index = quality_rng.randrange(len(rows))
        found = timed("duplicate", plant(quality_rng, rows[index], error))
        ids = [c.person.pk for c in found]
        likely_first = bool(found) and ids[0] == index + 1 and found[0].level == matching.LIKELY
        likely, top5 = per_kind.setdefault(error, ([], []))
        if not likely_first and len(likely) - sum(likely) < args.show_misses:
            print(f"miss {error}: {rows[index]}")
            for c in found[:3]:
                print(f"    {c.person.pk == index + 1} {c.person} {c.score} {c.reasons}")
        likely.append(likely_first)
        top5.append(index + 1 in ids)

    # twins and siblings: the other child of the family at the likely level
    sibling_kinds: dict[str, list[bool]] = {}
    pairs = quality_rng.sample(sibling_pairs, min(args.siblings, len(sibling_pairs)))
    for a, b, kind in pairs:
        found = timed("sibling", rows[a], exclude=a + 1)
        sibling_kinds.setdefault(kind, []).append(
            any(c.person.pk == b + 1 and c.level == matching.LIKELY for c in found)
        )

    # brand-new people: any "probably the same child" shown at all
    new_rng = random.Random(args.seed + 2)
    new_likely: list[bool] = []
    new_similar: list[bool] = []
    for _k in range(args.new):
        row = (
            person_row(new_rng) if new_rng.random() < 0.6 else new_rng.choice(family_rows(new_rng))
        )
        row["identifier"] = ""
        found = timed("brand-new", row)
        new_likely.append(any(c.level == matching.LIKELY for c in found))
        if new_likely[-1] and sum(new_likely) <= args.show_misses:
            print(f"brand-new at likely: {row}")
            for c in found[:2]:
                print(f"    {c.person} {c.score} {c.reasons}")
        new_similar.append(bool(found))

    print()
    print(
        f"names and an estimated year are likely while namesakes explain them with a chance "
        f"under {matching.COINCIDENCE}; load average now {os.getloadavg()[0]:.1f} "
        f"(at start {load_at_start:.1f}) on {os.cpu_count()} cores"
    )
    print("Planted duplicates (query: the second registration attempt)")
    print(f"{'kind':<18} {'n':>5} {'likely, right first':>20} {'recall@5':>9}")
    all_likely: list[bool] = []
    all_top5: list[bool] = []
    for error in ERRORS:
        likely, top5 = per_kind.get(error, ([], []))
        all_likely += likely
        all_top5 += top5
        print(f"{error:<18} {len(likely):>5} {share(likely):>20} {share(top5):>9}")
    print(f"{'all':<18} {len(all_likely):>5} {share(all_likely):>20} {share(all_top5):>9}")
    print()
    print("Twins and siblings (query: one child; the other is registered)")
    print(f"{'kind':<30} {'n':>5} {'at the likely level':>20}")
    all_siblings: list[bool] = []
    for kind in sorted(sibling_kinds):
        all_siblings += sibling_kinds[kind]
        print(f"{kind:<30} {len(sibling_kinds[kind]):>5} {share(sibling_kinds[kind]):>20}")
    print(f"{'all':<30} {len(all_siblings):>5} {share(all_siblings):>20}")
    print()
    print("Brand-new people (not in the registry)")
    print(f"  shown any 'probably the same child': {share(new_likely)} (n={len(new_likely)})")
    print(f"  shown similar names (folded away):   {share(new_similar)}")
    print()
    print(f"{'latency':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for group, values in latency.items():
        print(f"{group:<12} {len(values):>5} {pct(values, 0.5):>8.1f} {pct(values, 0.95):>8.1f}")


if __name__ == "__main__":
    main()
