"""The terminal search, driven line by line as a script would."""

from collections.abc import Iterator

import pytest

from bot.terminal import TerminalSearch
from matching.models import MakerProfile
from services.matchmaking import Matchmaker

MAKERS = [
    MakerProfile("a", "Ekstrand Snickeri", 57.7072, 11.9668, materials=("ek",),
                 processes=("snickeri",)),
    MakerProfile("b", "Glashyttan", 56.66, 16.36, materials=("glas",),
                 processes=("glasblåsning",)),
]  # fmt: skip


def drive(lines: list[str], language: str = "sv") -> str:
    answers: Iterator[str] = iter(lines)
    out: list[str] = []

    def read(prompt: str) -> str:
        out.append(prompt)
        return next(answers)  # StopIteration past the script would be a test bug

    def read_or_eof(prompt: str) -> str:
        try:
            return read(prompt)
        except StopIteration:
            raise EOFError from None

    TerminalSearch(
        Matchmaker.from_profiles(MAKERS), read=read_or_eof, write=out.append, language=language
    ).run()
    return "\n".join(out)


def test_a_whole_search_in_swedish() -> None:
    out = drive(["glasblåsta vaser", "", "Kalmar", "4", "n"])
    assert "Glasblåsning" in out and "1. Glashyttan" in out and "km bort" in out
    assert out.rstrip().endswith("Tack och välkommen tillbaka!")


def test_english_ambiguous_place_and_radius() -> None:
    out = drive(["oak table", "prototype", "Habo", "1", "2", "n"], language="en")
    assert "Did you mean" in out and "Håbo" in out
    assert "No listed maker fits" in out  # nothing within 50 km of Habo


@pytest.mark.parametrize("lines", [[], ["   ", "ekbord"], ["ekbord", "", "", "sluta"]])
def test_empty_input_quit_and_end_of_input_end_kindly(lines: list[str]) -> None:
    out = drive(lines)
    assert "Tack och välkommen tillbaka!" in out


def test_unreadable_volume_is_said_and_the_search_still_runs() -> None:
    out = drive(["ekbord", "hmm kanske några", "", "n"])
    assert "could not read the volume" in out
    assert "1. Ekstrand Snickeri" in out
