"""A search for makers in the terminal: describe, say how many and where, see who fits.

Runs without Telegram, on whatever database ``DATABASE_URL`` points at, so a newcomer can try
the matching in a minute. Input and output are injected so tests drive it line by line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from matching.places import Place, ResolutionStatus
from services.matchmaking import DesignerRequest, Matchmaker, RankedRequest, RequestError

ReadLine = Callable[[str], str]  # like input(): shows a prompt, returns a line, EOFError at end
Write = Callable[[str], None]

TEXT = {
    "sv": {
        "hello": "SPOK – hitta en lokal tillverkare. ({makers} tillverkare listade.) "
        "Skriv 'sluta' när du vill avsluta.",
        "what": "Vad vill du få tillverkat? ",
        "what_again": "Beskriv gärna med några ord vad du vill få gjort, t.ex. 'ekbord, 10 st'.",
        "volume": "Hur många? (unikat/prototyp, småserie, löpande produktion eller t.ex. "
        "'200 st'; Enter hoppar över) ",
        "where": "Var finns du? (ort eller kommun; Enter för hela Sverige) ",
        "choose_place": "Menade du …",
        "choose": "Välj ett nummer: ",
        "radius": "Hur långt kan du tänka dig att åka? 1) 25 km  2) 50 km  3) 100 km  "
        "4) hela Sverige ",
        "understood": "Jag förstod: {what}",
        "nothing_understood": "Jag hittade inget material eller någon teknik i beskrivningen.",
        "none": "Ingen listad tillverkare passar just nu. Prova att söka längre bort eller "
        "beskriva på ett annat sätt.",
        "results": "De som passar bäst ({shown} av {fit}):",
        "km": "{km:.0f} km bort",
        "lists": "{label}: de anger {words}",
        "via": "{label}: arbetar i {material}",
        "volume_fit": {
            "match": "gör den volymen",
            "near": "gör närliggande volymer",
            "mismatch": "gör normalt andra volymer",
            "unknown": "har inte angett volymer",
            "not_asked": "",
        },
        "again": "Ny sökning? (j/n) ",
        "yes": ("j", "ja", "y", "yes"),
        "bye": "Tack och välkommen tillbaka!",
    },
    "en": {
        "hello": "SPOK – find a local maker. ({makers} makers listed.) Type 'quit' to leave.",
        "what": "What would you like made? ",
        "what_again": "Please describe in a few words what you want made, e.g. 'oak table, "
        "10 pcs'.",
        "volume": "How many? (one-off/prototype, small batch, ongoing production or e.g. "
        "'200 pcs'; Enter skips) ",
        "where": "Where are you? (town or municipality; Enter for all of Sweden) ",
        "choose_place": "Did you mean …",
        "choose": "Pick a number: ",
        "radius": "How far would you travel? 1) 25 km  2) 50 km  3) 100 km  4) all of Sweden ",
        "understood": "I understood: {what}",
        "nothing_understood": "I found no material or process in the description.",
        "none": "No listed maker fits right now. Try searching further away or describing it "
        "differently.",
        "results": "The best fits ({shown} of {fit}):",
        "km": "{km:.0f} km away",
        "lists": "{label}: they list {words}",
        "via": "{label}: works in {material}",
        "volume_fit": {
            "match": "does that volume",
            "near": "does neighbouring volumes",
            "mismatch": "usually does other volumes",
            "unknown": "has not said which volumes",
            "not_asked": "",
        },
        "again": "Another search? (y/n) ",
        "yes": ("y", "yes", "j", "ja"),
        "bye": "Thank you, welcome back!",
    },
}
QUIT_WORDS = {"sluta", "avsluta", "quit", "exit", "q"}
RADII: dict[str, float | None] = {"1": 25, "2": 50, "3": 100, "4": None}
SHOWN = 5


class _Quit(Exception):
    pass


class TerminalSearch:
    def __init__(
        self, matchmaker: Matchmaker, *, read: ReadLine, write: Write, language: str = "sv"
    ) -> None:
        self._matchmaker = matchmaker
        self._read = read
        self._write = write
        self._t = TEXT[language if language in TEXT else "sv"]
        self._language = language

    def run(self) -> None:
        self._write(str(self._t["hello"]).format(makers=len(self._matchmaker.index)))
        try:
            while True:
                self._one_search()
                if self._ask(str(self._t["again"])).lower() not in self._t["yes"]:
                    break
        except (_Quit, EOFError, KeyboardInterrupt):
            pass
        self._write(str(self._t["bye"]))

    def _ask(self, prompt: str) -> str:
        answer = self._read(prompt).strip()
        if answer.lower() in QUIT_WORDS:
            raise _Quit
        return answer

    def _one_search(self) -> None:
        text = self._ask(str(self._t["what"]))
        while not any(ch.isalnum() for ch in text):
            self._write(str(self._t["what_again"]))
            text = self._ask(str(self._t["what"]))
        volume = self._ask(str(self._t["volume"])) or None
        place = self._ask_place()
        radius = self._ask_radius() if place is not None else None
        request = DesignerRequest(
            text=text, volume=volume, radius_km=radius, limit=SHOWN, place=place
        )
        try:
            ranked = self._matchmaker.rank(request)
        except RequestError as error:
            if volume is None:
                raise
            self._write(str(error))  # the volume could not be read: search without it
            ranked = self._matchmaker.rank(
                DesignerRequest(text=text, radius_km=radius, limit=SHOWN, place=place)
            )
        for line in self._render(ranked):
            self._write(line)

    def _ask_place(self) -> Place | None:
        while True:
            typed = self._ask(str(self._t["where"]))
            if not typed:
                return None
            resolution = self._matchmaker.places.resolve(typed)
            if resolution.status is ResolutionStatus.FOUND and not resolution.corrected:
                return resolution.place
            if resolution.candidates:
                self._write(str(self._t["choose_place"]))
                for number, candidate in enumerate(resolution.candidates, start=1):
                    self._write(f"  {number}) {candidate.label}")
                choice = self._ask(str(self._t["choose"]))
                if choice.isdigit() and 1 <= int(choice) <= len(resolution.candidates):
                    return resolution.candidates[int(choice) - 1]

    def _ask_radius(self) -> float | None:
        while True:
            choice = self._ask(str(self._t["radius"])) or "4"
            if choice in RADII:
                return RADII[choice]

    def _render(self, ranked: RankedRequest) -> Iterator[str]:
        t, lang = self._t, self._language
        interpretation = ranked.interpretation
        hits = [*interpretation.materials, *interpretation.processes]
        if hits:
            from matching.interpret import concept_label

            what = ", ".join(concept_label(h.code, lang) for h in hits)
            yield str(t["understood"]).format(what=what)
        else:
            yield str(t["nothing_understood"])
        if not ranked.matches:
            yield str(t["none"])
            return
        yield str(t["results"]).format(shown=len(ranked.matches), fit=ranked.result.candidates)
        fits: dict[str, str] = t["volume_fit"]  # type: ignore[assignment]
        for number, match in enumerate(ranked.matches, start=1):
            e = match.explanation
            where = str(t["km"]).format(km=e.distance_km) if e.distance_km is not None else ""
            yield f"{number}. {match.name}" + (f" – {where}" if where else "")
            for c in e.capabilities:
                label = c.label_sv if lang == "sv" else c.label_en
                if c.via_material:
                    from matching.interpret import concept_label

                    material = concept_label(c.via_material, lang).lower()
                    yield "   " + str(t["via"]).format(label=label, material=material)
                else:
                    words = ", ".join(c.maker_words)
                    yield "   " + str(t["lists"]).format(label=label, words=words)
            if fits[e.volume_fit.value]:
                yield "   " + fits[e.volume_fit.value]
