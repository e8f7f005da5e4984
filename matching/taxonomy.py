"""The bilingual materials-and-processes taxonomy.

Each concept has a stable code, a Swedish and an English name, and the words people actually
use for it: synonyms, everyday material names (ek, björk, furu → wood), common inflections
that a suffix stripper cannot reach ("skurna", "vävd") and English terms. Words are written
here as people write them; :mod:`matching.interpret` folds them (å→a, ä→a, ö→o) when it loads.

A process lists the materials it works on (``materials``). A process with a single material
implies that material when a designer names only the process ("glasblåsning" → glass).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache


class ConceptKind(StrEnum):
    MATERIAL = "material"
    PROCESS = "process"


@dataclass(frozen=True, slots=True)
class Concept:
    code: str
    kind: ConceptKind
    sv: str
    en: str
    terms: tuple[str, ...]
    materials: tuple[str, ...] = ()  # for processes: the materials it works on

    def name(self, language: str) -> str:
        return self.sv if language == "sv" else self.en


def _m(code: str, sv: str, en: str, terms: str) -> Concept:
    return Concept(code, ConceptKind.MATERIAL, sv, en, _split(terms))


def _p(code: str, sv: str, en: str, materials: str, terms: str) -> Concept:
    return Concept(code, ConceptKind.PROCESS, sv, en, _split(terms), tuple(materials.split()))


def _split(terms: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in terms.split("|") if t.strip())


MATERIALS: tuple[Concept, ...] = (
    _m(
        "wood",
        "Trä",
        "Wood",
        "mahogny|mahogany|rönn|äppelträ|päronträ|ask|askträ|bok|ekfaner|björkfaner|masurbjörk|"
        "trä|träet|"
        "trävaror|virke|massivträ|timmer|ek|eken|ekträ|björk|björkträ|furu|tallträ|gran|"
        "askträ|bokträ|valnöt|körsbär|lönn|al|lind|alm|lärk|teak|bambu|plywood|kryssfaner|"
        "faner|mdf|spånskiva|träskiva|wood|wooden|timber|lumber|oak|birch|pine|spruce|ash|"
        "beech|walnut|cherry|maple|alder|elm|larch|bamboo|veneer|hardwood|softwood",
    ),
    _m(
        "metal",
        "Metall",
        "Metal",
        "vajer|vajrar|stålvajer|gjutgods|smidesstål|rostfri plåt|aluzink|metall|metaller|"
        "metallen|stål|stålet|rostfritt|rostfri|rostfria|syrafast|aluminium|"
        "alu|mässing|koppar|brons|järn|gjutjärn|smidesjärn|zink|tenn|silver|guld|titan|plåt|"
        "plåten|stålplåt|metal|metals|metallic|steel|stainless|aluminum|brass|copper|bronze|"
        "iron|tin|pewter|gold|titanium|sheet metal|corten|cortenstål|wire|ståltråd",
    ),
    _m(
        "textile",
        "Textil",
        "Textile",
        "lin|polyester|polyamid|fårull|alpacka|alpaca|mohair|kashmir|cashmere|jute|twill|softshell|segelduk|"
        "möbeltyg|pvc-väv|lintyg|ylletyg|filtduk|tekniska textilier|technical textiles|organza|"
        "tyll|trikå|frotté|textil|textilier|textilen|tyg|tyger|tyget|ull|ylle|linne|bomull|siden|"
        "silke|hampa|"
        "garn|tråd|jersey|denim|canvas|sammet|manchester|fleece|tekstil|textile|textiles|"
        "fabric|fabrics|cloth|wool|woollen|woolen|merino|linen|cotton|silk|hemp|yarn|thread|"
        "velvet|tweed",
    ),
    _m(
        "ceramics",
        "Keramik",
        "Ceramics",
        "flintgods|tegellera|tegel|brick|benporslin|bone china|keramik|keramiken|keramisk|"
        "keramiska|lera|leran|porslin|stengods|lergods|terrakotta|"
        "fajans|kakel|klinker|ceramic|ceramics|clay|porcelain|stoneware|earthenware|"
        "terracotta|faience|tile|tiles|pottery",
    ),
    _m(
        "glass",
        "Glas",
        "Glass",
        "glas|glaset|glasen|kristall|glass|glasses|crystal|glassware|planglas|antikglas|"
        "floatglas|float glass|glasskivor",
    ),
    _m(
        "stone",
        "Sten",
        "Stone",
        "sten|stenen|natursten|granit|marmor|kalksten|skiffer|täljsten|sandsten|diabas|"
        "bohusgranit|gotlandssten|ölandssten|kalkstensplattor|"
        "kvartsit|stone|natural stone|granite|marble|limestone|slate|soapstone|sandstone",
    ),
    _m(
        "concrete",
        "Betong",
        "Concrete",
        "betong|betongen|cement|terrazzo|jesmonite|jesmonit|concrete|cast stone",
    ),
    _m(
        "plastic",
        "Plast",
        "Plastic",
        "petg|pom|pp|polystyren|polystyrene|skumplast|cellplast|foam|gummi|rubber|pvc|hdpe|ldpe|"
        "acetal|plast|plasten|plaster|akryl|akrylglas|plexiglas|polykarbonat|pet-plast|abs|pla|"
        "nylon|"
        "polyamid|bioplast|silikon|polypropen|polyeten|komposit|kolfiber|glasfiber|plastic|"
        "plastics|acrylic|perspex|polycarbonate|silicone|polypropylene|polyethylene|"
        "composite|carbon fibre|carbon fiber|fibreglass|fiberglass|resin|epoxy|epoxi",
    ),
    _m(
        "leather",
        "Läder",
        "Leather",
        "nötskinn|kalvskinn|getskinn|vegetabiliskt garvat|vegetable tanned|läder|lädret|skinn|"
        "mocka|nappa|leather|suede|hide|sheepskin|fårskinn",
    ),
    _m(
        "paper",
        "Papper och tryck",
        "Paper and print",
        "papper|pappret|kartong|papp|wellpapp|trycksak|trycksaker|tryckeri|affisch|affischer|"
        "bok|böcker|paper|cardboard|paperboard|card|poster|posters|print shop|printed matter|"
        "stationery|brevpapper",
    ),
    _m(
        "other",
        "Övrigt",
        "Other",
        "återbruk|återbrukat|reuse|reused|upcycling|övrigt|annat|annan|other|misc|miscellaneous|"
        "elektronik|electronics|"
        "teknik|scenteknik|stage technology",
    ),
)

PROCESSES: tuple[Concept, ...] = (
    # Shaping by machine, several materials.
    _p(
        "cnc_milling",
        "CNC-fräsning",
        "CNC milling",
        "metal wood plastic stone",
        "cnc|cnc-fräsning|cnc fräsning|fräsning|fräsa|fräst|frästa|cnc-bearbetning|"
        "cnc bearbetning|cnc milling|milling|milled|cnc machining|cnc routing|router|routing",
    ),
    _p(
        "laser_cutting",
        "Laserskärning",
        "Laser cutting",
        "metal wood plastic textile paper leather",
        "laserskärning|laserskära|laserskuren|laserskuret|laserskurna|laserskuret|laser|"
        "laserskärare|lasergravyr|laser cutting|laser cut|laser-cut|lasercut|lasercutting|"
        "laser cutter",
    ),
    _p(
        "waterjet_cutting",
        "Vattenskärning",
        "Waterjet cutting",
        "metal stone glass plastic",
        "vattenskärning|vattenskuren|vattenskurna|waterjet|water jet|waterjet cutting",
    ),
    _p(
        "engraving",
        "Gravyr",
        "Engraving",
        "metal glass stone wood",
        "gravyr|gravera|graverad|graverade|graverat|gravering|engraving|engraved|engrave|"
        "etsning|etsad|etching|etched",
    ),
    _p(
        "3d_printing",
        "3D-utskrift",
        "3D printing",
        "plastic metal",
        "3d-utskrift|3d utskrift|3d-skrivare|3d skrivare|3d-printning|3d printning|3d-print|"
        "3d print|3d printing|3d printed|3d-printed|additiv tillverkning|additive manufacturing|"
        "friformsframställning|3d-printad|3d-printade|3d-printat|3d printad|3d printade|"
        "3d printat|3d-utskriven|3d-utskrivna",
    ),
    # Metal.
    _p(
        "welding",
        "Svetsning",
        "Welding",
        "metal",
        "svetsning|svetsa|svetsad|svetsade|svetsat|svets|svetsare|svetsarbeten|tig-svetsning|"
        "mig-svetsning|"
        "welding|welded|weld|welder|welds|fabrication|metal fabrication",
    ),
    _p(
        "sheet_bending",
        "Plåtbearbetning och bockning",
        "Sheet metal bending",
        "metal",
        "plåtbearbetning|bockning|bocka|bockad|bockade|kantpressning|kantpress|plåtslageri|"
        "plåtslagare|plåtdetaljer|plåtarbeten|sheet bending|sheet metal bending|press brake|"
        "bending|bent|sheet metal work|sheet metal fabrication|stansning|punching",
    ),
    _p(
        "powder_coating",
        "Pulverlackering",
        "Powder coating",
        "metal",
        "pulverlackering|pulverlackera|pulverlackerad|pulverlackerade|pulverlack|"
        "powder coating|powder coated|powder-coated|powdercoating",
    ),
    _p(
        "metal_casting",
        "Gjutning i metall",
        "Metal casting",
        "metal",
        "gjutning|gjuta|gjuten|gjutna|gjutet|gjuteri|metallgjutning|bronsgjutning|sandgjutning|"
        "pressgjutning|casting|cast|foundry|bronze casting|sand casting|die casting|"
        "investment casting",
    ),
    _p(
        "forging",
        "Smide",
        "Forging",
        "metal",
        "smide|smida|smidd|smidda|smitt|smedja|smed|konstsmide|hovslageri|forging|forged|"
        "forge|blacksmith|blacksmithing|wrought iron",
    ),
    _p(
        "turning",
        "Svarvning",
        "Turning",
        "metal plastic",
        "svarvning|svarva|svarvad|svarvade|svarvat|svarv|svarveri|metallsvarvning|turning|"
        "turned|lathe|cnc turning",
    ),
    _p(
        "metal_spinning",
        "Metalltryckning",
        "Metal spinning",
        "metal",
        "metalltryckning|tryckning av plåt|metal spinning|spun metal",
    ),
    _p(
        "plating",
        "Ytbehandling av metall",
        "Metal finishing",
        "metal",
        "förzinkning|varmförzinkning|galvanisering|förnickling|förkromning|anodisering|"
        "eloxering|patinering|polering|blästring|plating|galvanizing|galvanising|anodizing|"
        "anodising|patina|polishing|sandblasting|blasting",
    ),
    _p(
        "jewellery",
        "Silversmide och smycken",
        "Silversmithing and jewellery",
        "metal",
        "silversmide|silversmed|guldsmed|smycken|smycke|jewellery|jewelry|silversmith|goldsmith",
    ),
    # Wood.
    _p(
        "joinery",
        "Snickeri",
        "Joinery",
        "wood",
        "snickeri|snickerier|snickare|möbelsnickeri|möbelsnickare|finsnickeri|snickra|"
        "snickrad|snickrade|inredningssnickeri|byggsnickeri|joinery|joiner|carpentry|"
        "carpenter|cabinetmaking|cabinet making|cabinetmaker|furniture making|woodwork|"
        "woodworking",
    ),
    _p(
        "wood_turning",
        "Träsvarvning",
        "Wood turning",
        "wood",
        "träsvarvning|träsvarvare|träsvarvad|träsvarvade|wood turning|woodturning|"
        "wood-turned|turned wood",
    ),
    _p(
        "steam_bending",
        "Ångbockning",
        "Steam bending",
        "wood",
        "ångbockning|ångbocka|ångbockad|ångbockade|böjträ|formpressning|formpressat|"
        "formpressad|steam bending|steam bent|steam-bent|bentwood|bent plywood|"
        "moulded plywood|molded plywood",
    ),
    _p(
        "wood_carving",
        "Träsnideri",
        "Wood carving",
        "wood",
        "snideri|träsnideri|snida|snidad|snidade|täljning|tälja|täljd|täljda|karvsnitt|"
        "wood carving|woodcarving|carving|carved|whittling",
    ),
    _p(
        "upholstery",
        "Klädsel och stoppning",
        "Upholstery",
        "textile wood leather",
        "klädsel|klädda|klädd|möbeltapetsering|tapetsering|tapetserare|tapetserad|"
        "tapetserade|stoppning|stoppad|stoppade|omklädsel|upholstery|upholstered|"
        "upholsterer|reupholstery|padding",
    ),
    _p(
        "wood_finishing",
        "Lackering och målning",
        "Lacquering and painting",
        "wood metal",
        "lackering|lackera|lackerad|lackerade|målning|måla|målad|målade|sprutlackering|"
        "betsning|oljning|ytbehandling|lacquering|lacquered|painting|painted|spray painting|"
        "staining|finishing",
    ),
    # Textile.
    _p(
        "weaving",
        "Vävning",
        "Weaving",
        "textile",
        "vävning|väva|vävd|vävda|vävt|väveri|vävare|vävstol|handvävd|handvävda|jacquard|"
        "vävda mattor|trasmattor|trasmatta|"
        "weaving|woven|weave|weaver|loom|handwoven|hand-woven",
    ),
    _p(
        "knitting",
        "Stickning",
        "Knitting",
        "textile",
        "stickning|sticka|stickad|stickade|stickat|stickeri|maskinstickning|trikå|"
        "knitting|knitted|knit|knitwear|machine knitting",
    ),
    _p(
        "sewing",
        "Sömnad",
        "Sewing",
        "textile leather",
        "sömnad|sy|syr|sydd|sydda|sytt|syateljé|sömmerska|konfektion|skrädderi|skräddare|"
        "skräddarsydd|sewing|sewn|sew|stitching|stitched|tailoring|tailor|"
        "cut and sew|garment making|seamstress",
    ),
    _p(
        "embroidery",
        "Broderi",
        "Embroidery",
        "textile",
        "broderi|brodera|broderad|broderade|broderat|maskinbroderi|embroidery|embroidered|"
        "embroider",
    ),
    _p(
        "textile_printing",
        "Textiltryck",
        "Textile printing",
        "textile",
        "textiltryck|tygtryck|tryck på tyg|digitaltryck på textil|sublimering|"
        "textile printing|fabric printing|printed textiles|textile print|sublimation",
    ),
    _p(
        "dyeing",
        "Färgning",
        "Dyeing",
        "textile leather",
        "färgning|färga|färgad|färgade|växtfärgning|växtfärgad|indigo|dyeing|dyed|dye|"
        "natural dyeing|plant dyeing",
    ),
    _p(
        "felting",
        "Tovning",
        "Felting",
        "textile",
        "tovning|tova|tovad|tovade|filt|filtning|nålfiltning|felting|felted|felt|needle felting",
    ),
    _p(
        "tufting",
        "Tuftning",
        "Tufting",
        "textile",
        "tuftning|tufta|tuftad|tuftade|mattor|matta|rya|tufting|tufted|rugs|rug|carpet",
    ),
    _p(
        "crochet",
        "Virkning och knyppling",
        "Crochet and lace",
        "textile",
        "virkning|virka|virkad|virkade|knyppling|spets|makramé|crochet|crocheted|lace|"
        "macrame|macramé|bobbin lace",
    ),
    _p(
        "pattern_making",
        "Mönsterkonstruktion",
        "Pattern making",
        "textile",
        "mönsterkonstruktion|mönsterkonstruktör|gradering|pattern making|patternmaking|"
        "pattern cutting|"
        "grading",
    ),
    # Ceramics.
    _p(
        "throwing",
        "Drejning",
        "Throwing",
        "ceramics",
        "drejning|dreja|drejad|drejade|drejat|drejskiva|throwing|wheel throwing|"
        "wheel-thrown|thrown|potter's wheel|wheel thrown",
    ),
    _p(
        "slip_casting",
        "Gjutning i gips (slipgjutning)",
        "Slip casting",
        "ceramics",
        "slipgjutning|gjutning|gjuta|gjuten|gjutna|casting|gjutlera|gipsform|gipsformar|"
        "slipcasting|slip casting|slip cast|"
        "slip-cast|slipcast",
    ),
    _p(
        "glazing",
        "Glasering",
        "Glazing",
        "ceramics",
        "glasering|glasera|glaserad|glaserade|glaserat|glasyr|glasyrer|glazing|glazed|glaze|glazes",
    ),
    _p(
        "handbuilding",
        "Handbyggd keramik",
        "Hand-building",
        "ceramics",
        "handbyggd|handbyggda|handbyggning|ringling|kavling|tumning|handbuilding|"
        "hand-building|hand building|hand-built|coiling|slab building",
    ),
    _p(
        "kiln_firing",
        "Bränning",
        "Kiln firing",
        "ceramics glass",
        "bränning|brännugn|vedbränning|raku|kiln|firing|kiln firing|wood firing",
    ),
    # Glass.
    _p(
        "glassblowing",
        "Glasblåsning",
        "Glassblowing",
        "glass",
        "glasblåsning|glasblåsa|glasblåst|glasblåsta|glasblåsare|glasbruk|munblåst|munblåsta|"
        "handblåst|handblåsta|blåst glas|blåsta glas|"
        "glassblowing|glass blowing|blown glass|glassblower|hand-blown|handblown|mouth-blown",
    ),
    _p(
        "glass_fusing",
        "Glasfusing",
        "Glass fusing",
        "glass",
        "glasfusing|fusing|fusa|fusad|fusade|smältglas|glass fusing|fused glass|slumping|"
        "kiln-formed glass|kiln formed glass",
    ),
    _p(
        "stained_glass",
        "Blyinfattat glas",
        "Stained glass",
        "glass",
        "blyinfattning|blyinfattat|blyglas|glasmålning|stained glass|leaded glass|glass painting",
    ),
    _p(
        "glass_cutting",
        "Glasslipning",
        "Glass cutting and grinding",
        "glass",
        "glasslipning|slipa glas|slipat glas|glasslipare|glass cutting|glass grinding|cut glass",
    ),
    # Stone and concrete.
    _p(
        "stone_cutting",
        "Stenhuggeri",
        "Stone cutting",
        "stone",
        "stenhuggeri|stenhuggare|stenhuggning|stenbearbetning|stenhuggen|stenhuggna|"
        "stone cutting|stonemasonry|stonemason|stone carving|masonry|stenslipning",
    ),
    _p(
        "concrete_casting",
        "Betonggjutning",
        "Concrete casting",
        "concrete",
        "betonggjutning|gjutning|gjuta|gjuten|gjutna|gjutet|casting|cast|gjuta betong|"
        "gjuten betong|betongelement|betonggjuteri|"
        "concrete casting|cast concrete|precast|precast concrete",
    ),
    # Plastic.
    _p(
        "injection_moulding",
        "Formsprutning",
        "Injection moulding",
        "plastic",
        "formsprutning|formspruta|formsprutad|formsprutade|formsprutat|sprutgjutning|"
        "injection moulding|injection molding|injection moulded|injection molded|"
        "injection-moulded|injection-molded|moulding|molding",
    ),
    _p(
        "vacuum_forming",
        "Vakuumformning",
        "Vacuum forming",
        "plastic",
        "vakuumformning|vakuumformad|vakuumformade|djupdragning|termoformning|"
        "vacuum forming|vacuum formed|vacuum-formed|thermoforming",
    ),
    _p(
        "rotational_moulding",
        "Rotationsgjutning",
        "Rotational moulding",
        "plastic",
        "rotationsgjutning|rotationsgjuten|rotational moulding|rotational molding|"
        "rotomoulding|rotomolding",
    ),
    _p(
        "composite_lamination",
        "Laminering av komposit",
        "Composite lamination",
        "plastic",
        "laminering|laminera|laminerad|handupplägg|lamination|laminating|laminated|layup",
    ),
    # Paper and print.
    _p(
        "screen_printing",
        "Screentryck",
        "Screen printing",
        "paper textile",
        "screentryck|screentryckt|screentryckta|screen|serigrafi|silkscreen|silk screen|"
        "screen printing|screen printed|screen-printed|screenprint|screenprinting",
    ),
    _p(
        "risograph",
        "Risografi",
        "Risograph",
        "paper",
        "risograf|risografi|risograftryck|riso|risotryck|risograph|riso print|riso printing",
    ),
    _p(
        "letterpress",
        "Boktryck",
        "Letterpress",
        "paper",
        "boktryck|högtryck|blytyp|blytyper|letterpress|letter press|relief printing",
    ),
    _p(
        "bookbinding",
        "Bokbinderi",
        "Bookbinding",
        "paper leather",
        "bokbinderi|bokbindare|bokband|inbindning|binda böcker|bookbinding|bookbinder|book binding",
    ),
    _p(
        "digital_printing",
        "Digitaltryck och offset",
        "Digital and offset printing",
        "paper",
        "digitaltryck|offset|offsettryck|tryckeri|trycka|tryck|tryckt|tryckta|storformat|"
        "digital printing|offset printing|printing|printed|print|large format printing",
    ),
    _p(
        "paper_craft",
        "Pappersformgivning och kartong",
        "Paper craft and packaging",
        "paper",
        "förpackning|förpackningar|kartonger|stansad kartong|origami|papperskonst|"
        "packaging|boxes|paper craft|papercraft|die cutting",
    ),
    # Leather.
    _p(
        "leather_work",
        "Läderarbete",
        "Leather work",
        "leather",
        "läderarbete|läderarbeten|sadelmakeri|sadelmakare|remmakare|läderhantverk|"
        "skomakeri|skomakare|leatherwork|leather work|leathercraft|saddlery|saddler|"
        "leather goods|cobbler|shoemaking",
    ),
    # Other.
    _p(
        "rigging",
        "Riggning och scenteknik",
        "Rigging",
        "other metal textile",
        "riggning|rigg|riggare|scenriggning|teaterrigg|teaterriggning|scenografi|scenbygge|"
        "rigging|rigger|theatre rigging|theater rigging|stage rigging|set building|"
        "scenery|stagecraft",
    ),
    _p(
        "model_making",
        "Modellbygge",
        "Model making",
        "other wood plastic",
        "modellbygge|modellbyggare|modellverkstad|arkitektmodell|arkitektmodeller|"
        "model making|modelmaking|model maker|scale model|architectural model|props|"
        "rekvisita",
    ),
    _p(
        "electronics_assembly",
        "Elektronikmontering",
        "Electronics assembly",
        "other",
        "elektronikmontering|lödning|kretskort|elektronikproduktion|electronics assembly|"
        "soldering|pcb|circuit boards",
    ),
    _p(
        "assembly",
        "Montering",
        "Assembly",
        "other metal wood plastic",
        "montering|montera|monterad|legotillverkning|assembly|assembling|contract manufacturing",
    ),
)

VOLUME_LABELS: dict[str, tuple[str, str]] = {
    "prototype": ("Unikat / prototyp", "One-off / prototype"),
    "pilot": ("Pilotserie / småserie", "Pilot / small series"),
    "production": ("Löpande produktion", "Ongoing production"),
}


@cache
def concepts() -> tuple[Concept, ...]:
    """All concepts, materials first; the order defines index columns and is stable."""
    return MATERIALS + PROCESSES


@cache
def concept_by_code() -> dict[str, Concept]:
    return {concept.code: concept for concept in concepts()}
