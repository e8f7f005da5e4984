"""The taxonomy's processes: what makers do, each with the materials it works on.

A process with a single material implies that material when a designer names only the
process ("glasblåsning" → glass). A word shared by processes of different materials
("stansning": sheet metal, leather or board; "djupdragning": metal or plastic) is read by the
materials named around it, in a request and in a maker's listing alike.

Machining, metal, wood, stone, concrete and plastic are here; textile, ceramics, glass, print
and leather in :mod:`matching.crafts`.
"""

from __future__ import annotations

from matching.concept import Concept, process
from matching.crafts import CRAFTS

_WORKSHOP: tuple[Concept, ...] = (
    # Shaping by machine, several materials.
    process(
        "cnc_milling",
        "CNC-fräsning",
        "CNC milling",
        "metal wood plastic stone",
        "cnc|cnc-fräsning|cnc fräsning|fräsning|fräsa|fräst|frästa|cnc-bearbetning|"
        "cnc bearbetning|cnc milling|milling|milled|cnc machining|cnc routing|router|routing",
    ),
    process(
        "laser_cutting",
        "Laserskärning",
        "Laser cutting",
        "metal wood plastic textile paper leather",
        "laserskärning|laserskära|laserskuren|laserskuret|laserskurna|laserskuret|laser|"
        "laserskärare|lasergravyr|laser cutting|laser cut|laser-cut|lasercut|lasercutting|"
        "laser cutter",
    ),
    process(
        "waterjet_cutting",
        "Vattenskärning",
        "Waterjet cutting",
        "metal stone glass plastic",
        "vattenskärning|vattenskuren|vattenskurna|waterjet|water jet|waterjet cutting",
    ),
    process(
        "engraving",
        "Gravyr",
        "Engraving",
        "metal glass stone wood",
        "gravyr|gravera|graverad|graverade|graverat|gravering|engraving|engraved|engrave|"
        "etsning|etsad|etching|etched",
    ),
    process(
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
    process(
        "welding",
        "Svetsning",
        "Welding",
        "metal",
        "svetsning|svetsa|svetsad|svetsade|svetsat|svets|svetsare|svetsarbeten|tig-svetsning|"
        "mig-svetsning|"
        "welding|welded|weld|welder|welds|fabrication|metal fabrication",
    ),
    process(
        "sheet_bending",
        "Plåtbearbetning och bockning",
        "Sheet metal bending",
        "metal",
        "plåtbearbetning|bockning|bocka|bockad|bockade|kantpressning|kantpress|plåtslageri|"
        "plåtslagare|plåtdetaljer|plåtarbeten|sheet bending|sheet metal bending|press brake|"
        "bending|bent|sheet metal work|sheet metal fabrication|stansning|stansa|stansad|stansade|"
        "punching|pressning|pressa|pressad|pressade|pressat|plåtpressning|excenterpress|"
        "djupdragning|djupdragen|djupdragna|deep drawing|stamping|metal pressing|falsning|falsa|"
        "böjning|böja|böjd|böjda",
    ),
    process(
        "wire_bending",
        "Trådbockning",
        "Wire bending",
        "metal",
        "trådbockning|trådbockad|trådbockade|trådböjning|trådarbeten|wire bending|"
        "wire forming|böjning|böja|böjd|böjda",
    ),
    process(
        "powder_coating",
        "Pulverlackering",
        "Powder coating",
        "metal",
        "pulverlackering|pulverlackera|pulverlackerad|pulverlackerade|pulverlack|"
        "powder coating|powder coated|powder-coated|powdercoating",
    ),
    process(
        "metal_casting",
        "Gjutning i metall",
        "Metal casting",
        "metal",
        "gjutning|gjuta|gjuten|gjutna|gjutet|gjuteri|metallgjutning|bronsgjutning|sandgjutning|"
        "pressgjutning|casting|cast|foundry|bronze casting|sand casting|die casting|"
        "investment casting|konstgjutning|konstgjuteri|förlorat vax|lost wax|cire perdue|"
        "kokillgjutning|skalformsgjutning|tenngjutning|gjuteriet",
    ),
    process(
        "forging",
        "Smide",
        "Forging",
        "metal",
        "smide|smida|smidd|smidda|smitt|smedja|smed|konstsmide|hovslageri|forging|forged|"
        "forge|blacksmith|blacksmithing|wrought iron",
    ),
    process(
        "turning",
        "Svarvning",
        "Turning",
        "metal plastic",
        "svarvning|svarva|svarvad|svarvade|svarvat|svarv|svarveri|metallsvarvning|turning|"
        "turned|lathe|cnc turning",
    ),
    process(
        "metal_spinning",
        "Metalltryckning",
        "Metal spinning",
        "metal",
        "metalltryckning|metalltryck|metalltryckeri|metalltryckare|tryckning av plåt|"
        "metallspinning|metal spinning|spun metal|tryckbänk|spinning|spun|spunna|spunnen|spunnet|"
        "spinna",
        neighbours="sheet_bending turning",
    ),
    # Metal finishes: each its own trade, a neighbour of the others at most.
    process(
        "plating",
        "Förzinkning och plätering",
        "Galvanizing and plating",
        "metal",
        "förzinkning|förzinka|förzinkad|förzinkade|varmförzinkning|varmförzinkad|"
        "varmförzinkade|elförzinkning|galvanisering|galvaniserad|förnickling|förnicklad|"
        "förkromning|förkromad|förkromade|förgyllning|förgylld|plätering|plating|plated|"
        "galvanizing|galvanising|galvanized|galvanised|electroplating|chrome plating|"
        "nickel plating",
        neighbours="anodizing blasting_polishing patination powder_coating",
    ),
    process(
        "anodizing",
        "Anodisering",
        "Anodizing",
        "metal",
        "anodisering|anodisera|anodiserad|anodiserade|eloxering|eloxera|eloxerad|eloxerade|"
        "eloxal|anodizing|anodising|anodized|anodised|anodize|anodise",
        neighbours="plating blasting_polishing powder_coating",
    ),
    process(
        "blasting_polishing",
        "Blästring och polering",
        "Blasting and polishing",
        "metal stone glass",
        "blästring|blästra|blästrad|blästrade|sandblästring|sandblästrad|sandblästrade|"
        "kulblästring|polering|polera|polerad|polerade|högglanspolering|polishing|polished|"
        "sandblasting|sandblasted|blasting|blasted|bead blasting",
        neighbours="plating anodizing patination powder_coating",
    ),
    process(
        "patination",
        "Patinering",
        "Patination",
        "metal",
        "patinering|patinera|patinerad|patinerade|patina|patination|patinated",
        neighbours="plating blasting_polishing",
    ),
    process(
        "soldering",
        "Lödning",
        "Soldering",
        "metal",
        "lödning|löda|lödd|lödda|lödning|hårdlödning|mjuklödning|soldering|soldered|brazing|brazed",
        neighbours="welding jewellery",
    ),
    process(
        "jewellery",
        "Silversmide och smycken",
        "Silversmithing and jewellery",
        "metal",
        "silversmide|silversmed|guldsmed|~smycken|~smycke|~jewellery|~jewelry|silversmith|"
        "goldsmith|hamring|hamrad|hamrade|ciselering|drivning",
    ),
    # Wood.
    process(
        "joinery",
        "Snickeri",
        "Joinery",
        "wood",
        "snickeri|snickerier|snickare|möbelsnickeri|möbelsnickare|finsnickeri|snickra|"
        "snickrad|snickrade|inredningssnickeri|byggsnickeri|joinery|joiner|carpentry|"
        "carpenter|cabinetmaking|cabinet making|cabinetmaker|furniture making|woodwork|"
        "woodworking",
    ),
    process(
        "wood_turning",
        "Träsvarvning",
        "Wood turning",
        "wood",
        "träsvarvning|träsvarvare|träsvarvad|träsvarvade|wood turning|woodturning|"
        "wood-turned|turned wood|svarvning|svarva|svarvad|svarvade|svarvat|svarv|svarveri|"
        "svarvar|turning|turned|lathe",
    ),
    process(
        "vacuum_casting",
        "Vakuumgjutning",
        "Vacuum casting",
        "plastic",
        "vakuumgjutning|vakuumgjuten|vakuumgjutna|vakuumgjutet|vacuum casting|vacuum cast|"
        "vacuum-cast|pu-gjutning|urethane casting|polyurethane casting",
        neighbours="injection_moulding",
    ),
    process(
        "boatbuilding",
        "Båtbygge",
        "Boatbuilding",
        "wood composite metal",
        "båtbygge|båtbyggeri|båtbyggare|båtbyggarna|båtbyggnad|båtvarv|båtsvarv|träbåtsvarv|"
        "träbåtsbygge|träbåtsbyggare|plastbåtsbygge|boatbuilding|boat building|boatbuilder|"
        "boat builder|boatyard",
    ),
    process(
        "steam_bending",
        "Ångbockning",
        "Steam bending",
        "wood",
        "ångbockning|ångbocka|ångbockad|ångbockade|böjträ|böjning|böjd|böjda|formpressning|"
        "formpressat|formpressad|formpressade|formpressa|steam bending|steam bent|steam-bent|"
        "bentwood|bent plywood|moulded plywood|molded plywood",
    ),
    process(
        "wood_carving",
        "Träsnideri",
        "Wood carving",
        "wood",
        "snideri|träsnideri|snida|snidad|snidade|täljning|tälja|täljd|täljda|karvsnitt|"
        "wood carving|woodcarving|carving|carved|whittling",
    ),
    process(
        "upholstery",
        "Klädsel och stoppning",
        "Upholstery",
        "textile wood leather",
        "klädsel|klädda|klädd|möbeltapetsering|tapetsering|tapetserare|tapetserad|"
        "tapetserade|stoppning|stoppad|stoppade|omklädsel|upholstery|upholstered|"
        "upholsterer|reupholstery|padding|resår|resårer|resårbotten|polstring|polstrad|"
        "polstrade|ompolstring|möbelklädsel|klädda möbler",
    ),
    process(
        "wood_finishing",
        "Lackering och målning",
        "Lacquering and painting",
        "wood metal",
        "lack|lackering|lackera|lackerad|lackerade|målning|måla|målad|målade|sprutlackering|"
        "sprutlackera|sprutlackerad|sprutlackerade|betsa|betsad|betsade|"
        "betsning|oljning|ytbehandling|lacquering|lacquered|painting|painted|spray painting|"
        "staining|finishing",
    ),
    # Stone and concrete.
    process(
        "stone_cutting",
        "Stenhuggeri",
        "Stone cutting",
        "stone",
        "stenhuggeri|stenhuggare|stenhuggning|stenbearbetning|stenhuggen|stenhuggna|"
        "stone cutting|stonemasonry|stonemason|stone carving|masonry|stenslipning",
    ),
    process(
        "concrete_casting",
        "Betonggjutning",
        "Concrete casting",
        "concrete",
        "betonggjutning|gjutning|gjuta|gjuten|gjutna|gjutet|casting|cast|gjuta betong|"
        "gjuten betong|betongelement|betonggjuteri|"
        "concrete casting|cast concrete|precast|precast concrete",
    ),
    # Plastic.
    process(
        "injection_moulding",
        "Formsprutning",
        "Injection moulding",
        "plastic",
        "formsprutning|formspruta|formsprutad|formsprutade|formsprutat|sprutgjutning|"
        "injection moulding|injection molding|injection moulded|injection molded|"
        "injection-moulded|injection-molded|moulding|molding",
    ),
    process(
        "vacuum_forming",
        "Vakuumformning",
        "Vacuum forming",
        "plastic",
        "vakuumformning|vakuumformad|vakuumformade|djupdragning|termoformning|"
        "vacuum forming|vacuum formed|vacuum-formed|thermoforming",
    ),
    process(
        "rotational_moulding",
        "Rotationsgjutning",
        "Rotational moulding",
        "plastic",
        "rotationsgjutning|rotationsgjuten|rotationsgjutna|rotationsgjutet|rotationsgjuter|"
        "rotationsformning|rotational moulding|rotational molding|rotationally moulded|"
        "rotationally molded|rotomoulding|rotomolding|rotomoulded|rotomolded",
    ),
    process(
        "composite_lamination",
        "Laminering av komposit",
        "Composite lamination",
        "composite",
        "laminering|laminera|laminerad|laminerade|handupplägg|lamination|laminating|laminated|"
        "layup|vakuuminjicering|vakuuminfusion|vacuum infusion|prepreg|rtm",
    ),
    process(
        "large_format_printing",
        "Storformatstryck",
        "Large-format printing",
        "paper plastic textile",
        "storformat|storformatstryck|storformatsutskrift|uv-tryck|uv tryck|wide format|"
        "large format|large format printing|large-format printing|~banderoll|~banderoller|"
        "~vepa|~vepor|~banners",
    ),
    process(
        "blow_moulding",
        "Formblåsning av plast",
        "Blow moulding",
        "plastic",
        "formblåsning av plast|blåsformning|blåsformad|blåsformade|blåsformat|blow moulding|"
        "blow molding|blow moulded|blow molded|stretch blow moulding",
    ),
    process(
        "extrusion",
        "Extrudering",
        "Extrusion",
        "plastic metal",
        "extrudering|extrudera|extruderad|extruderade|strängpressning|strängpressad|"
        "strängpressade|extrusion|extruded",
    ),
)

_OTHER: tuple[Concept, ...] = (
    process(
        "rigging",
        "Riggning och scenteknik",
        "Rigging",
        "other metal textile",
        "riggning|rigg|riggare|scenriggning|teaterrigg|teaterriggning|scenografi|scenbygge|"
        "rigging|rigger|theatre rigging|theater rigging|stage rigging|set building|"
        "scenery|stagecraft",
    ),
    process(
        "model_making",
        "Modellbygge",
        "Model making",
        "other wood plastic",
        "modellbygge|modellbyggare|modellverkstad|arkitektmodell|arkitektmodeller|"
        "model making|modelmaking|model maker|scale model|architectural model|~props|"
        "~rekvisita",
    ),
    process(
        "electronics_assembly",
        "Elektronikmontering",
        "Electronics assembly",
        "other",
        "elektronikmontering|kretskort|kretskortsmontering|ytmontering|elektronikproduktion|"
        "electronics assembly|pcb|pcb assembly|circuit boards|smd",
    ),
    process(
        "assembly",
        "Montering",
        "Assembly",
        "other metal wood plastic",
        "montering|montera|monterad|legotillverkning|assembly|assembling|contract manufacturing",
    ),
)

PROCESSES: tuple[Concept, ...] = _WORKSHOP + CRAFTS + _OTHER
