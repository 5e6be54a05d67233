"""What coded sources report: topics and sentences per country, and the labelled block."""

from __future__ import annotations

import random
import textwrap

from dossier.demo.people import Person, Source

LABELS = (
    "SOURCE",
    "ATTRIBUTION",
    "SOURCE DESCRIPTION",
    "PUBLICATION",
    "SOURCE RELIABILITY",
    "ITEM CREDIBILITY",
    "SPECIAL HANDLING",
    "DISTRIBUTION",
    "SOURCE HANDLER",
)
OPTIONAL = ("PUBLICATION", "ITEM CREDIBILITY", "SPECIAL HANDLING", "DISTRIBUTION")


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


TOPICS = {
    "US/MEXICO": _w(
        "border crossings|weapons trafficking|task force friction|tunnels|informant handling"
        "|port of entry staffing"
    ),
    "MEXICO": _w(
        "police purge in Chihuahua|cartel payroll in Nuevo Leon|port of Veracruz"
        "|Tamaulipas highway checkpoints|state election security|extortion of bars"
        "|army patrols in Juarez|prison breaks"
    ),
    "CHINA": _w(
        "export licences for rare earths|port inspections|provincial debt"
        "|labour unrest in Guangdong|steel output"
    ),
    "VENEZUELA": _w(
        "oil output figures|power rationing|currency black market|contractor payments|food imports"
    ),
    "TURKEY": _w("border trade with Iraq|energy pipeline talks|military promotions|Kurdish talks"),
    "RUSSIA": _w("state bank lending|grain export quotas|regional governors|gas pricing"),
}
SENTENCES = {
    "US/MEXICO": (
        "Crossings at the smaller ports of entry rose after the new staffing plan.",
        "Agents on the US side complain that Mexican counterparts leak case details.",
        "Straw purchases in the border counties are being traced more slowly.",
        "Two task forces are working the same smuggling network without knowing it.",
        "A tunnel found near Nogales had electric light and a rail cart.",
    ),
    "MEXICO": (
        "The federal police removed dozens of officers after polygraph tests.",
        "Local businesses are paying a weekly fee to a group that calls itself security.",
        "The governor's office is negotiating quietly with transport unions.",
        "Checkpoints on the toll-free highway are now run by men without uniforms.",
        "The army took over patrols in two municipalities last week.",
        "Bar owners in the centre close by ten to avoid trouble.",
        "Customs staff at the port were rotated after a seizure went missing.",
    ),
    "CHINA": (
        "Licences are approved faster for firms with partners in the provincial bureau.",
        "Inspectors were told to slow container checks for state-owned shippers.",
        "Several county governments missed payments to contractors this quarter.",
        "Factories in the delta are raising wages to keep workers after the holiday.",
        "Steel mills are reporting output they have not reached.",
    ),
    "VENEZUELA": (
        "Output figures sent to the ministry are rounded up before publication.",
        "Rationing in the western states will continue through the dry season.",
        "Contractors have not been paid in four months and are cutting crews.",
        "Importers wait months for dollars at the official rate.",
        "The ministry replaced two refinery managers without explanation.",
    ),
    "TURKEY": (
        "Trucks wait up to three days at the Habur crossing.",
        "The ministry expects a pipeline agreement before the summer.",
        "Promotions this year favoured officers close to the government.",
        "Back-channel talks continue despite public denials.",
    ),
    "RUSSIA": (
        "State banks were told to roll over loans to regional companies.",
        "Export quotas will be set lower than traders expect.",
        "Two governors are expected to be replaced before the elections.",
        "Gas prices for neighbours will be tied to political concessions.",
    ),
}


def block(source: Source, handler: Person, style: str, rng: random.Random) -> str:
    """The labelled block, written in one of the styles real messages show."""
    credibility = rng.choice(("1", "2", "2", "3", "3", "4", "B"))
    special = rng.choice(("none", "none", "Do not forward outside the desk", "secure list only"))
    values = [
        source.code,
        source.attribution,
        source.description,
        source.publication,
        source.reliability,
        credibility,
        special,
        rng.choice(("analysts", "alpha", "secure")),
        handler.name,
    ]
    pairs = list(zip(LABELS, values, strict=True))
    if style == "missing":
        drop = {"ITEM CREDIBILITY", *rng.sample(OPTIONAL, rng.randint(0, 2))}
        pairs = [(label, value) for label, value in pairs if label not in drop]
    return "\n".join(_line(label, value, style, rng) for label, value in pairs)


def _line(label: str, value: str, style: str, rng: random.Random) -> str:
    if style == "loose":
        label = rng.choice((label.title(), label.lower(), label))
        return f"{label}{rng.choice((' :', ':', '  :'))}{rng.choice(('  ', ' ', '   '))}{value}"
    line = f"{label}: {value}"
    if style == "wrapped" and len(line) > 60:
        return textwrap.fill(line, 60)
    return line


def item(country: str, rng: random.Random) -> str:
    """Two or three short paragraphs of what the source said."""
    picks = rng.sample(SENTENCES[country], rng.randint(2, len(SENTENCES[country])))
    cut = rng.randint(1, len(picks) - 1)
    paras = [textwrap.fill(" ".join(chunk), 72) for chunk in (picks[:cut], picks[cut:])]
    return "\n\n".join(paras)
