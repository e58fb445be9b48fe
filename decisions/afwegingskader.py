"""The afwegingskader versions as data, and how a version is loaded into the database.

ONDERWIJS_2019 is the AMOS onderwijs afwegingskader of 004 ("Stap 4: Wegen … en Stap 5:
Beslissen", and bijlage 3), word for word (tests/test_afwegingskader.py compares it with the
seed). A later version is a new dict and a new data migration; a loaded version is never
edited, because weighings refer to it.

`load()` takes a `get_model` (the migration's `apps.get_model`, or Django's for a test), so
that it imports no models itself.
"""

from __future__ import annotations

ONDERWIJS_2019 = {
    "code": "onderwijs-amos",
    "version": 2019,
    "title": "Afwegingskader Meldcode Onderwijs en leerplicht",
    "source": "AMOS Meldcode huiselijk geweld en kindermishandeling (2019), stap 4 en 5; "
              "bijlage 3: Afwegingskader Meldcode Onderwijs en leerplicht / RMC",
    "valid_from": "2019-01-01",
    "questions": [
        {"number": 1, "theme": "Vermoeden", "heading": "1. VERMOEDEN WEGEN",
         "text": "Ik heb de stappen 1 t/m 3 van de meldcode doorlopen en",
         "options": [
             {"code": "A", "leads": "close",
              "text": "op basis van deze doorlopen stappen is er geen actie nodig: dossier "
                      "vastleggen en sluiten."},
             {"code": "B", "leads": "next", "next": 2,
              "text": "ik heb een sterk vermoeden van huiselijk geweld en/of "
                      "kindermishandeling. Het bevoegd gezag van mijn school is op de hoogte "
                      "(wanneer het vermoeden door een schoolmedewerker wordt geconstateerd). "
                      "Ga verder naar afweging 2."},
         ]},
        {"number": 2, "theme": "Veiligheid", "heading": "2. VEILIGHEID",
         "shows_definitions": True,
         "text": "Op basis van de stappen 1 t/m 4 van de meldcode schatten wij als school "
                 "(aandachtsfunctionaris en bevoegd gezag) in dat er sprake is van acute "
                 "en/of structurele onveiligheid.",
         "options": [
             {"code": "A", "leads": "next", "next": 3,
              "text": "NEE → ga verder naar afweging 3"},
             {"code": "B", "leads": "melding", "norm": "A", "next": 3, "includes_doubt": True,
              "text": "JA of twijfel → direct (telefonisch) (anoniem) melding doen bij Veilig "
                      "Thuis. De afwegingen hierna worden met Veilig Thuis doorlopen."},
         ]},
        {"number": 3, "theme": "Hulp", "heading": "3. HULP",
         "text": "Ben ik of iemand anders in mijn school of een ketenpartner in staat om "
                 "effectieve hulp te bieden of te organiseren en kan de dreiging van mogelijk "
                 "huiselijk geweld of kindermishandeling afgewend worden?",
         "options": [
             {"code": "A", "leads": "melding", "norm": "B",
              "text": "NEE → melden bij Veilig Thuis die binnen vijf werkdagen een besluit "
                      "neemt en terugkoppelt naar de melder"},
             {"code": "B", "leads": "next", "next": 4,
              "text": "JA → ga verder naar afweging 4"},
         ]},
        {"number": 4, "theme": "Hulp aanvaard", "heading": "4. HULP",
         "text": "Aanvaarden de betrokkenen de hulp zoals in afweging 3 is georganiseerd en "
                 "zijn zij bereid zich actief in te zetten?",
         "options": [
             {"code": "A", "leads": "melding", "norm": "B",
              "text": "NEE → melden bij Veilig Thuis"},
             {"code": "B", "leads": "help", "next": 5,
              "text": "JA → hulp in gang zetten, termijn afspreken waarop effect meetbaar of "
                      "merkbaar moet zijn.\n\nZo concreet mogelijk maken en documenteren. "
                      "Spreek af wie welke rol heeft en benoem een casemanager. Spreek af "
                      "welke taken alle betrokkenen hebben, zodat de verwachtingen voor "
                      "iedereen helder zijn. Leg vast, voer uit en ga verder naar afweging 5."},
         ]},
        {"number": 5, "theme": "Resultaat", "heading": "5. RESULTAAT",
         "text": "Leidt de hulp binnen de afgesproken termijn tot de afgesproken resultaten "
                 "ten aanzien van de veiligheid, het welzijn en/of het herstel van de direct "
                 "betrokkenen?",
         "options": [
             {"code": "A", "leads": "melding", "norm": "C",
              "text": "NEE → melden bij Veilig Thuis"},
             {"code": "B", "leads": "close_help",
              "text": "JA → hulp afsluiten met vastgestelde afspraken over het monitoren van "
                      "de veiligheid van alle betrokkenen."},
         ]},
    ],
    "definitions": [
        {"kind": "meldnorm", "code": "A", "title": "Meldnorm A",
         "text": "In ALLE gevallen van acute onveiligheid en/of structurele onveiligheid."},
        {"kind": "meldnorm", "code": "B", "title": "Meldnorm B",
         "text": "In alle ANDERE gevallen waarin de aandachtsfunctionaris/leerplichtambtenaar "
                 "meent dat hij, gelet op zijn competenties, zijn verantwoordelijkheden en zijn "
                 "professionele grenzen, in onvoldoende mate effectieve hulp kan bieden of kan "
                 "organiseren bij (risico's op) huiselijk geweld en/of kindermishandeling."},
        {"kind": "meldnorm", "code": "C", "title": "Meldnorm C",
         "text": "Als een aandachtsfunctionaris/leerplichtambtenaar die hulp biedt of "
                 "organiseert om betrokkenen te beschermen tegen het risico op huiselijk "
                 "geweld en/of kindermishandeling constateert dat de onveiligheid niet stopt "
                 "of zich herhaalt."},
        {"kind": "begrip", "code": "acuut", "title": "Acute onveiligheid",
         "text": "Een persoon is in direct fysiek gevaar, diens veiligheid is de komende dagen "
                 "niet gegarandeerd en hij of zij heeft direct bescherming nodig.",
         "explanation": "Bij het afwegen van signalen van huiselijk geweld en/of "
                        "kindermishandeling schat een beroepskracht allereerst en voortdurend "
                        "in of een betrokkene acuut (levens)gevaar loopt. Dit betreft de "
                        "aanwezigheid van fysiek of seksueel geweld (met of zonder letsel) of, "
                        "in geval van zorgafhankelijke kinderen of (oudere) volwassenen, de "
                        "afwezigheid van de meest basale verzorging (waaronder eten, drinken, "
                        "kleding en onderdak) maar bijvoorbeeld ook om het onnodig toedienen "
                        "van medicijnen of het verrichten van onnodige zorg.",
         "examples": [
             "Door geweld toegebrachte verwonding die medische behandeling behoeft.",
             "(Ernstig) letsel met een vermoeden dat dit is toegebracht, of een poging "
             "daartoe.",
             "Poging tot verwurging.",
             "Wapengebruik.",
             "Geweld tijdens de zwangerschap.",
             "(Vermoeden van) seksueel misbruik of seksueel geweld of seksuele exploitatie van "
             "kinderen jonger dan 18 jaar.",
             "Acute bedreiging om zichzelf of een naaste (waaronder (ex)-partner, kinderen of "
             "familielid) te doden, ernstig letsel toe te brengen of hun vrijheid te benemen "
             "(familiedrama, eerwraak, vrouwelijke genitale verminking).",
             "Onthouden van zorg die acuut de gezondheid bedreigt van -9 maanden tot + 100 "
             "jaar, waaronder het onthouden van voedsel.",
             "Als een ouder/verzorger (medische) klachten/aandoeningen bij een kind "
             "verzint/aandikt, (medische) onderzoeksgegevens betreffende bij het kind "
             "bestaande klachten en afwijkingen vervalst of in het kader van een onderzoek "
             "selectief verstrek of (medische) klachten en afwijkingen bij het kind "
             "daadwerkelijk veroorzaakt.",
             "Vrijheidbeperkende maatregel voor pleger loopt af zonder dat er afdoende "
             "veiligheidsmaatregelen genomen zijn.",
             "Acuut onveilige situatie bestaat of zorg dreigt weg te vallen vanwege "
             "suïcidepoging, automutilatie, acuut psychiatrisch beeld, intoxicatie door "
             "alcohol of drugs.",
             "Noodgedwongen vlucht van huis door (dreiging van) huiselijk geweld en/of "
             "kindermishandeling.",
             "een minderjarig kind dat alleen gelaten wordt in huis zonder toezicht en "
             "verzorging van een volwassene",
             "Minderjarigen die opgesloten worden in huis en onthouden worden van eten en "
             "drinken",
             "Minderjarigen die met een alleenstaande ouder leven, waarbij deze ouder een "
             "acute psychose krijgt etc.",
         ]},
        {"kind": "begrip", "code": "structureel", "title": "Structurele onveiligheid",
         "text": "Er is sprake van herhaling of voortduren van onveilige situaties of van "
                 "geweld.",
         "explanation": "Een voorgeschiedenis van huiselijk geweld of kindermishandeling is de "
                        "belangrijkste voorspeller voor voortduren van onveiligheid "
                        "(plegerschap en slachtofferschap) in de toekomst.",
         "examples": [
             "Minderjarigen die opgroeien bij ouders met zodanig ernstige (psychosociale, "
             "relationele) problematiek ten gevolge van verstandelijke beperking, "
             "middelenverslaving, psychische problematiek dat de fysieke en emotionele "
             "veiligheid van het kind bij herhaling en/ of voortdurend wordt bedreigd en de "
             "ontwikkelmogelijkheden van deze minderjarigen structureel ingeperkt worden.",
             "Vergelijkbare situaties met kwetsbare ouderen en een mantelzorger.",
             "Ernstige verwaarlozing die voor jonge opgroeiende kinderen blijvende schade kan "
             "veroorzaken.",
             "Escalerende vormen van stalking in partnerrelaties.",
             "Minderjarige die geregeld getuige is van huiselijk geweld tussen ouders.",
             "Minderjarigen die een hoog schoolverzuim hebben.",
             "Minderjarigen die geregeld fysiek mishandeld worden.",
             "etc.",
         ]},
        {"kind": "begrip", "code": "disclosure", "title": "Disclosure",
         "text": "Slachtoffers die uit zichzelf een beroepskracht om hulp vragen of zich uiten "
                 "bij (mogelijk) huiselijk geweld en/of kindermishandeling.",
         "explanation": "Als een slachtoffer, kind of volwassene, uit zichzelf een "
                        "beroepskracht om hulp vraagt bij huiselijk geweld en/of "
                        "kindermishandeling of zich hierover uit zonder hulp te vragen, "
                        "betekent dit veelal dat het (minderjarige) slachtoffer een acute "
                        "crisis ervaart en vreest voor de veiligheid en/of het welzijn van "
                        "zichzelf of gezinsleden. Het met onvoldoende voorbereiding met de "
                        "ouders/verzorgers bespreken van de (door het slachtoffer) geuite "
                        "zorgen kan leiden tot (verergering van) situaties van acute of "
                        "structurele onveiligheid. Dit geldt uitdrukkelijk ook voor specifieke "
                        "vormen van huiselijk geweld zoals (ex)partnerstalking, "
                        "huwelijksdwang, mensenhandel, eerge relateerd geweld en "
                        "oudermishandeling.\n\nEen professionelen norm tot melden betekent in "
                        "dit geval zorgvuldige afstemming over de vervolgacties tussen de "
                        "beroepskracht, Veilig Thuis en het slachtoffer. Bij de keuze voor "
                        "wel/niet melden staat de veiligheid van het slachtoffer altijd "
                        "voorop."},
    ],
}


