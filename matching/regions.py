"""Sub-regions within a county, where a hub works by them.

Västra Götaland's hub works in four sub-regions, the county's four associations of local
authorities (kommunalförbund): Fyrbodal, Göteborgsregionen, Sjuhärad (Boråsregionen) and
Skaraborg. Their membership is public; Kungsbacka is also in Göteborgsregionen but lies in
Halland, whose hub has no sub-regions, so it is not listed here. Everywhere else the county
is the area (see :func:`area_of`).
"""

from __future__ import annotations

from matching.places import load_places

__all__ = ["SUB_REGIONS", "area_of", "sub_region_of"]

SUB_REGIONS: dict[str, tuple[str, ...]] = {
    "Fyrbodal": (
        "1427",  # Sotenäs
        "1430",  # Munkedal
        "1435",  # Tanum
        "1438",  # Dals-Ed
        "1439",  # Färgelanda
        "1460",  # Bengtsfors
        "1461",  # Mellerud
        "1484",  # Lysekil
        "1485",  # Uddevalla
        "1486",  # Strömstad
        "1487",  # Vänersborg
        "1488",  # Trollhättan
        "1492",  # Åmål
        "1421",  # Orust
    ),
    "Göteborg": (
        "1401",  # Härryda
        "1402",  # Partille
        "1407",  # Öckerö
        "1415",  # Stenungsund
        "1419",  # Tjörn
        "1440",  # Ale
        "1441",  # Lerum
        "1462",  # Lilla Edet
        "1480",  # Göteborg
        "1481",  # Mölndal
        "1482",  # Kungälv
        "1489",  # Alingsås
    ),
    "Sjuhärad": (
        "1442",  # Vårgårda
        "1443",  # Bollebygd
        "1452",  # Tranemo
        "1463",  # Mark
        "1465",  # Svenljunga
        "1466",  # Herrljunga
        "1490",  # Borås
        "1491",  # Ulricehamn
    ),
    "Skaraborg": (
        "1444",  # Grästorp
        "1445",  # Essunga
        "1446",  # Karlsborg
        "1447",  # Gullspång
        "1470",  # Vara
        "1471",  # Götene
        "1472",  # Tibro
        "1473",  # Töreboda
        "1493",  # Mariestad
        "1494",  # Lidköping
        "1495",  # Skara
        "1496",  # Skövde
        "1497",  # Hjo
        "1498",  # Tidaholm
        "1499",  # Falköping
    ),
}

_BY_MUNICIPALITY = {code: name for name, codes in SUB_REGIONS.items() for code in codes}


def sub_region_of(municipality_code: str | None) -> str | None:
    """The sub-region of a municipality, if its county has sub-regions.

    >>> sub_region_of("1490"), sub_region_of("1280")
    ('Sjuhärad', None)
    """
    return _BY_MUNICIPALITY.get(municipality_code or "")


def area_of(municipality_code: str | None) -> str | None:
    """Where a request or maker is, for grouping: the sub-region, else the county's name,
    ``None`` for an unknown or missing code.

    >>> area_of("1480"), area_of("1280"), area_of(None)
    ('Göteborg', 'Skåne län', None)
    """
    if not municipality_code:
        return None
    if region := sub_region_of(municipality_code):
        return region
    try:
        return load_places().municipality(municipality_code).county.name
    except KeyError:
        return None
