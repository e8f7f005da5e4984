"""The taxonomy's materials: generic words, specific variants and product nouns.

Words are written as people write them (coordinators copy what makers wrote: "kohud",
"nubuck", "PET", "återvunnen polyester"); :mod:`matching.interpret` folds them when it loads.
Plastics are also known by their codes (PET, PP, PE, PA, ABS, PLA, PMMA …); the two-letter
codes that fold into Swedish words ("PA" → "på") are read from their capitals, see
:func:`matching.interpret.expand_codes`.
"""

from __future__ import annotations

from matching.concept import Concept, material

MATERIALS: tuple[Concept, ...] = (
    material(
        "wood",
        "Trä",
        "Wood",
        "trä|träet|trävaror|virke|massivträ|massivt trä|timmer|träskiva|träslag|wood|wooden|"
        "timber|lumber|hardwood|softwood|lövträ|barrträ",
        {
            "oak": "ek|eken|ekträ|ekfaner|oak",
            "birch": "björk|björkträ|masurbjörk|björkfaner|björkplywood|birch",
            "pine": "furu|tallträ|pine",
            "spruce": "gran|granträ|spruce",
            "ash": "ask|askträ|ash",
            "beech": "bok|bokträ|bokfaner|beech",
            "walnut": "valnöt|walnut",
            "cherry": "körsbär|körsbärsträ|cherry",
            "maple": "lönn|maple",
            "alder": "al|alder",
            "elm": "alm|elm",
            "larch": "lärk|lärkträ|larch",
            "teak": "teak",
            "mahogany": "mahogny|mahogany",
            "bamboo": "bambu|bamboo",
            "linden": "lind|linden",
            "rowan": "rönn",
            "fruit": "äppelträ|päronträ",
            "plywood": "plywood|kryssfaner|björkplywood|formpressad plywood",
            "board": "mdf|spånskiva|hdf|osb",
            "veneer": "faner|ekfaner|björkfaner|bokfaner|veneer",
        },
    ),
    material(
        "metal",
        "Metall",
        "Metal",
        "metall|metaller|metallen|plåt|plåten|metal|metals|metallic|sheet metal|gjutgods|"
        "vajer|vajrar|wire|galvaniserat|galvaniserad|förzinkat",
        {
            "ferrous": "stål|stålet|steel|rostfritt|rostfri|rostfria|rostfritt stål|syrafast|"
            "stainless|stainless steel|corten|cortenstål|smidesstål|stålplåt|rostfri plåt|"
            "ståltråd|stålvajer|järn|järnet|gjutjärn|smidesjärn|iron|cast iron|wrought iron",
            "aluminium": "aluminium|alu|aluminum|aluzink",
            "brass": "mässing|brass",
            "bronze": "brons|bronze",
            "copper": "koppar|copper",
            "zinc": "zink|zinc",
            "tin": "tenn|tin|pewter",
            "silver": "silver|sterlingsilver",
            "gold": "guld|gold|bladguld",
            "titanium": "titan|titanium",
            "magnesium": "magnesium",
        },
    ),
    material(
        "textile",
        "Textil",
        "Textile",
        "textil|textilier|textilen|tyg|tyger|tyget|metervara|möbeltyg|möbeltyger|garn|tråd|"
        "filt|filtar|filtduk|tekstil|textile|textiles|fabric|fabrics|cloth|yarn|thread|"
        "nonwoven|non-woven|fiberduk|nålfilt|"
        "tekniska textilier|technical textiles|softshell|cordura|segelduk|pvc-väv|"
        "inredningstextil|inredningstextilier|upholstery fabric|upholstery fabrics",
        {
            "wool": "ull|ylle|ylletyg|fårull|lammull|merino|merinoull|ullgarn|wool|woollen|"
            "woolen|lambswool",
            "linen": "lin|linne|lintyg|linnetyg|linen",
            "cotton": "bomull|bomullstyg|ekologisk bomull|cotton|organic cotton",
            "silk": "siden|silke|silk",
            "hemp": "hampa|hemp",
            "jute": "jute",
            "alpaca": "alpacka|alpaca",
            "mohair": "mohair",
            "cashmere": "kashmir|cashmere",
            "polyester": "polyester",
            "polyamide": "polyamid|nylon",
            "denim": "denim|jeanstyg",
            "canvas": "canvas|segelduk|kanvas",
            "jersey": "jersey|trikå|bomullstrikå|trikåtyg",
            "fleece": "fleece",
            "velvet": "sammet|manchester|velour|velvet|corduroy",
            "weaves": "twill|poplin|satin|chiffong|organza|tyll|frotté|tweed|bouclé|boucle|"
            "vadmal|oxford",
            "elastane": "elastan|spandex|lycra",
            "viscose": "viskos|lyocell|tencel|modal",
        },
    ),
    material(
        "ceramics",
        "Keramik",
        "Ceramics",
        "keramik|keramiken|keramisk|keramiska|lera|leran|ceramic|ceramics|clay|pottery|"
        "~kakeltillverkning|~kakelmakeri|~kakelmakare|"
        "~kakel|~klinker|~tile|~tiles",
        {
            "porcelain": "porslin|benporslin|bone china|porcelain",
            "stoneware": "stengods|stoneware",
            "earthenware": "lergods|earthenware|terrakotta|terracotta|fajans|faience|flintgods",
            "brick": "tegel|tegellera|tegelsten",
        },
    ),
    material(
        "glass",
        "Glas",
        "Glass",
        "glas|glaset|glasen|glass|glassware|färgat glas|neon|neonrör|neonskylt|neonskyltar",
        {
            "flat": "planglas|floatglas|float glass|glasskivor|härdat glas|spegelglas|antikglas|"
            "laminerat glas|toughened glass|tempered glass",
            "crystal": "kristall|crystal",
        },
    ),
    material(
        "stone",
        "Sten",
        "Stone",
        "sten|stenen|natursten|stone|natural stone",
        {
            "granite": "granit|bohusgranit|granite",
            "marble": "marmor|marble",
            "limestone": "kalksten|ölandssten|gotlandssten|kalkstensplattor|limestone",
            "slate": "skiffer|slate",
            "soapstone": "täljsten|soapstone",
            "sandstone": "sandsten|sandstone",
            "diabase": "diabas|diabase",
            "quartzite": "kvartsit|quartzite",
            "porphyry": "porfyr|älvdalsporfyr|porphyry",
        },
    ),
    material(
        "concrete",
        "Betong",
        "Concrete",
        "betong|betongen|cement|concrete|cast stone",
        {
            "terrazzo": "terrazzo",
            "jesmonite": "jesmonite|jesmonit",
        },
    ),
    material(
        "plastic",
        "Plast",
        "Plastic",
        "plast|plasten|plaster|plastic|plastics|bioplast|bioplastic|termoplast|resin|epoxi|"
        "epoxy|återvunnen plast",
        {
            "pet": "pet|pet-plast|rpet|polyetentereftalat",
            "petg": "petg",
            "pp": "pp|polypropen|polypropylen|polypropylene",
            "pe": "pe|polyeten|polyetylen|polyethylene|hdpe|ldpe",
            "pa": "polyamid|nylon|pa6|pa12",
            "abs": "abs",
            "pla": "pla",
            "acrylic": "akryl|akrylglas|plexiglas|plexi|perspex|acrylic|pmma",
            "pc": "polykarbonat|polycarbonate",
            "pvc": "pvc|vinyl",
            "pom": "pom|acetal",
            "ps": "polystyren|polystyrene",
            "silicone": "silikon|silicone",
            "rubber": "gummi|rubber|tpe|tpu",
            "acetate": "acetat|cellulosaacetat|acetate",
            "pu": "polyuretan|pu|polyurethane|urethane",
        },
        neighbours="composite",
    ),
    material(
        "composite",
        "Komposit",
        "Composite",
        "komposit|kompositer|kompositmaterial|biokomposit|composite|composites|gelcoat|grp|frp|"
        "polyester|polyesterplast|polyesterharts",
        {
            "glass_fibre": "glasfiber|glasfiberarmerad|glasfiberarmerad plast|glass fibre|"
            "glass fiber|fibreglass|fiberglass|gfrp",
            "carbon_fibre": "kolfiber|carbon fibre|carbon fiber|cfrp",
            "aramid": "aramid|kevlar",
        },
        neighbours="plastic",
    ),
    material(
        "foam",
        "Skum och stoppning",
        "Foam and fillings",
        "skum|skumplast|skumgummi|cellplast|foam|polyeter|latex|memory foam|skumskärning|"
        "stoppning av skum|dun|vadd|tagel|kapok|fiberfyllning|down",
    ),
    material(
        "leather",
        "Läder",
        "Leather",
        "läder|lädret|skinn|skinnet|hud|hudar|leather|hide|hides|skins|garvat läder|"
        "vegetabiliskt garvat|vegetabiliskt garvat läder|vegetable tanned|kromgarvat",
        {
            "cowhide": "kohud|nötskinn|nötläder|oxhud|koskinn|cowhide",
            "calf": "kalvskinn|kalvläder|calfskin",
            "goat": "getskinn|getläder|goatskin",
            "sheep": "fårskinn|lammskinn|sheepskin|lambskin",
            "reindeer": "renskinn|renläder|reindeer",
            "elk": "älgskinn|älgläder",
            "fish": "fiskskinn|laxskinn|fiskläder|fish leather",
            "nubuck": "nubuck",
            "suede": "mocka|sämsk|sämskskinn|suede",
            "patent": "lackläder|lackskinn|patent leather",
            "nappa": "nappa|nappaläder",
        },
        common="cowhide",
    ),
    material(
        "paper",
        "Papper och tryck",
        "Paper and print",
        "tryckeri|~trycksak|~trycksaker|~affisch|~affischer|~bok|~böcker|~poster|~posters|"
        "print shop|~printed matter|~stationery|~brevpapper|~card",
        {
            "paper": "papper|pappret|bomullspapper|kraftpapper|akvarellpapper|paper",
            "board": "kartong|papp|wellpapp|gråpapp|finnpapp|cardboard|paperboard|corrugated board",
        },
    ),
    material(
        "wax",
        "Vax och stearin",
        "Wax",
        "vax|stearin|paraffin|bivax|sojavax|rapsvax|wax|beeswax|soy wax",
    ),
    material(
        "recycled",
        "Återvunnet och återbruk",
        "Recycled and reused",
        "återvunnen|återvunnet|återvunna|återvunnen plast|återbruk|återbrukat|återbrukade|"
        "återbrukad|recycled|reused|reclaimed|upcycling|upcycled|rpet",
    ),
    material(
        "other",
        "Övrigt",
        "Other",
        "övrigt|annat|annan|other|misc|miscellaneous|elektronik|electronics|"
        "scenteknik|stage technology",
    ),
    material(
        "horn",
        "Horn och ben",
        "Horn and bone",
        "horn|renhorn|älghorn|hjorthorn|hornslöjd|antler|antlers|reindeer antler|ben och horn|"
        "bone|benslöjd",
    ),
    material(
        "wicker",
        "Flätmaterial",
        "Wicker",
        "rotting|rattan|korgpil|pilkvistar|vide|säv|näver|wicker|willow|cane|bast",
        neighbours="wood",
    ),
)
