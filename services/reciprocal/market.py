"""A fictional hub for ``spok-bot simulate market``: makers with hidden behaviour, designers
with briefs. Everything is drawn from one seed; nothing is real.

**Makers.** ``makers`` listings spread over Västra Götaland's municipalities (real places,
fictional businesses), in eight trades (knitting, sewing, joinery, metalwork, casting,
ceramics, glass, plastics) in the proportions of the pilot hub's 45 (``TRADE_WEIGHTS``), each
listing a random part of its trade's materials and processes
in everyday Swedish, so the real ranking (:class:`services.matchmaking.Matchmaker`) reads them
as it reads a coordinator's catalogue. Each maker has a *scale* that sets its volumes and true
minimum order: craft (1 piece; one-offs and small series), workshop (10–30; small series and
production) or industrial (50–200; small series and production). Hidden from the ranking, the
maker also has:

* ``capacity``: new jobs it takes in any four weeks (1–4); a yes beyond it is a "fully
  booked";
* ``busy``: booked spells (each week a 15 % chance of one to three busy weeks starting);
  a brief answered then is a "fully booked";
* ``attention``: briefs it reads in any 7 days (3–6); beyond that a brief is never answered;
* ``responsiveness``: the chance it answers a brief it read at all (0.3–0.95), and
  ``delay``: its mean days to answer (0.5–4, exponential);
* ``lead_time``: days it needs (7–56); a brief whose deadline leaves less is declined;
* ``works_with``: whom it takes work from; a third of makers take no students, a fifth no
  sole traders;
* ``dislikes``: brief kinds of its own trade it declines as "not our kind of work" (each
  with a 15 % chance);
* ``enthusiasm``: the chance of a yes when nothing above stands in the way (0.6–0.95).

What a maker *lists* is true but partial: its minimum order with probability 0.7, its lead
time with 0.6, whom it works with with 0.6 (:class:`matching.models.MakerProfile`'s
``min_order``, ``lead_time_days``, ``works_with``). Capacity, busy spells, attention,
responsiveness, dislikes and enthusiasm are never listed: the reciprocal ranking can only
learn them from answers.

**Designers.** ``designers`` people, each posting a brief in a week with probability 0.3, on a
random day: one of sixteen brief kinds of the eight trades, as often as the trade's weight
("stickade mössor i ull", "bronsgjutning av en skulptur" …), a volume stage and quantity
(one-off 1–5, small series 10–150, production 100–1000), a deadline 7–120 days ahead (none for a
quarter of them), a place (half in Göteborg, the rest anywhere in the county) and a radius (100
km or the county), and a kind of client (student 25 %, sole trader 25 %, company 40 %, public
sector 10 %). The ranking sees the kind as the bot would infer it from the profile: companies
and the public sector by their organisation number, half the students by a student e-mail, sole
traders never. Each designer asks for introductions to the first one to three fits (their own
habit, the same in both rankings); a designer whose makers all declined or never answered asks
the next fits once more.

Answers follow :mod:`services.reciprocal.simulation`; every draw for a (maker, brief) pair
comes from its own generator, so both rankings meet the same makers' moods.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from matching.models import ClientKind, MakerProfile, VolumeStage
from matching.places import Municipality, Place, Places

COUNTY = "14"  # Västra Götalands län
HUB_CENTRE = "Göteborg"


@dataclass(frozen=True, slots=True)
class Trade:
    name: str
    materials: tuple[str, ...]
    processes: tuple[str, ...]
    description: str


TRADES = (
    Trade("Stickeri", ("ull", "garn", "merinoull"), ("stickning", "flatstickning"),
          "Stickar mössor, plagg och plädar i ull."),
    Trade("Syateljé", ("linne", "bomull", "tyg"), ("sömnad", "tillskärning"),
          "Syr kuddar, väskor, förkläden och arbetskläder i tyg."),
    Trade("Snickeri", ("ek", "björk", "furu"), ("snickeri", "CNC-fräsning"),
          "Möbler och inredning i trä: bord, hyllor och skåp."),
    Trade("Metallverkstad", ("stål", "rostfritt stål", "aluminium"),
          ("svetsning", "laserskärning", "bockning"),
          "Plåtbearbetning och svetsade konstruktioner: ramar, stativ och hyllor."),
    Trade("Gjuteri", ("brons", "aluminium", "mässing"), ("gjutning", "sandgjutning"),
          "Sandgjutning av detaljer, beslag och skulpturer."),
    Trade("Keramikverkstad", ("stengods", "porslin", "lera"), ("drejning", "glasering"),
          "Drejat och gjutet porslin: koppar, fat och serier till kaféer."),
    Trade("Glashytta", ("glas",), ("glasblåsning",),
          "Munblåst glas: lampskärmar, vaser och dricksglas."),
    Trade("Plastverkstad", ("plast", "akryl"), ("3D-printning", "vakuumformning"),
          "Prototyper i plast, 3D-utskrifter och vakuumformade detaljer."),
)  # fmt: skip

# How the makers spread over the trades, after the pilot hub's 45 (textile 15, metal 11, wood 9,
# ceramics 3, glass and plastic a few): a trade's share of listings and of briefs.
TRADE_WEIGHTS = (7, 8, 9, 7, 4, 3, 2, 2)

# (trade, the brief's text): the kinds of brief designers write.
BRIEF_KINDS = (
    (0, "stickade mössor i ull"), (0, "en stickad pläd i ull"),
    (1, "kuddfodral sydda i linne"), (1, "förkläden i bomull"),
    (2, "ett matbord i ek"), (2, "hyllor i björk, CNC-frästa"),
    (3, "svetsade stålramar till hyllor"), (3, "laserskurna detaljer i rostfritt stål"),
    (4, "bronsgjutning av en skulptur"), (4, "gjutna beslag i mässing"),
    (5, "drejade koppar i stengods"), (5, "fat i porslin till ett kafé"),
    (6, "munblåsta lampskärmar i glas"), (6, "dricksglas i munblåst glas"),
    (7, "3D-printade prototyper i plast"), (7, "vakuumformade detaljer i plast"),
)  # fmt: skip

SCALES = {
    # scale: (true minimum orders, volumes it lists)
    "craft": ((1,), frozenset({VolumeStage.PROTOTYPE, VolumeStage.PILOT})),
    "workshop": ((10, 20, 30), frozenset({VolumeStage.PILOT, VolumeStage.PRODUCTION})),
    "industrial": ((50, 100, 200), frozenset({VolumeStage.PILOT, VolumeStage.PRODUCTION})),
}
STAGE_QUANTITIES = {
    VolumeStage.PROTOTYPE: (1, 5),
    VolumeStage.PILOT: (10, 150),
    VolumeStage.PRODUCTION: (100, 1000),
}
CLIENT_SHARES = (
    (ClientKind.STUDENTS, 0.25),
    (ClientKind.SOLE_TRADERS, 0.25),
    (ClientKind.COMPANIES, 0.40),
    (ClientKind.PUBLIC_SECTOR, 0.10),
)
BRIEF_CHANCE = 0.3  # a designer posts a brief in a week with this chance
DISLIKE_CHANCE = 0.15  # a maker declines a kind of its own trade's work as not its kind


@dataclass(frozen=True, slots=True)
class SimMaker:
    """A listing (what the ranking sees) and the behaviour it hides."""

    profile: MakerProfile
    min_order: int
    lead_time: int
    works_with: frozenset[ClientKind]
    capacity: int
    attention: int
    responsiveness: float
    delay: float
    enthusiasm: float
    dislikes: frozenset[int]  # brief kinds (indexes into BRIEF_KINDS)
    busy_days: frozenset[int]  # days of the simulation it is fully booked


@dataclass(frozen=True, slots=True)
class SimBrief:
    """One designer's request, with everything the designer knows."""

    id: int
    designer: int
    at: float  # days since the start
    kind: int  # index into BRIEF_KINDS
    stage: VolumeStage
    quantity: int
    deadline_days: int | None  # from ``at``
    client: ClientKind
    visible_client: ClientKind | None  # what the bot can infer from the profile
    place: Place
    radius_km: float | None  # None: the county
    picks: int  # how many fits the designer asks at a time

    @property
    def text(self) -> str:
        return BRIEF_KINDS[self.kind][1]


