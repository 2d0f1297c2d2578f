"""Person registry search at scale: generates N synthetic persons with Kenyan names of
several communities (Kikuyu, Luo, Luhya, Kalenjin, Kamba, Kisii, Meru, Mijikenda,
Somali, Maasai, Turkana; Christian and Muslim first names), plants duplicates with
typical errors, and prints p50/p95 latency of the matching query for exact,
misspelled and reordered-name queries, recall of the planted duplicates in the top 5
candidates and precision of the top candidate.

    DATABASE_URL=... .venv/bin/python bench/registry_search.py [--persons 1000000]
        [--duplicates 1000] [--queries 300] [--database cpims_registry_bench] [--reuse]

Targets: p95 < 100 ms at 1,000,000 persons, recall@5 >= 95 %.
"""

from __future__ import annotations

import argparse
import datetime as dt
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


def person_row(rng: random.Random) -> dict:
    community = rng.choices(list(COMMUNITIES), weights=[v[0] for v in COMMUNITIES.values()])[0]
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
    }


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


ERRORS = ("misspelled", "reordered", "no_middle_name", "dob_year_off", "dob_swapped", "year_only")


def plant(rng: random.Random, original: dict, error: str) -> dict:
    dup = dict(original)
    if error == "misspelled":
        field = rng.choice([f for f in ("first_name", "other_names", "surname") if dup[f]])
        dup[field] = misspell(rng, dup[field])
    elif error == "reordered":
        dup["first_name"], dup["surname"] = original["surname"], original["first_name"]
    elif error == "no_middle_name":
        dup["other_names"] = ""
        if not original["other_names"]:
            dup["surname"] = misspell(rng, dup["surname"])
    elif error == "dob_year_off" and dup["date_of_birth"]:
        d = dup["date_of_birth"]
        dup["date_of_birth"] = d.replace(year=d.year + rng.choice((-1, 1)))
        dup["birth_year"] = dup["date_of_birth"].year
    elif error == "dob_swapped" and dup["date_of_birth"]:
        d = dup["date_of_birth"]
        if d.day <= 12:
            dup["date_of_birth"] = d.replace(month=d.day, day=d.month)
    elif error == "year_only":
        dup["date_of_birth"] = None
    return dup


def load(n: int, duplicates: int, seed: int) -> list[tuple[int, int, str]]:
    """Bulk-load n persons (+ planted duplicates) with COPY; returns (original pk,
    duplicate pk, error) triples."""
    from django.db import connection

    from shared_registry import checkdigit, names
    from shared_registry.models import County

    for code in CODES:
        County.objects.get_or_create(code=code, defaults={"name": f"County {code}"})
    county_ids = dict(County.objects.values_list("code", "pk"))
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE shared_registry_person RESTART IDENTITY CASCADE")
    rows = [person_row(rng) for _ in range(n)]
    originals = rng.sample(range(n), duplicates)
    planted = []
    for k, index in enumerate(originals):
        error = ERRORS[k % len(ERRORS)]
        rows.append(plant(rng, rows[index], error))
        planted.append((index + 1, len(rows), error))  # pks are 1-based row numbers
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
        cursor.execute(
            "CREATE INDEX registry_person_keys_gin ON shared_registry_person USING gin (name_keys)"
        )
        cursor.execute(
            "CREATE INDEX registry_person_trgm ON shared_registry_person "
            "USING gin (search_name gin_trgm_ops)"
        )
        cursor.execute("SELECT setval('shared_registry_person_id_seq', %s)", [len(rows)])
        cursor.execute("ANALYZE shared_registry_person")
    return planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=600)
    parser.add_argument("--queries", type=int, default=300, help="per latency kind")
    parser.add_argument("--database", default="cpims_registry_bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded registry")
    args = parser.parse_args()
    setup_django(args.database)

    from shared_registry import matching
    from shared_registry.models import Person
    from shared_registry.services import person_match_query

    started = time.perf_counter()
    if args.reuse and Person.objects.count() == args.persons + args.duplicates:
        rng = random.Random(args.seed)
        for _ in range(args.persons):
            person_row(rng)
        originals = rng.sample(range(args.persons), args.duplicates)
        planted = [
            (i + 1, args.persons + k + 1, ERRORS[k % len(ERRORS)]) for k, i in enumerate(originals)
        ]
    else:
        planted = load(args.persons, args.duplicates, args.seed)
    print(
        f"registry: {args.persons:,} persons + {len(planted):,} planted duplicates "
        f"(ready in {time.perf_counter() - started:.0f} s)"
    )

    def timed(query, exclude):
        start = time.perf_counter()
        found = matching.match(query, limit=5, exclude_ids={exclude})
        return (time.perf_counter() - start) * 1000, found

    persons = Person.objects.in_bulk([pk for pair in planted for pk in pair[:2]])
    for _ in range(20):  # warm-up
        timed(person_match_query(persons[planted[0][0]]), planted[0][0])

    # recall and precision over every planted duplicate (query = the duplicate's data)
    hits5 = hits1 = 0
    per_error: dict[str, list[int]] = {}
    latency: dict[str, list[float]] = {"exact": [], "misspelled": [], "reordered": []}
    for original, duplicate, error in planted:
        ms, found = timed(person_match_query(persons[duplicate]), duplicate)
        ids = [c.person.pk for c in found]
        hit = original in ids[:5]
        hits5 += hit
        hits1 += bool(ids) and ids[0] == original
        per_error.setdefault(error, []).append(hit)
        if error in latency and len(latency[error]) < args.queries:
            latency[error].append(ms)
    for original, _duplicate, _error in planted[: args.queries]:
        ms, _found = timed(person_match_query(persons[original]), original)
        latency["exact"].append(ms)

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    print(f"{'query':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, values in latency.items():
        print(f"{kind:<12} {len(values):>5} {pct(values, 0.5):>8.1f} {pct(values, 0.95):>8.1f}")
    print(
        f"recall@5 of planted duplicates: {100 * hits5 / len(planted):.1f} % "
        f"({hits5}/{len(planted)})"
    )
    print(f"top-1 precision:                {100 * hits1 / len(planted):.1f} %")
    for error, hits in per_error.items():
        print(f"  {error:<16} recall@5 {100 * sum(hits) / len(hits):5.1f} % (n={len(hits)})")


if __name__ == "__main__":
    main()
