"""The invented cast of the sample corpus: organisations, people, mailing lists and coded sources.

Everything here is fixed (not drawn from the seed), so the story's characters keep their names
from one corpus to the next. All names are invented; every domain is reserved for examples.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Org:
    """An invented organisation with a reserved example domain."""

    key: str
    name: str
    domain: str
    tz: int  # minutes east of UTC
    locale: str  # drives reply prefixes and charsets: en, de, no, es, ru, ja


@dataclass(frozen=True)
class Person:
    """An invented correspondent; ``client`` decides how their mail is built."""

    name: str
    address: str
    org: Org
    title: str
    client: str  # "plain" (text only) or "alt" (multipart/alternative)

    @property
    def first(self) -> str:
        """The first name, as used in greetings."""
        return self.name.split()[0]


@dataclass(frozen=True)
class Source:
    """A coded source as the firm files it (see SOURCES.md)."""

    code: str
    country: str
    attribution: str
    description: str
    reliability: str
    publication: str


ORGS = {
    o.key: o
    for o in (
        Org("firm", "Halvorsen Strategic Analysis", "firm.example", -360, "en"),
        Org("agency", "Border Enforcement Agency", "agency.example", -300, "en"),
        Org("news", "The Northgate Ledger", "news.example", -300, "en"),
        Org("ship", "Castellan Shipping", "castellan.example.com", -360, "en"),
        Org("oriel", "Oriel Capital", "oriel-capital.example.net", 0, "en"),
        Org("kaiser", "Kaiserberg Logistik", "kaiserberg.example", 60, "de"),
        Org("nordvik", "Nordvik Energi", "nordvik.example", 60, "no"),
        Org("ministry", "Secretaria de Enlace", "enlace.example", -360, "es"),
        Org("volga", "Volga Freight", "volga.example", 180, "ru"),
        Org("tokai", "Tokai Trading", "tokai.example", 540, "ja"),
        Org("bright", "Brightwater Institute", "brightwater.example.org", -300, "en"),
    )
}

_CAST = (
    ("firm", "Tobias Renwick", "t.renwick", "Senior Analyst, Tactical", "plain"),
    ("firm", "Celeste Marchbank", "c.marchbank", "Vice President, Intelligence", "alt"),
    ("firm", "Owen Pelletier", "o.pelletier", "Director of Analysis", "plain"),
    ("firm", "Ruth Abernethy", "r.abernethy", "Latin America Analyst", "plain"),
    ("firm", "Dmitri Halloway", "d.halloway", "Eurasia Analyst", "plain"),
    ("firm", "Priya Castellanos", "p.castellanos", "Watch Officer", "alt"),
    ("firm", "Marcus Ellery", "m.ellery", "East Asia Analyst", "plain"),
    ("firm", "Joan Tremaine", "j.tremaine", "Chief Financial Officer", "alt"),
    ("firm", "Felix Ambrose", "f.ambrose", "IT Manager", "plain"),
    ("firm", "Lena Whitcombe", "l.whitcombe", "Office Manager", "alt"),
    ("firm", "Gideon Sayre", "g.sayre", "Vice President, Counterterrorism", "plain"),
    ("firm", "Hannah Oduya", "h.oduya", "Writer", "plain"),
    ("firm", "Victor Lindqvist", "v.lindqvist", "Multimedia Producer", "alt"),
    ("firm", "Agnes Fairweather", "a.fairweather", "Client Relations", "alt"),
    ("firm", "Rafael Montoya", "r.montoya", "Mexico Analyst", "plain"),
    ("firm", "Imogen Strand", "i.strand", "Research Intern", "plain"),
    ("firm", "Kofi Brandt", "k.brandt", "Energy Analyst", "plain"),
    ("firm", "Sabine Foucault", "s.foucault", "Europe Analyst", "alt"),
    ("agency", "Gordon Whitacre", "press", "Public Affairs Officer", "alt"),
    ("agency", "Lydia Carrow", "l.carrow", "Deputy Spokesperson", "alt"),
    ("agency", "Norris Quaid", "n.quaid", "Special Agent in Charge", "plain"),
    ("agency", "Esther Vance", "e.vance", "Intelligence Research Specialist", "plain"),
    ("agency", "Calvin Dunmore", "c.dunmore", "Assistant Director", "alt"),
    ("agency", "Maribel Ochoa", "m.ochoa", "Liaison Officer", "plain"),
    ("news", "Nadia Ferrante", "nferrante", "Investigations Reporter", "plain"),
    ("news", "Elliot Vasquez-Rowe", "evrowe", "Managing Editor", "alt"),
    ("news", "Tamsin Greer", "tgreer", "Data Reporter", "plain"),
    ("news", "Jonah Pryce", "jpryce", "Standards Editor", "alt"),
    ("news", "Bea Okonkwo", "bokonkwo", "Copy Chief", "plain"),
    ("ship", "Harold Stavros", "hstavros", "Chief Security Officer", "alt"),
    ("ship", "Wendy Kaminski", "wkaminski", "Risk Manager", "alt"),
    ("ship", "Luis Barragan Ortiz", "lbarragan", "Port Operations Lead", "plain"),
    ("ship", "Trevor Ashdown", "tashdown", "General Counsel", "alt"),
    ("oriel", "Philippa Knowles", "philippa.knowles", "Portfolio Manager", "alt"),
    ("oriel", "Rupert Dandridge", "rupert.dandridge", "Head of Research", "alt"),
    ("oriel", "Amelia Thorne", "amelia.thorne", "Compliance Officer", "alt"),
    ("kaiser", "Jürgen Weisshaupt", "j.weisshaupt", "Leiter Sicherheit", "alt"),
    ("kaiser", "Katrin Holzner", "k.holzner", "Einkauf", "alt"),
    ("kaiser", "Matthias Brünnler", "m.bruennler", "Geschäftsführer", "plain"),
    ("nordvik", "Sigrid Haugland", "sigrid.haugland", "Security Adviser", "alt"),
    ("nordvik", "Eirik Solberg", "eirik.solberg", "Country Manager", "plain"),
    ("nordvik", "Ingrid Vatne", "ingrid.vatne", "Analyst", "alt"),
    ("ministry", "José Peñalosa Núñez", "jpenalosa", "Director de Enlace", "plain"),
    ("ministry", "Araceli Domínguez", "adominguez", "Asesora", "plain"),
    ("ministry", "Héctor Villaseñor", "hvillasenor", "Coordinador", "alt"),
    ("volga", "Мария Соколова", "m.sokolova", "Logistics Director", "plain"),
    ("volga", "Пётр Лаврентьев", "p.lavrentiev", "Security Chief", "plain"),
    ("volga", "Алексей Горбунов", "a.gorbunov", "Sales Manager", "plain"),
    ("tokai", "田中 浩", "h.tanaka", "Risk Desk", "plain"),
    ("tokai", "佐藤 美咲", "m.sato", "Compliance", "plain"),
    ("tokai", "Kenji Morioka", "k.morioka", "Overseas Liaison", "alt"),
    ("bright", "Ophelia Garrick", "ogarrick", "Senior Fellow", "alt"),
    ("bright", "Desmond Achterberg", "dachterberg", "Program Director", "alt"),
    ("bright", "Yusuf Bellamy", "ybellamy", "Events Coordinator", "alt"),
    ("bright", "Newsletter Desk", "newsletter", "Newsletter", "alt"),
)


def _person(org_key: str, name: str, local: str, title: str, client: str) -> Person:
    org = ORGS[org_key]
    return Person(name, f"{local}@{org.domain}", org, title, client)


PEOPLE: tuple[Person, ...] = tuple(_person(*row) for row in _CAST)
BY_ADDRESS = {p.address: p for p in PEOPLE}

ANALYST = BY_ADDRESS["t.renwick@firm.example"]
PRESS = BY_ADDRESS["press@agency.example"]
REPORTER = BY_ADDRESS["nferrante@news.example"]
EDITOR = BY_ADDRESS["evrowe@news.example"]
VP_INTEL = BY_ADDRESS["c.marchbank@firm.example"]

ALPHA_LIST = Person("Alpha List", "alpha@firm.example", ORGS["firm"], "list", "plain")
SECURE_LIST = Person("Secure List", "secure@firm.example", ORGS["firm"], "list", "plain")
ANALYSTS_LIST = Person("Analysts", "analysts@firm.example", ORGS["firm"], "list", "plain")
LISTS = (ALPHA_LIST, SECURE_LIST, ANALYSTS_LIST)

SOURCES: tuple[Source, ...] = (
    Source(
        "US714",
        "US/MEXICO",
        "a US law enforcement officer with direct oversight of border investigations",
        "Supervisor in the agency's border division for more than a decade; reviews informant"
        " files and case reports for the whole sector. Met through a former colleague.",
        "B",
        "as needed",
    ),
    Source(
        "MX1",
        "MEXICO",
        "a Mexican federal police commander in Chihuahua state",
        "Commander of a federal police unit in Chihuahua; long-time contact of the Mexico desk.",
        "B",
        "Yes",
    ),
    Source(
        "MX2",
        "MEXICO",
        "a Monterrey-based security consultant with contacts in the state government",
        "Former state police officer who advises manufacturers in Nuevo Leon on security.",
        "C",
        "Yes",
    ),
    Source(
        "MX3",
        "MEXICO",
        "a journalist covering organised crime in Tamaulipas",
        "Local reporter who no longer publishes under own name; relays what colleagues hear.",
        "C",
        "No",
    ),
    Source(
        "CN1000",
        "CHINA",
        "a trade official familiar with export licensing in Guangdong",
        "Mid-level official in a provincial commerce bureau; meets our Asia analyst twice a year.",
        "C",
        "as needed",
    ),
    Source(
        "VZ203",
        "VENEZUELA",
        "an adviser to the Venezuelan energy ministry",
        "Economist who consults for the ministry and two oil services companies.",
        "D",
        "Yes",
    ),
    Source(
        "TR301",
        "TURKEY",
        "a Turkish diplomat posted in the region",
        "Mid-career diplomat; contact of the Europe desk since a 2009 conference.",
        "B",
        "No",
    ),
    Source(
        "RU88",
        "RUSSIA",
        "a Moscow-based banker who works with state companies",
        "Investment banker; shares impressions over dinner, rarely documents.",
        "C",
        "as needed",
    ),
)
SOURCE_BY_CODE = {s.code: s for s in SOURCES}


def firm_staff() -> list[Person]:
    """Everyone at the firm, in roster order."""
    return [p for p in PEOPLE if p.org.key == "firm"]


def clients() -> list[Person]:
    """People at the firm's corporate clients."""
    return [p for p in PEOPLE if p.org.key in ("ship", "oriel", "kaiser", "nordvik", "tokai")]


def outsiders() -> list[Person]:
    """Everyone not at the firm, except the agency press office (kept for the story)."""
    return [p for p in PEOPLE if p.org.key != "firm" and p is not PRESS]
