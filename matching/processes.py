"""The taxonomy's processes: what makers do, each with the materials it works on.

A process with a single material implies that material when a designer names only the
process ("glasblåsning" → glass). A word shared by processes of different materials
("stansning": sheet metal, leather or board; "djupdragning": metal or plastic) is read by the
materials named around it, in a request and in a maker's listing alike.
"""

from __future__ import annotations

from matching.concept import Concept, process

PROCESSES: tuple[Concept, ...] = (
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
        "metalltryckning|tryckning av plåt|metal spinning|spun metal|tryckbänk",
    ),
    process(
        "plating",
        "Ytbehandling av metall",
        "Metal finishing",
        "metal",
        "förzinkning|varmförzinkning|galvanisering|förnickling|förkromning|anodisering|"
        "eloxering|patinering|polering|blästring|plating|galvanizing|galvanising|anodizing|"
        "anodising|patina|polishing|sandblasting|blasting",
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
        "wood-turned|turned wood",
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
    # Textile.
    process(
        "weaving",
        "Vävning",
        "Weaving",
        "textile",
        "vävning|väva|vävd|vävda|vävt|väveri|vävare|vävstol|handvävd|handvävda|jacquard|"
        "vävda mattor|trasmattor|trasmatta|"
        "weaving|woven|weave|weaver|loom|handwoven|hand-woven",
    ),
    process(
        "knitting",
        "Stickning",
        "Knitting",
        "textile",
        "stickning|sticka|stickad|stickade|stickat|stickeri|maskinstickning|trikå|"
        "knitting|knitted|knit|knitwear|machine knitting",
    ),
    process(
        "sewing",
        "Sömnad",
        "Sewing",
        "textile leather",
        "sömnad|sy|syr|sydd|sydda|sytt|syateljé|sömmerska|konfektion|skrädderi|skräddare|"
        "handsömnad|tillskärning|jeanssömnad|segelsömnad|"
        "skräddarsydd|sewing|sewn|sew|stitching|stitched|tailoring|tailor|"
        "cut and sew|garment making|seamstress",
    ),
    process(
        "embroidery",
        "Broderi",
        "Embroidery",
        "textile",
        "broderi|brodera|broderad|broderade|broderat|maskinbroderi|embroidery|embroidered|"
        "embroider",
    ),
    process(
        "textile_printing",
        "Textiltryck",
        "Textile printing",
        "textile",
        "textiltryck|tygtryck|tryck på tyg|digitaltryck på textil|sublimering|"
        "textile printing|fabric printing|printed textiles|textile print|sublimation",
    ),
    process(
        "dyeing",
        "Färgning",
        "Dyeing",
        "textile leather",
        "färgning|färga|färgad|färgade|växtfärgning|växtfärgad|indigo|dyeing|dyed|dye|"
        "natural dyeing|plant dyeing",
    ),
    process(
        "felting",
        "Tovning",
        "Felting",
        "textile",
        "tovning|tova|tovad|tovade|filtning|nålfiltning|felting|felted|felt|needle felting",
    ),
    process(
        "tufting",
        "Tuftning",
        "Tufting",
        "textile",
        "tuftning|tufta|tuftad|tuftade|~mattor|~matta|rya|tufting|tufted|~rugs|~rug|~carpet",
    ),
    process(
        "crochet",
        "Virkning och knyppling",
        "Crochet and lace",
        "textile",
        "virkning|virka|virkad|virkade|knyppling|spets|makramé|crochet|crocheted|lace|"
        "macrame|macramé|bobbin lace",
    ),
    process(
        "pattern_making",
        "Mönsterkonstruktion",
        "Pattern making",
        "textile",
        "mönsterkonstruktion|mönsterkonstruktör|gradering|pattern making|patternmaking|"
        "pattern cutting|"
        "grading",
    ),
    # Ceramics.
    process(
        "throwing",
        "Drejning",
        "Throwing",
        "ceramics",
        "drejning|dreja|drejad|drejade|drejat|drejskiva|throwing|wheel throwing|"
        "wheel-thrown|thrown|potter's wheel|wheel thrown",
    ),
    process(
        "slip_casting",
        "Gjutning i gips (slipgjutning)",
        "Slip casting",
        "ceramics",
        "slipgjutning|gjutning|gjuta|gjuten|gjutna|casting|gjutlera|gipsform|gipsformar|"
        "slipcasting|slip casting|slip cast|"
        "slip-cast|slipcast",
    ),
    process(
        "glazing",
        "Glasering",
        "Glazing",
        "ceramics",
        "glasering|glasera|glaserad|glaserade|glaserat|glasyr|glasyrer|glazing|glazed|glaze|glazes",
    ),
    process(
        "handbuilding",
        "Handbyggd keramik",
        "Hand-building",
        "ceramics",
        "handbyggd|handbyggda|handbyggning|ringling|kavling|tumning|handbuilding|"
        "hand-building|hand building|hand-built|coiling|slab building",
    ),
    process(
        "kiln_firing",
        "Bränning",
        "Kiln firing",
        "ceramics glass",
        "bränning|brännugn|vedbränning|raku|kiln|firing|kiln firing|wood firing",
    ),
    process(
        "ceramic_decoration",
        "Dekor och porslinsmålning",
        "Ceramic decoration",
        "ceramics",
        "dekor|dekorer|dekorera|dekorerad|dekorerade|porslinsmålning|porslinsmåleri|"
        "porslinsmålare|överglasyr|underglasyr|handmålad|handmålade|china painting|"
        "ceramic decoration|decorated",
    ),
    # Glass.
    process(
        "glassblowing",
        "Glasblåsning",
        "Glassblowing",
        "glass",
        "glasblåsning|glasblåsa|glasblåst|glasblåsta|glasblåsare|glasbruk|munblåst|munblåsta|"
        "handblåst|handblåsta|blåst glas|blåsta glas|"
        "glassblowing|glass blowing|blown glass|glassblower|hand-blown|handblown|mouth-blown",
    ),
    process(
        "glass_fusing",
        "Glasfusing",
        "Glass fusing",
        "glass",
        "glasfusing|fusing|fusa|fusad|fusade|smältglas|glass fusing|fused glass|slumping|"
        "kiln-formed glass|kiln formed glass",
    ),
    process(
        "stained_glass",
        "Blyinfattat glas",
        "Stained glass",
        "glass",
        "blyinfattning|blyinfattat|blyglas|glasmålning|stained glass|leaded glass|glass painting",
    ),
    process(
        "glass_cutting",
        "Glasslipning",
        "Glass cutting and grinding",
        "glass",
        "glasslipning|slipa glas|slipat glas|glasslipare|glass cutting|glass grinding|cut glass",
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
        "rotationsgjutning|rotationsgjuten|rotational moulding|rotational molding|"
        "rotomoulding|rotomolding",
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
    # Paper and print.
    process(
        "screen_printing",
        "Screentryck",
        "Screen printing",
        "paper textile",
        "screentryck|screentryckt|screentryckta|screen|serigrafi|silkscreen|silk screen|"
        "screen printing|screen printed|screen-printed|screenprint|screenprinting",
    ),
    process(
        "risograph",
        "Risografi",
        "Risograph",
        "paper",
        "risograf|risografi|risograftryck|riso|risotryck|risograph|riso print|riso printing",
    ),
    process(
        "letterpress",
        "Boktryck",
        "Letterpress",
        "paper",
        "boktryck|högtryck|blytyp|blytyper|letterpress|letter press|relief printing",
    ),
    process(
        "bookbinding",
        "Bokbinderi",
        "Bookbinding",
        "paper leather",
        "bokbinderi|bokbindare|bokband|inbindning|binda böcker|bookbinding|bookbinder|book binding",
    ),
    process(
        "digital_printing",
        "Digitaltryck och offset",
        "Digital and offset printing",
        "paper",
        "digitaltryck|offset|offsettryck|tryckeri|~trycka|~tryck|~tryckt|~tryckta|"
        "digital printing|offset printing|~printing|~printed|~print|"
        "tampongtryck|pad printing|transfertryck|tryckpress|offsettryckeri",
    ),
    process(
        "paper_craft",
        "Pappersformgivning och kartong",
        "Paper craft and packaging",
        "paper",
        "~förpackning|~förpackningar|~kartonger|stansad kartong|origami|papperskonst|"
        "~packaging|~boxes|paper craft|papercraft|die cutting|stansning|stansa|stansad|"
        "stansade|bigning|bigga|bigad",
    ),
    # Leather.
    process(
        "leather_work",
        "Läderarbete",
        "Leather work",
        "leather",
        "läderarbete|läderarbeten|sadelmakeri|sadelmakare|remmakare|läderhantverk|"
        "skomakeri|skomakare|leatherwork|leather work|leathercraft|saddlery|saddler|"
        "leather goods|cobbler|shoemaking|stansning|stansa|stansad|stansade|garvning|garveri|"
        "garvare|tanning|tannery|lädersömnad",
    ),
    # Other.
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
        "elektronikmontering|lödning|kretskort|elektronikproduktion|electronics assembly|"
        "soldering|pcb|circuit boards",
    ),
    process(
        "assembly",
        "Montering",
        "Assembly",
        "other metal wood plastic",
        "montering|montera|monterad|legotillverkning|assembly|assembling|contract manufacturing",
    ),
)
