"""What the command line tells operators where a count is shown (``services/data/operators.
{sv,en}.toml``), so "1 row" and "2 rows" come from the one text mechanism,
:class:`services.messages.Texts`. The command line speaks English."""

from __future__ import annotations

from services.messages import Texts


class OperatorTexts(Texts):
    """``OperatorTexts()("hubs.coordinators", count=1)`` → ``1 coordinator`` (plain: .plain)."""

    CATALOGUE = "operators"

    def __init__(self, language: str | None = "en") -> None:
        super().__init__(language)
