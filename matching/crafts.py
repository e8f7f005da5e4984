"""The taxonomy's craft processes: textile, ceramics, glass, paper and print, leather.

The other processes are in :mod:`matching.processes`, which joins both into ``PROCESSES``.
"""

from __future__ import annotations

from matching.concept import Concept, process

CRAFTS: tuple[Concept, ...] = (
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
        "Virkning",
        "Crochet",
        "textile",
        "virkning|virka|virkad|virkade|makramé|crochet|crocheted|macrame|macramé",
        neighbours="lace_making knitting",
    ),
    process(
        "lace_making",
        "Knyppling",
        "Lace making",
        "textile",
        "knyppling|knyppla|knypplad|knypplade|knypplat|knypplerska|bobbin lace|lace making|"
        "lacemaking",
        neighbours="crochet embroidery",
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
        "leatherwork|leather work|leathercraft|saddlery|saddler|leather goods|stansning|"
        "stansa|stansad|stansade|lädersömnad",
        neighbours="shoemaking tanning",
    ),
    # Spinning yarn, weaving baskets, enamelling: trades of their own.
    process(
        "spinning",
        "Spinning",
        "Spinning",
        "textile",
        "spinning|spinneri|spinna|spinner|spunnen|spunnet|spunna|lönspinning|garnspinning|"
        "handspinning|yarn spinning|spinnery|spun",
        neighbours="dyeing",
    ),
    process(
        "basketry",
        "Korgmakeri och flätning",
        "Basketry and plaiting",
        "wicker textile leather",
        "korgmakeri|korgmakare|korgflätning|korgflätare|flätning|fläta|flätad|flätade|flätat|"
        "basketry|basket weaving|basket making|wickerwork|plaiting|braiding|braided",
    ),
    process(
        "enamelling",
        "Emaljering",
        "Enamelling",
        "metal glass",
        "emaljering|emaljera|emaljerad|emaljerade|emaljerat|emalj|emaljarbeten|cloisonné|"
        "enamel|enamelling|enameling|enamelled|enameled",
    ),
    # Tanning and shoemaking are trades of their own: a saddler is no tannery.
    process(
        "tanning",
        "Garvning",
        "Tanning",
        "leather",
        "garvning|garva|garvad|garvade|garvat|garveri|garvare|barkgarvning|vegetabilisk "
        "garvning|skinnberedning|tanning|tannery|tanner|tanned|tan hides",
        neighbours="leather_work",
    ),
    process(
        "shoemaking",
        "Skomakeri",
        "Shoemaking",
        "leather",
        "skomakeri|skomakare|skotillverkning|skomakarverkstad|cobbler|shoemaking|shoemaker|"
        "shoe maker|bespoke shoes",
        neighbours="leather_work",
    ),
)