@dataclass(frozen=True, slots=True)
class World:
    makers: tuple[SimMaker, ...]
    briefs: tuple[SimBrief, ...]
    days: int  # the simulated weeks, in days (briefs are posted within them)
    seed: int
    designers: int
    by_id: dict[str, SimMaker] = field(default_factory=dict)


def build_world(places: Places, *, weeks: int, seed: int, makers: int, designers: int) -> World:
    """The hub for one seed: its makers and every brief of the ``weeks``."""
    rng = random.Random(f"market:{seed}")
    municipalities = places.municipalities(county=COUNTY)
    days = weeks * 7
    found = tuple(_maker(rng, i, municipalities, days) for i in range(makers))
    centre = places.resolve(HUB_CENTRE).place
    assert centre is not None
    briefs: list[SimBrief] = []
    for week in range(weeks):
        for designer in range(designers):
            if rng.random() < BRIEF_CHANCE:
                at = week * 7 + rng.randrange(7) + rng.uniform(0.3, 0.7)
                briefs.append(_brief(rng, len(briefs), designer, at, municipalities, centre))
    briefs.sort(key=lambda b: b.at)
    ordered = tuple(replace(b, id=i) for i, b in enumerate(briefs))
    return World(found, ordered, days, seed, designers, {m.profile.id: m for m in found})