def load(data: dict, get_model):
    """Create one framework version with its questions, answers and definitions.

    Idempotent: a version that is there already is left alone (tests that flush the
    database load it again this way)."""
    Framework = get_model("decisions", "Framework")
    Question = get_model("decisions", "Question")
    Option = get_model("decisions", "Option")
    Definition = get_model("decisions", "Definition")
    existing = Framework.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        return existing
    framework = Framework.objects.create(
        code=data["code"], version=data["version"], title=data["title"],
        source=data["source"], valid_from=data["valid_from"])
    for q in data["questions"]:
        question = Question.objects.create(
            framework=framework, number=q["number"], theme=q["theme"], heading=q["heading"],
            text=q["text"], shows_definitions=q.get("shows_definitions", False))
        for o in q["options"]:
            Option.objects.create(question=question, code=o["code"], text=o["text"],
                                  leads=o["leads"], norm=o.get("norm", ""),
                                  next_number=o.get("next"),
                                  includes_doubt=o.get("includes_doubt", False))
    for position, d in enumerate(data["definitions"]):
        Definition.objects.create(
            framework=framework, kind=d["kind"], code=d["code"], title=d["title"],
            text=d["text"], explanation=d.get("explanation", ""),
            examples="\n".join(d.get("examples", ())), position=position)
    return framework
