"""The CPIMS ID check digit catches every single-character error and every adjacent
transposition: proved exhaustively over a sample of issued IDs."""

import random

from shared_registry import checkdigit

ALPHABET = "0123456789"


def _sample(n=3000):
    rng = random.Random(4)
    numbers = {100000000, 999999999, 123456789, *(rng.randrange(10**8, 10**9) for _ in range(n))}
    return [checkdigit.cpims_id_from_number(x) for x in numbers]


def test_issued_ids_are_valid():
    for cpims_id in _sample(200):
        assert checkdigit.is_valid(cpims_id)
        assert len(cpims_id) == checkdigit.ID_LENGTH


def test_every_single_character_error_is_caught():
    checked = 0
    for cpims_id in _sample():
        for position in range(len(cpims_id)):
            for ch in ALPHABET:
                if ch == cpims_id[position]:
                    continue
                wrong = cpims_id[:position] + ch + cpims_id[position + 1 :]
                assert not checkdigit.is_valid(wrong), (cpims_id, wrong)
                checked += 1
    assert checked > 250_000


def test_every_adjacent_transposition_is_caught():
    checked = 0
    for cpims_id in _sample():
        for i in range(len(cpims_id) - 1):
            a, b = cpims_id[i], cpims_id[i + 1]
            if a == b:
                continue
            swapped = cpims_id[:i] + b + a + cpims_id[i + 2 :]
            assert not checkdigit.is_valid(swapped), (cpims_id, swapped)
            checked += 1
    assert checked > 20_000


def test_letters_and_wrong_lengths_are_refused():
    good = checkdigit.cpims_id_from_number(123456789)
    assert not checkdigit.is_valid(good[:-1])
    assert not checkdigit.is_valid(good + "0")
    assert not checkdigit.is_valid("A" + good[1:])
    assert checkdigit.is_valid(checkdigit.normalise(checkdigit.display(good)))