def _maker(
    rng: random.Random, i: int, municipalities: tuple[Municipality, ...], days: int
) -> SimMaker:
    trade_number = _spread(i)
    trade = TRADES[trade_number]
    place = rng.choice(municipalities)
    scale = rng.choices(("craft", "workshop", "industrial"), (0.45, 0.35, 0.2))[0]
    minimums, volumes = SCALES[scale]
    min_order = rng.choice(minimums)
    lead_time = rng.choice((7, 14, 21, 28, 42, 56))
    works_with = set(ClientKind)
    if rng.random() < 1 / 3:
        works_with.discard(ClientKind.STUDENTS)
    if rng.random() < 0.2:
        works_with.discard(ClientKind.SOLE_TRADERS)
    kinds = [k for k, (t, _) in enumerate(BRIEF_KINDS) if t == trade_number]
    busy: set[int] = set()
    for week in range(days // 7 + 3):
        if rng.random() < 0.15:
            start = week * 7 + rng.randrange(7)
            busy.update(range(start, start + 7 * rng.randint(1, 3)))
    materials = tuple(w for w in trade.materials if rng.random() < 0.75) or trade.materials[:1]
    processes = tuple(w for w in trade.processes if rng.random() < 0.75) or trade.processes[:1]
    profile = MakerProfile(
        id=f"sim-{i:03d}",
        name=f"{trade.name} {i + 1}",
        lat=place.lat,
        lon=place.lon,
        municipality_code=place.code,
        materials=materials,
        processes=processes,
        volumes=volumes,
        description=trade.description,
        town=place.name,
        min_order=min_order if rng.random() < 0.7 else None,
        lead_time_days=lead_time if rng.random() < 0.6 else None,
        works_with=frozenset(works_with) if rng.random() < 0.6 else frozenset(),
    )
    return SimMaker(
        profile=profile,
        min_order=min_order,
        lead_time=lead_time,
        works_with=frozenset(works_with),
        capacity=rng.randint(1, 4),
        attention=rng.randint(3, 6),
        responsiveness=rng.choice((0.3, 0.6, 0.8, 0.9, 0.95)),
        delay=rng.uniform(0.5, 4.0),
        enthusiasm=rng.uniform(0.6, 0.95),
        dislikes=frozenset(k for k in kinds if rng.random() < DISLIKE_CHANCE),
        busy_days=frozenset(busy),
    )


def _spread(i: int) -> int:
    """The trade of the ``i``-th maker: every trade in proportion to TRADE_WEIGHTS, the
    largest remainder first (so any number of makers follows the weights closely)."""
    total = sum(TRADE_WEIGHTS)
    given = [0] * len(TRADE_WEIGHTS)
    trade = 0
    for n in range(i + 1):
        trade = max(
            range(len(TRADE_WEIGHTS)),
            key=lambda t: (TRADE_WEIGHTS[t] * (n + 1) / total - given[t], -t),
        )
        given[trade] += 1
    return trade


def _brief(
    rng: random.Random,
    number: int,
    designer: int,
    at: float,
    municipalities: tuple[Municipality, ...],
    centre: Place,
) -> SimBrief:
    weights = [TRADE_WEIGHTS[trade] for trade, _ in BRIEF_KINDS]
    kind = rng.choices(range(len(BRIEF_KINDS)), weights)[0]
    stage = rng.choices(list(STAGE_QUANTITIES), (0.4, 0.45, 0.15))[0]
    low, high = STAGE_QUANTITIES[stage]
    quantity = rng.randint(low, high)
    deadline = None if rng.random() < 0.25 else rng.randint(7, 120)
    client = rng.choices([c for c, _ in CLIENT_SHARES], [s for _, s in CLIENT_SHARES])[0]
    visible: ClientKind | None = client
    if client is ClientKind.SOLE_TRADERS or (client is ClientKind.STUDENTS and rng.random() < 0.5):
        visible = None
    if rng.random() < 0.5:
        place = centre
    else:
        m = rng.choice(municipalities)
        place = Place(m.name, "municipality", m, m.lat, m.lon, None)
    radius = rng.choice((100.0, None))
    return SimBrief(
        number, designer, at, kind, stage, quantity, deadline, client, visible, place, radius,
        picks=rng.choice((1, 2, 3)),
    )  # fmt: skip
