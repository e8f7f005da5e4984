"""Deadline phrases as designers write them, read against the clock (matching.deadline)."""

from __future__ import annotations

from datetime import date

import pytest

from matching.deadline import find_deadline, parse_deadline

DECEMBER = date(2026, 12, 6)  # a Sunday: March, midsummer and week 12 are all next year's
APRIL = date(2027, 4, 20)  # March is past: "till mars" means next March


@pytest.mark.parametrize(
    ("phrase", "today", "deadline"),
    [
        # a month: its last day; a month already past: next year's
        ("till mars", DECEMBER, date(2027, 3, 31)),
        ("till mars", APRIL, date(2028, 3, 31)),
        ("i mars", DECEMBER, date(2027, 3, 31)),
        ("Mars", DECEMBER, date(2027, 3, 31)),
        ("till april", APRIL, date(2027, 4, 30)),  # this month: not yet past
        ("före mars", DECEMBER, date(2027, 2, 28)),
        ("innan januari", DECEMBER, date(2026, 12, 31)),
        ("i början av mars", DECEMBER, date(2027, 3, 10)),
        ("mitten av mars", DECEMBER, date(2027, 3, 15)),
        ("i slutet av mars", DECEMBER, date(2027, 3, 31)),
        ("till mars 2028", DECEMBER, date(2028, 3, 31)),
        ("by March", DECEMBER, date(2027, 3, 31)),
        ("before March", DECEMBER, date(2027, 2, 28)),
        ("by the end of March", DECEMBER, date(2027, 3, 31)),
        ("early March", DECEMBER, date(2027, 3, 10)),
        ("May", DECEMBER, date(2027, 5, 31)),
        # counted from today
        ("inom 6 veckor", DECEMBER, date(2027, 1, 17)),
        ("inom en månad", DECEMBER, date(2027, 1, 5)),
        ("om två månader", DECEMBER, date(2027, 2, 4)),
        ("inom 10 dagar", DECEMBER, date(2026, 12, 16)),
        ("ett par veckor", DECEMBER, date(2026, 12, 20)),
        ("6 veckor", DECEMBER, date(2027, 1, 17)),
        ("within 6 weeks", DECEMBER, date(2027, 1, 17)),
        ("within a month", DECEMBER, date(2027, 1, 5)),
        ("in three months", DECEMBER, date(2027, 3, 6)),
        ("nästa vecka", DECEMBER, date(2026, 12, 11)),
        ("next month", DECEMBER, date(2027, 1, 31)),
        # holidays: the eve, "före" the day before it
        ("till midsommar", DECEMBER, date(2027, 6, 25)),
        ("före midsommar", DECEMBER, date(2027, 6, 24)),
        ("before midsummer", DECEMBER, date(2027, 6, 24)),
        ("till jul", DECEMBER, date(2026, 12, 24)),
        ("före jul", APRIL, date(2027, 12, 23)),
        ("till påsk", DECEMBER, date(2027, 3, 27)),
        # dates: day/month as Swedes write them; a date already past: next year's
        ("15/3", DECEMBER, date(2027, 3, 15)),
        ("15/3", APRIL, date(2028, 3, 15)),
        ("3/15", DECEMBER, date(2027, 3, 15)),  # month first: no 15th month
        ("15/3/27", DECEMBER, date(2027, 3, 15)),
        ("2027-03-15", DECEMBER, date(2027, 3, 15)),
        ("15 mars", DECEMBER, date(2027, 3, 15)),
        ("den 15:e mars", DECEMBER, date(2027, 3, 15)),
        ("senast 1 februari 2027", DECEMBER, date(2027, 2, 1)),
        ("March 15th", DECEMBER, date(2027, 3, 15)),
        ("the 15th of March", DECEMBER, date(2027, 3, 15)),
        ("vecka 12", DECEMBER, date(2027, 3, 26)),
        ("v. 12", DECEMBER, date(2027, 3, 26)),
        ("week 3", DECEMBER, date(2027, 1, 22)),
        # as soon as possible: today
        ("asap", DECEMBER, DECEMBER),
        ("ASAP!", DECEMBER, DECEMBER),
        ("snarast", DECEMBER, DECEMBER),
        ("Snarast möjligt", DECEMBER, DECEMBER),
        ("så fort som möjligt", DECEMBER, DECEMBER),
        ("as soon as possible", DECEMBER, DECEMBER),
    ],
)
def test_a_deadline_phrase_is_the_last_day_it_names(
    phrase: str, today: date, deadline: date
) -> None:
    reading = parse_deadline(phrase, today=today)
    assert reading is not None, phrase
    assert reading.deadline == deadline, phrase
    assert reading.words == phrase
    assert reading.asap == (deadline == today)


@pytest.mark.parametrize(
    "phrase",
    ["någon gång", "vet inte", "2025-01-01", "31/2", "13/13", "i morgon kanske", "", "2099-01-01"],
)
def test_no_deadline_is_made_up(phrase: str) -> None:
    assert parse_deadline(phrase, today=DECEMBER) is None


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("20 st pallar i ek, klart till mars. Nära Skövde.", date(2027, 3, 31)),
        ("Behöver 50 lampor före midsommar", date(2027, 6, 24)),
        ("Bordet ska vara klart den 15 mars", date(2027, 3, 15)),
        ("Leverans 2027-02-01 till vår butik", date(2027, 2, 1)),
        ("Vi behöver det snarast", DECEMBER),
        ("knitted hats, ready by March, 200 pcs", date(2027, 3, 31)),
        ("we need them within 6 weeks", date(2027, 1, 17)),
        ("något fint till jul", date(2026, 12, 24)),
    ],
)
def test_a_description_states_its_deadline(text: str, deadline: date) -> None:
    reading = find_deadline(text, today=DECEMBER)
    assert reading is not None, text
    assert reading.deadline == deadline


@pytest.mark.parametrize(
    "text",
    [
        "En lampa i mars-gult",  # a colour, not a month
        "i mars har vi mässa, så gärna något enkelt",  # when, but not a deadline
        "plåt 15/3 mm, 200 st",  # a size
        "ekbord 2027 modell",
        "en stol i ek",
    ],
)
def test_a_description_without_a_deadline_gives_none(text: str) -> None:
    assert find_deadline(text, today=DECEMBER) is None
