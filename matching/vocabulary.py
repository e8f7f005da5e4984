"""Word lists that help read designers' text: stop words and common product nouns.

Both are stored folded (no å/ä/ö), as :func:`matching.text.fold` produces them.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.text import fold
from matching.volume import STAGE_WORDS


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Function words and words every request contains ("behöver", "tillverka") carry no capability.
STOP_WORDS: frozenset[str] = _folded(
    """
    och eller i på av med till för från om som att en ett den det de dem jag vi du ni han hon
    min mitt mina vår vårt våra din ditt er era sin sitt sina man oss mig dig sig
    är var vara blir bli har hade ha kan kunna ska skall skulle vill ville måste får få
    behöver behova söker soka letar leta hittar hitta önskar gärna helst typ ungefär cirka ca
    någon något några ingen inget inga alla allt mycket lite mer mest mindre flera många
    här där hur vad vem vilken vilket vilka när också även bara just nu sedan då så men
    inte ej ja nej tack hej hallå hjälp hjälpa
    tillverka tillverkar tillverkad tillverkade tillverkat tillverkare tillverkaren
    tillverkning producera producerar producent göra gör gjord gjorda gjort görs skapa
    ta fram tas tillverkas produceras design designa designer designers formgivare
    formgivning produkt produkter produkten projekt idé kund kunder företag firma
    st styck stycken stck ex exemplar pcs pieces units km mil nära närheten omkring runt
    inom region regionen området lokal lokalt lokala svensk svenska sverige kommun stad
    the a an of in on at to for from with and or by as is are be been was were it its this
    that these those i we you he she they me us my our your their someone somebody anyone
    something anything who which what where when how can could would should will shall may
    might must need needs needed want wants wanted looking look find finding like please
    help hi hello thanks thank make makes made making produce produced manufacture
    manufactured manufacturer manufacturers maker makers product products project company
    design designer designed some any few many much more most very also just about around
    near nearby close local locally sweden swedish within region area our hi small large
    plats platsen platser platsbyggd platsbyggda platsbyggt
    m s re ve ll d t
    två tre fyra fem sex sju åtta nio tio elva tolv dussin hundra tusen par
    innan efter före bra går gå eget egen egna per år året varje vecka veckor dag dagar
    snabbt fort första andra nya ny nytt gamla gammal gammalt riktigt kanske passar vet
    jobbar finns redan gärna sen sedan sätt sättet typ olika liknande egentligen
    beställa beställer beställning bygga bygger byggd byggda byggt custom börja början börjar
    började teknik tekniken
    own year years week weeks day days fast quickly first second new old two three four five
    six ten twelve dozen hundred thousand couple pair pairs per each already ideally based
    """
) | frozenset(w for words in STAGE_WORDS.values() for phrase in words for w in phrase.split())

# Words that name who is writing, never what should be made ("Jag är textildesigner …"):
# a request word ending in one of these is the designer's trade, not a material or process.
PROFESSION_ENDINGS: tuple[str, ...] = tuple(
    sorted(
        _folded(
            """
            designer designers designern formgivare formgivaren formgivarna arkitekt arkitekter
            arkitekten konstnar konstnarer konstnaren student studenter studenten
            designstudent designbyra formgivningsbyra
            """
        ),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True, slots=True)
class Cues:
    """What around a homonym chooses its product reading over its material reading."""

    words: frozenset[str]  # folded words ("muggar", "fat")
    concepts: frozenset[str]  # taxonomy codes named elsewhere in the text or listing


_CERAMIC_AND_GLASS = frozenset(
    """ceramics glass throwing slip_casting glazing handbuilding kiln_firing ceramic_decoration
    glassblowing glass_fusing glass_cutting""".split()
)

# "koppar" is copper, or cups ("koppar, vaser och lampfötter" on a porcelain studio's listing).
HOMONYMS: dict[str, Cues] = {
    "koppar": Cues(
        _folded(
            """
            mugg muggar muggarna kopp koppen fat faten tallrik tallrikar vas vaser servis
            servisgods kaffe te espresso kanna kannor skål skålar fika kafé café kaffekoppar
            tekoppar assietter
            """
        ),
        _CERAMIC_AND_GLASS,
    ),
}

# Product nouns that often end a compound ("ekbord", "tragolv", "ullfilt"): a two- or
# three-letter material word only counts as the head of a compound when one of these follows.
NOUN_TAILS: frozenset[str] = _folded(
    """
    bord bordet bord bänk bänkar stol stolar stolen pall pallar skåp hylla hyllor skiva skivor
    lampa lampor lampan låda lådor golv golvet panel paneler möbel möbler möblerna detalj
    detaljer del delar ram ramar ramen skål skålar vas vaser kopp koppar mugg muggar fat
    tallrik tallrikar ljusstake ljusstakar krok krokar beslag knopp knoppar handtag väska
    väskor kudde kuddar filt filtar plagg tröja tröjor mössa mössor vante vantar garn tyg
    dukar duk gardin gardiner matta mattor rör profil profiler skylt skyltar kartong box
    smycke smycken leksak leksaker platta plattor kakel list lister trappa dörr dörrar fönster
    kök köket inredning inredningar skulptur skulpturer konst objekt föremål form formar
    balk balkar stomme stommar ben fot fötter sits rygg kant kanter yta ytor vägg väggar tak
    påse påsar påsen sked skedar bricka brickor ask askar burk burkar flaska flaskor glas
    spegel speglar klader kladerna plagg underklader
    """
)

# More everyday nouns for things that are made, which end compounds whose first part names
# the material ("plåt|kapslingar", "tyg|kassar", "akryl|montrar").
OBJECT_NOUNS: frozenset[str] = _folded(
    """
    monter montrar kapsling kapslingar kasse kassar kassen pin pins knapp knappar lock locken
    kåpa kåpor hållare fäste fästen spänne spännen hölje höljen etui fodral korg korgar
    behållare kärl tunna tunnor kanna kannor karaff karaffer skylt stativ ställ ställning
    hängare galge galgar märke märken bricka nyckelring nyckelringar armband halsband örhänge
    örhängen ring ringar skärm skärmar kupa kupor pall pallar vägg väggar parti partier
    """
)

# Words that look like an inflected taxonomy term but are not one: "filter" is no felt
# ("filt"), "färger" are colours (not dyeing), "brickor" trays (not bricks).
NOT_STEMMED: frozenset[str] = _folded(
    """
    filter filtret filtren färger färgerna brickor brickorna bricka koppen kopparna
    driver drivs
    """
)


def _pairs(text: str) -> dict[str, frozenset[str]]:
    """``"a b = c d"`` lines: every word of a line stands for every other word of that line."""
    table: dict[str, set[str]] = {}
    for line in text.strip().splitlines():
        group = {fold(w) for w in line.replace("=", " ").split()}
        for word in group:
            table.setdefault(word, set()).update(group - {word})
    return {word: frozenset(others) for word, others in table.items()}


# Everyday product nouns in English and Swedish (with common plural/definite forms), so "bags"
# finds a maker whose description says "väskor" and "hyllor" finds "shelves".
PRODUCT_TRANSLATIONS: dict[str, frozenset[str]] = _pairs(
    """
    bag bags tote = väska väskor påse påsar
    table tables = bord borden
    chair chairs = stol stolar
    stool stools = pall pallar
    bench benches = bänk bänkar
    shelf shelves shelving = hylla hyllor
    cabinet cabinets cupboard = skåp
    drawer drawers = låda lådor
    furniture = möbel möbler
    lamp lamps lighting = lampa lampor belysning
    lampshade lampshades = lampskärm lampskärmar
    cup cups mug mugs = kopp koppar mugg muggar
    bowl bowls = skål skålar
    vase vases = vas vaser
    plate plates dish = tallrik tallrikar fat
    cushion cushions pillow pillows = kudde kuddar
    throw throws blanket blankets = pläd plädar filt filtar
    rug rugs carpet = matta mattor
    curtain curtains = gardin gardiner
    towel towels = handduk handdukar
    tablecloth = bordsduk dukar
    apron aprons = förkläde förkläden
    clothes clothing garments garment = kläder plagg
    workwear = arbetskläder
    hat hats = hatt hattar
    beanie beanies = mössa mössor
    scarf scarves = halsduk halsdukar
    sweater sweaters jumper = tröja tröjor
    gloves mittens = vantar handskar
    socks = strumpor
    frame frames = ram ramar
    bracket brackets mount = fäste fästen
    handle handles = handtag
    hook hooks = krok krokar
    sign signs signage = skylt skyltar
    poster posters = affisch affischer
    card cards = kort
    menu menus = meny menyer
    book books = bok böcker
    box boxes = låda lådor ask askar
    packaging = förpackning förpackningar
    jewellery jewelry = smycken smycke
    shop store = butik butiker
    interior interiors = inredning inredningar
    counter counters = disk diskar kassadisk
    sculpture sculptures = skulptur skulpturer
    candlestick candlesticks = ljusstake ljusstakar
    housing housings enclosure = hölje höljen kapsling
    part parts component components = detalj detaljer del delar
    toy toys = leksak leksaker
    bottle bottles = flaska flaskor
    mirror mirrors = spegel speglar
    window windows = fönster
    door doors = dörr dörrar
    stairs staircase = trappa trappor
    railing railings = räcke räcken
    fence fences = staket
    planter planters pot pots = kruka krukor
    label labels = etikett etiketter
    sails sail = segel
    boat boats = båt båtar
    bicycle bike = cykel cyklar
    kitchen = kök
    clips clip = clips klämma klämmor
    shoe shoes boot boots = sko skor känga kängor
    cufflink cufflinks = manschettknapp manschettknappar
    tank tanks = tank tankar
    barrel barrels cask casks = tunna tunnor ekfat
    rope ropes = rep linor
    worktop worktops countertop countertops = bänkskiva bänkskivor
    stamp stamps = stämpel stämplar
    ring rings = ring ringar
    knife knives = kniv knivar
    basket baskets = korg korgar
    """
)


# Product families: a request for an oak table is answered by a maker whose own words name
# tables, or at least furniture; one that only names oak (a picture framer, a tray maker)
# shows the material but not the job. Words are folded; a word may be in several families.
PRODUCT_FAMILIES: dict[str, frozenset[str]] = {
    name: _folded(words)
    for name, words in {
        "furniture": """
            bord bordet borden bänk bänkar stol stolar stolen pall pallar skåp skåpet hylla
            hyllor bokhylla bokhyllor möbel möbler möblerna soffa soffor fåtölj fåtöljer säng
            sängar sits sitsar stolsrygg stolsryggar armstöd stomme stommar möbelben bordsben
            skrivbord byrå byråer kontorsmöbler sittmöbler förvaring garderob garderober kök
            köket kassadisk kassadiskar butiksinredning inredning montrar monter bordsskiva
            bordsskivor table tables chair chairs stool stools bench benches shelf shelves
            shelving cabinet cabinets furniture sofa sofas counter counters desk desks seating
            interior interiors""",
        "tableware": """
            mugg muggar kopp koppar fat serveringsfat tallrik tallrikar skål skålar vas vaser
            servis servisgods kanna kannor karaff karaffer dricksglas bricka brickor skärbräda
            skärbrädor bestick sked skedar kärl kruka krukor bruksföremål mug mugs cup cups
            bowl bowls plate plates vase vases dish dishes tray trays jug carafe carafes
            tableware""",
        "home_textiles": """
            pläd plädar filt filtar kudde kuddar kuddfodral dyna dynor sittdyna sittdynor
            gardin gardiner duk dukar handduk handdukar kökshandduk kökshanddukar matta mattor
            trasmatta trasmattor möbeltyg möbeltyger inredningstyger inredningstextil
            inredningstextilier överkast throw throws blanket blankets cushion cushions curtain
            curtains towel towels rug rugs tablecloth""",
        "clothing": """
            plagg kläder arbetskläder profilkläder profilplagg barnkläder underkläder tröja
            tröjor mössa mössor halsduk halsdukar vante vantar sjal sjalar shirts skjorta
            skjortor jacka jackor byxor jeans förkläde förkläden underställ klänning klänningar
            keps kepsar provplagg knitwear garment garments clothes clothing workwear sweater
            sweaters hat hats beanie beanies scarf scarves apron aprons caps cap""",
        "bags": """
            väska väskor kasse kassar påse påsar ryggsäck ryggsäckar plånbok plånböcker etui
            etuier bälte bälten rem remmar accessoarer aftonväskor bag bags tote totes wallet
            wallets belt belts pouch pouches""",
        "footwear": "sko skor skodon känga kängor stövel stövlar sandal sandaler shoe shoes boots",
        "hardware": """
            beslag handtag knopp knoppar krok krokar gångjärn fäste fästen bussning bussningar
            distans distanser bricka brickor skruv skruvar detalj detaljer plåtdetaljer
            komponent komponenter hölje höljen kåpa kåpor lock fitting fittings handle handles
            hook hooks bracket brackets hinge hinges housing housings part parts component
            components clips""",
        "lighting": """
            lampa lampor lampskärm lampskärmar lampfot lampfötter ljusstake ljusstakar
            belysning ljuskrona ljuskronor lamp lamps lampshade lampshades lighting
            candlestick candlesticks chandelier""",
        "signs": """
            skylt skyltar namnskylt namnskyltar display displayer butiksdisplayer monter
            montrar banderoll banderoller vepa vepor dekal dekaler sign signs signage displays
            banner banners""",
        "print": """
            affisch affischer poster posters bok böcker broschyr broschyrer katalog kataloger
            visitkort kort meny menyer inbjudningar zine zines etikett etiketter omslag book
            books card cards menu menus label labels""",
        "packaging": """
            förpackning förpackningar låda lådor ask askar kartong kartonger förvaringslådor
            box boxes packaging""",
        "art": "skulptur skulpturer konstverk relief sculpture sculptures",
        "building": """
            trappa trappor trappsteg fönster dörr dörrar fasad fasader räcke räcken grind
            grindar golv golvplattor kakel klinker bänkskiva bänkskivor kakelugn kakelugnar
            staircase stairs door doors railing railings gate gates floor tiles""",
        "frames": "ram ramar tavelram tavelramar inramning listverk frame frames",
        "boats": "båt båtar skrov båtskrov kajak kajaker segel kapell boat boats hull hulls kayak",
        "toys": "leksak leksaker leksaksdelar toy toys",
        "barrels": "vinfat ekfat ölfat tunna tunnor barrel barrels cask casks",
    }.items()
}
PRODUCT_WORDS: dict[str, frozenset[str]] = {}
for _family, _words in PRODUCT_FAMILIES.items():
    for _word in _words:
        PRODUCT_WORDS[_word] = PRODUCT_WORDS.get(_word, frozenset()) | {_family}


# The words that name a family as such ("möbler", "kläder"): a maker that writes one of them
# makes that kind of thing, while one that names a sibling ("fat" for "kannor") may not.
FAMILY_NAMES: dict[str, frozenset[str]] = {
    name: _folded(words)
    for name, words in {
        "furniture": "möbel möbler möblerna möbeltillverkning furniture sittmöbler",
        "tableware": "servis servisgods bruksföremål bruksgods tableware",
        "home_textiles": "inredningstextil inredningstextilier hemtextil hemtextilier",
        "clothing": "kläder plagg klädesplagg konfektion garments garment clothing clothes",
        "bags": "väskor bags",
        "lighting": "belysning lampor lighting",
        "signs": "skyltar skyltning signs signage",
        "print": "trycksaker print",
        "packaging": "förpackningar förpackning packaging",
    }.items()
}


def product_families(word: str) -> frozenset[str]:
    """The product families a folded word names, itself or as a compound's last part.

    >>> sorted(product_families("ekbord")), sorted(product_families("kontor"))
    (['furniture'], [])
    """
    found = PRODUCT_WORDS.get(word)
    if found:
        return found
    for cut in range(2, len(word) - 3):  # a compound's last part of four letters or more
        found = PRODUCT_WORDS.get(word[cut:])
        if found:
            return found
    return frozenset()


# Request words that say something is to be made without saying what ("detaljer", "parts").
GENERIC_OBJECTS: frozenset[str] = _folded(
    """
    detalj detaljer detaljerna del delar delarna komponent komponenter bit bitar sak saker
    grejer artikel artiklar objekt föremål modell modeller prototyp prototyper protoyp
    exemplar serie serien serier småserie pilotserie upplaga
    part parts component components piece pieces item items object objects thing things
    prototype prototypes model models sample samples series batch run edition copies
    form formen shape storlek storlekar size sizes skiss skissen sketch ritning ritningen
    ritningar drawing drawings
    """
)


def is_object_word(word: str) -> bool:
    """Whether a folded request word the taxonomy does not know may name what is to be made
    ("kuvert", "fat"), rather than a number, a measure or a word for any thing at all.

    >>> is_object_word("kuvert"), is_object_word("m3"), is_object_word("detaljer")
    (True, False, False)
    """
    return len(word) >= 3 and word.isalpha() and word not in GENERIC_OBJECTS
