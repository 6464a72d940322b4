"""A realistic sample event: SEUS-CP 2017, at any size.

``write_example`` builds the conference that the project was made for (the
Southeastern US - Canadian Provinces Alliance meeting, June 4-6 2017 at the
Fairmont Royal York in Toronto) with invented companies and people, and writes
it as workbooks that follow the workbook contract. The same seed always gives
the same event. Everything is sampled with ``random.Random`` from per-sector
and per-country buckets, so 10,000 attendees take seconds, not minutes.

The sample is clean: reading it gives no errors. Fixed meetings are valid,
speakers are present, no request goes to oneself, to a colleague or to
someone without a shared language.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from scheduler import build
from scheduler.io.contract import SHEET
from scheduler.io.forms import slugify

# ---------------------------------------------------------------------------
# The event frame: settings, time grid, rooms.

EVENT_NAME = "SEUS-CP 2017 — Trade Partnerships at Work"
VENUE = "Fairmont Royal York, Toronto"
DAY1, DAY2, DAY3 = date(2017, 6, 4), date(2017, 6, 5), date(2017, 6, 6)
DAYS = (DAY1, DAY2, DAY3)
MEETING_MINUTES = 20
BUFFER_MINUTES = 5
MAX_PER_DAY = 12

# Meetings blocks last n * 25 - 5 minutes, so no remainder is left unused.
# On day 1 the first Sessions block runs inside the afternoon meetings (the
# contract allows it: those attending are simply not free for meetings).
SCHEDULE = (
    (DAY1, "08:30", "09:30", "Plenary", "Opening plenary"),
    (DAY1, "10:00", "12:00", "Meetings", "Partnership meetings"),
    (DAY1, "12:00", "13:30", "Break", "Lunch"),
    (DAY1, "13:30", "16:45", "Meetings", "Partnership meetings"),
    (DAY1, "14:00", "15:00", "Sessions", "Sector tracks I"),
    (DAY1, "17:00", "18:00", "Sessions", "Sector tracks II"),
    (DAY1, "18:30", "20:30", "Break", "Welcome reception"),
    (DAY2, "08:30", "09:30", "Plenary", "Keynote: the Southeast–Canada corridor"),
    (DAY2, "10:00", "12:00", "Meetings", "Partnership meetings"),
    (DAY2, "12:00", "13:30", "Break", "Lunch"),
    (DAY2, "13:30", "14:30", "Sessions", "Sector tracks III"),
    (DAY2, "14:45", "15:45", "Sessions", "Sector tracks IV"),
    (DAY2, "16:00", "18:00", "Meetings", "Partnership meetings"),
    (DAY3, "08:30", "09:30", "Sessions", "Sector tracks V"),
    (DAY3, "10:00", "12:00", "Meetings", "Partnership meetings"),
    (DAY3, "12:00", "13:00", "Break", "Lunch"),
    (DAY3, "13:00", "14:35", "Meetings", "Partnership meetings"),
    (DAY3, "15:00", "16:00", "Plenary", "Closing plenary"),
)
# Fixed meetings go into the day-2 morning block: no Sessions block overlaps it.
FIXED_BLOCK = (DAY2, "10:00", "12:00")

# Function rooms of the Fairmont Royal York. Tables and seats are for 400
# attendees and grow with the event (about attendees / 6 tables a day, so
# about a third of the attendees can sit in a meeting at once).
MEETING_ROOMS = (  # name, tables, days open (None = every day)
    ("Canadian Room", 36, None),
    ("Concert Hall", 24, None),
    ("Imperial Room", 16, (DAY2, DAY3)),
)
SESSION_ROOMS = (  # name, seats
    ("Library", 60),
    ("Ontario Room", 180),
    ("Quebec Room", 140),
    ("Manitoba Room", 80),
    ("Territories Room", 40),
    ("British Columbia Room", 120),
    ("Alberta Room", 50),
    ("Saskatchewan Room", 300),
)

# ---------------------------------------------------------------------------
# Who comes: delegations, sectors, names.


@dataclass(frozen=True)
class Delegation:
    name: str
    code: str  # attendee ID prefix
    country: str  # US | CA
    weight: float  # share of attendees
    culture: str  # which name lists to use
    sector_weights: tuple[float, float, float]  # Automotive, ICT, Clean Technology
    cities: tuple[str, ...]


DELEGATIONS = (
    Delegation("Alabama", "AL", "US", 28, "us", (6, 2, 2),
               ("Birmingham", "Huntsville", "Mobile", "Montgomery", "Tuscaloosa", "Auburn", "Decatur")),
    Delegation("Georgia", "GA", "US", 35, "us", (4, 4, 2),
               ("Atlanta", "Savannah", "Augusta", "Macon", "Columbus", "Athens", "Peachtree", "Dalton")),
    Delegation("Mississippi", "MS", "US", 20, "us", (5, 2, 3),
               ("Jackson", "Tupelo", "Gulfport", "Hattiesburg", "Meridian", "Starkville", "Canton")),
    Delegation("North Carolina", "NC", "US", 32, "us", (3, 5, 2),
               ("Charlotte", "Raleigh", "Durham", "Greensboro", "Winston-Salem", "Asheville", "Cary")),
    Delegation("South Carolina", "SC", "US", 28, "us", (6, 2, 2),
               ("Greenville", "Spartanburg", "Columbia", "Charleston", "Rock Hill", "Anderson")),
    Delegation("Tennessee", "TN", "US", 32, "us", (5, 2, 3),
               ("Nashville", "Chattanooga", "Knoxville", "Memphis", "Smyrna", "Oak Ridge", "Murfreesboro")),
    Delegation("Newfoundland and Labrador", "NL", "CA", 18, "nl", (2, 3, 5),
               ("St. John's", "Mount Pearl", "Corner Brook", "Gander", "Conception Bay", "Labrador")),
    Delegation("Nova Scotia", "NS", "CA", 25, "ca", (2, 4, 4),
               ("Halifax", "Dartmouth", "Truro", "Sydney", "Bedford", "Lunenburg", "Yarmouth")),
    Delegation("Prince Edward Island", "PE", "CA", 13, "ca", (2, 3, 5),
               ("Charlottetown", "Summerside", "Cornwall", "Stratford", "Montague")),
    Delegation("New Brunswick", "NB", "CA", 22, "nb", (2, 4, 4),
               ("Moncton", "Fredericton", "Saint John", "Dieppe", "Edmundston", "Bathurst", "Miramichi")),
    Delegation("Quebec", "QC", "CA", 45, "fr", (3, 4, 3),
               ("Montréal", "Québec", "Lévis", "Sherbrooke", "Trois-Rivières", "Laval", "Gatineau",
                "Saguenay", "Drummondville", "Beauce", "Rimouski")),
    Delegation("Ontario", "ON", "CA", 70, "ca", (5, 3, 2),
               ("Toronto", "Windsor", "Oshawa", "Waterloo", "Kitchener", "Hamilton", "London", "Guelph",
                "Markham", "Mississauga", "Ottawa", "Sarnia", "Niagara", "Barrie")),
    Delegation("Manitoba", "MB", "CA", 22, "ca", (3, 3, 4),
               ("Winnipeg", "Brandon", "Steinbach", "Selkirk", "Portage", "Winkler")),
)
# Big vehicle assemblers sit in these delegations; their buyers are the stars.
ASSEMBLER_HOMES = ("Alabama", "South Carolina", "Tennessee", "Ontario", "Georgia", "Mississippi")

SECTORS: dict[str, tuple[str, ...]] = {
    "Automotive": ("Vehicle assemblers", "Parts makers", "Research centres", "Tool and die equipment",
                   "Injection moulding", "Turbochargers", "Technical textiles", "Electric cars and batteries"),
    "ICT": ("Connected cars", "Logistics", "GIS", "Cybersecurity", "Gaming and digital media", "Fintech",
            "Wireless and IoT", "Big data and analytics"),
    "Clean Technology": ("Nuclear power", "Smart grid", "Water technologies", "Biosolids reduction",
                         "Resource recovery", "Energy generation for plants", "Wastewater infrastructure"),
}
SECTOR_NAMES = tuple(SECTORS)
SECTOR_OF = {sub: sector for sector, subs in SECTORS.items() for sub in subs}

# Company name parts by subsector: (English, French).
COMPANY_NOUNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Parts makers": (("Auto Parts", "Components", "Precision Parts", "Stampings", "Metal Forming"),
                     ("Pièces d'auto", "Composantes", "Estampage")),
    "Research centres": (("Automotive Research Centre", "Mobility Institute", "Materials Lab"),
                         ("Centre de recherche automobile", "Institut de mobilité")),
    "Tool and die equipment": (("Tool & Die", "Tooling", "Die Works", "Machine Tools"), ("Outillage", "Matrices")),
    "Injection moulding": (("Plastics", "Moulding", "Polymer Solutions"), ("Moulage", "Plastiques")),
    "Turbochargers": (("Turbo Systems", "Turbo", "Airflow Technologies"), ("Turbo", "Turbocompresseurs")),
    "Technical textiles": (("Technical Textiles", "Fabrics", "Composites"), ("Textiles techniques", "Composites")),
    "Electric cars and batteries": (("Battery Systems", "Electric Mobility", "EV Power"),
                                    ("Batteries", "Électrification")),
    "Connected cars": (("Connected Mobility", "Telematics", "Vehicle Software"), ("Télématique", "Mobilité connectée")),
    "Logistics": (("Logistics", "Freight Systems", "Supply Chain Software"), ("Logistique", "Solutions logistiques")),
    "GIS": (("Geomatics", "GIS", "Mapping"), ("Géomatique", "Cartographie")),
    "Cybersecurity": (("Cyber Defense", "Security Labs", "Secure Networks"), ("Cybersécurité", "Sécurité informatique")),
    "Gaming and digital media": (("Games", "Interactive", "Digital Media", "Studios"), ("Studios", "Médias numériques")),
    "Fintech": (("Payments", "Financial Technologies", "Ledger"), ("Technologies financières", "Paiements")),
    "Wireless and IoT": (("Wireless", "IoT", "Sensor Networks"), ("Sans fil", "Capteurs")),
    "Big data and analytics": (("Analytics", "Data Science", "Insights"), ("Analytique", "Données")),
    "Nuclear power": (("Nuclear Services", "Isotopes", "Reactor Components"), ("Services nucléaires", "Isotopes")),
    "Smart grid": (("Grid Solutions", "Power Systems", "Energy Controls"), ("Réseaux intelligents", "Énergie")),
    "Water technologies": (("Water Technologies", "Water Systems", "Hydro Solutions"),
                           ("Technologies de l'eau", "Eau")),
    "Biosolids reduction": (("Biosolids", "Bioprocessing"), ("Biosolides", "Bioprocédés")),
    "Resource recovery": (("Recycling", "Resource Recovery", "Materials Recovery"), ("Récupération", "Recyclage")),
    "Energy generation for plants": (("Cogeneration", "Energy Systems", "Power Generation"),
                                     ("Énergie", "Cogénération")),
    "Wastewater infrastructure": (("Wastewater", "Environmental Engineering", "Pipe Systems"),
                                  ("Eaux usées", "Génie environnemental")),
}
ASSEMBLER_NOUNS = ("Motor Manufacturing", "Vehicle Assembly", "Motors", "Assembly Plant", "Truck Manufacturing")

MALE = {
    "us": ("James", "Robert", "John", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
           "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua", "Kevin",
           "Brian", "Wesley", "Marcus", "Jamal", "DeShawn", "Carlos", "Luis", "Raj", "Wei", "Hyun-woo", "Travis",
           "Clayton", "Beau", "Dwight"),
    "ca": ("Ryan", "Tyler", "Justin", "Kyle", "Graham", "Colin", "Arjun", "Ming", "Dmitri", "Ahmed", "Declan",
           "Michael", "David", "James", "Andrew", "Mark", "Scott", "Brent", "Darren", "Trevor", "Gurpreet",
           "Hassan", "Kenji", "Stuart", "Ian", "Neil", "Rajesh", "Paolo"),
    "nl": ("Patrick", "Brendan", "Sean", "Gerard", "Dwayne", "Kevin", "Liam", "Cyril", "Wade", "Derek",
           "Gordon", "Terry"),
    "fr": ("Jean", "Pierre", "François", "Stéphane", "Sébastien", "Mathieu", "Luc", "Marc-André",
           "Jean-François", "Martin", "Éric", "Benoît", "Guillaume", "Frédéric", "Louis", "Étienne", "Denis",
           "Réjean", "Maxime", "Olivier", "Simon", "Yves", "Normand", "Alexandre", "Jérôme"),
}
FEMALE = {
    "us": ("Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
           "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
           "Carol", "Amanda", "Melissa", "Tamika", "Latoya", "Keisha", "Maria", "Priya", "Mei", "Ji-yeon",
           "Savannah", "Lacey"),
    "ca": ("Megan", "Heather", "Shannon", "Fiona", "Aisha", "Harpreet", "Olga", "Fatima", "Siobhan", "Jennifer",
           "Sarah", "Karen", "Laura", "Amanda", "Christine", "Lindsay", "Priya", "Mei-Ling", "Nadia", "Rebecca",
           "Kathleen", "Tanya", "Jasmine", "Erin"),
    "nl": ("Maureen", "Kathleen", "Bridget", "Colleen", "Siobhan", "Shannon", "Tara", "Deirdre", "Paula",
           "Wanda", "Donna", "Colette"),
    "fr": ("Marie", "Hélène", "Élise", "Geneviève", "Émilie", "Josée", "Isabelle", "Nathalie", "Sylvie",
           "Chantal", "Mélanie", "Julie", "Valérie", "Amélie", "Anne-Marie", "Gabrielle", "Thérèse", "Ginette",
           "Céline", "Catherine", "Marie-Ève", "Sophie", "Véronique", "Annie"),
}
SURNAMES = {
    "us": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson", "Moore", "Taylor",
           "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Robinson", "Clark", "Lewis",
           "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
           "Hill", "Campbell", "Mitchell", "Carter", "Phillips", "Turner", "Parker", "Collins", "Edwards",
           "Morris", "Murphy", "Cook", "Rogers", "Patel", "Nguyen", "Kim", "Garcia", "Rodriguez", "Hernandez",
           "Lopez", "Chen", "Washington", "Jefferson", "Calhoun", "Whitfield", "Haywood", "Pruitt",
           "McAllister", "Tillman", "Beasley", "Dukes", "Holloway", "Pettigrew"),
    "ca": ("Smith", "Brown", "Martin", "Wilson", "MacDonald", "Taylor", "Campbell", "Anderson", "Johnston",
           "MacLeod", "Stewart", "Thompson", "Fraser", "MacKenzie", "Ross", "Scott", "Reid", "Murray",
           "Robertson", "Clarke", "Young", "Wong", "Li", "Singh", "Chen", "Patel", "Kowalski", "Petrov", "Ahmed",
           "Sandhu", "Gill", "Hutchinson", "Doucette", "Whelan", "Kaur", "Nakamura", "Friesen", "Penner",
           "Wiebe", "Bergmann", "Rossi", "Ferreira", "Okafor", "Mensah", "Haddad", "Goldberg", "Lam", "Tran"),
    "nl": ("Byrne", "Walsh", "Power", "Murphy", "Kelly", "O'Brien", "Fitzgerald", "Ryan", "Kennedy", "Hickey",
           "Noseworthy", "Pike", "Parsons", "Tucker", "Squires", "Hann", "Janes", "Coombs", "Dalton", "Furey",
           "Keough", "Moores"),
    "fr": ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
           "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
           "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc",
           "Lefebvre", "Poulin", "Thibault", "St-Pierre", "Nadeau", "Martel", "Hébert", "Thériault", "Cormier",
           "Després", "Arsenault", "Gallant", "Landry", "Robichaud", "Doiron", "Bérubé", "Désilets"),
}
# Share of French names by delegation culture (the rest use the English lists).
FRENCH_NAME_SHARE = {"fr": 0.85, "nb": 0.45, "ca": 0.04, "nl": 0.0, "us": 0.0}
FRENCH_COMPANY_SHARE = {"fr": 0.75, "nb": 0.35}
COMPANY_SUFFIXES = (" Inc.", " LLC", " Corp.", " Ltd.", " inc.", " ltée")

TITLES = ("President", "CEO", "Owner", "General Manager", "Vice-President, Sales",
          "Vice-President, Business Development", "Business Development Manager", "Sales Director",
          "Export Manager", "Director of Engineering", "Plant Manager", "Chief Technology Officer",
          "Director, Strategic Partnerships", "Account Manager", "Program Manager",
          "Director, International Markets", "Chief Operating Officer", "Product Manager")
RESEARCH_TITLES = ("Research Director", "Principal Investigator", "Industry Liaison Officer", "Senior Scientist")
BUYER_TITLES = ("Purchasing Manager", "Director, Supplier Development", "Senior Buyer", "Global Purchasing Lead",
                "Supplier Diversity Manager", "Commodity Manager, Powertrain")
FRENCH_TITLES = (  # (masculine, feminine)
    ("Président", "Présidente"),
    ("Président-directeur général", "Présidente-directrice générale"),
    ("Directeur des ventes", "Directrice des ventes"),
    ("Directeur, développement des affaires", "Directrice, développement des affaires"),
    ("Vice-président, exportation", "Vice-présidente, exportation"),
    ("Directeur de l'ingénierie", "Directrice de l'ingénierie"),
    ("Chargé de projets", "Chargée de projets"),
    ("Directeur général", "Directrice générale"),
)

# ---------------------------------------------------------------------------
# Tracks and sessions: (ID, title, track, tags that draw an audience).

TRACKS = (
    ("Automotive Supply Chain", "Automotive", "Selling to vehicle assemblers and tier-1 suppliers across the border."),
    ("Advanced Manufacturing", "Automotive", "Tooling, moulding, technical textiles and lightweighting."),
    ("Connected and Electric Vehicles", "Automotive", "Powertrains in transition and software on wheels."),
    ("Digital Economy", "ICT", "Cybersecurity, fintech, digital media and data."),
    ("Smart Logistics", "ICT", "Logistics, GIS and analytics along the trade corridor."),
    ("Clean Energy", "Clean Technology", "Nuclear power, smart grid and energy for industrial plants."),
    ("Water and Resource Recovery", "Clean Technology", "Water, wastewater, biosolids and recovered resources."),
)
SESSIONS = (
    ("S01", "Becoming a supplier to Southeast assemblers", "Automotive Supply Chain",
     ("Vehicle assemblers", "Parts makers")),
    ("S02", "Rules of origin for auto parts after NAFTA talks", "Automotive Supply Chain",
     ("Parts makers", "Logistics")),
    ("S03", "Tool and die capacity: who builds the next model year?", "Advanced Manufacturing",
     ("Tool and die equipment", "Injection moulding")),
    ("S04", "Lightweighting with technical textiles and moulded parts", "Advanced Manufacturing",
     ("Technical textiles", "Injection moulding")),
    ("S05", "Batteries and turbochargers: powertrains in transition", "Connected and Electric Vehicles",
     ("Electric cars and batteries", "Turbochargers")),
    ("S06", "Connected cars: software on wheels", "Connected and Electric Vehicles",
     ("Connected cars", "Wireless and IoT")),
    ("S07", "Cybersecurity for manufacturers", "Digital Economy", ("Cybersecurity", "Research centres")),
    ("S08", "Fintech and digital media: scaling across the border", "Digital Economy",
     ("Fintech", "Gaming and digital media")),
    ("S09", "Logistics, GIS and the data-driven corridor", "Smart Logistics",
     ("Logistics", "GIS", "Big data and analytics")),
    ("S10", "Nuclear refurbishment and the smart grid", "Clean Energy", ("Nuclear power", "Smart grid")),
    ("S11", "Energy generation for industrial plants", "Clean Energy",
     ("Energy generation for plants", "Smart grid")),
    ("S12", "Water, wastewater and biosolids: municipal opportunities", "Water and Resource Recovery",
     ("Water technologies", "Wastewater infrastructure", "Biosolids reduction", "Resource recovery")),
)

UNAVAILABLE_REASONS = ("Site visit", "Delegation briefing", "Media interview", "Plant tour", "Board call",
                       "Meeting with the minister", "Flight")
UNAVAILABLE_WINDOWS = (("10:00", "11:00"), ("10:50", "12:00"), ("13:30", "15:00"), ("14:45", "16:45"),
                       ("16:00", "17:00"), ("10:00", "12:00"))
NOTES = ("Interested in your {sub} line for the 2019 model year", "Met at the Detroit auto show",
         "Looking for a distributor in the Southeast", "Follow-up from the Atlanta trade mission",
         "Possible joint bid on a {sub} project", "Seeking a {sub} partner in Canada",
         "Please bring product samples", "Discuss pilot project in {sub}")

# Requests: shape of the demand.
PRIORITY_MIX = (("High", "Medium", "Low"), [0.28, 0.74, 1.0])  # cumulative: 28% High, 46% Medium, 26% Low
STAR_PRIORITY_MIX = (("High", "Medium", "Low"), [0.6, 0.92, 1.0])
MUTUAL_SHARE = 0.15  # of requested pairs, asked both ways
NEVER_SHARE = 0.015  # of requested pairs, declined by the other side


# ---------------------------------------------------------------------------
# Internal records.


@dataclass
class Org:
    name: str
    delegation: Delegation
    sector: str
    subsectors: list[str]
    domain: str
    french: bool
    assembler: bool = False


@dataclass
class Person:
    index: int
    id: str
    name: str
    female: bool
    org: Org
    french_name: bool
    title: str = ""
    sectors: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    email: str = ""
    arrives: date | datetime | None = None
    departs: date | datetime | None = None
    max_meetings: int | None = None
    max_per_day: int | None = None
    sessions: list[str] = field(default_factory=list)
    team: str | None = None
    host: bool = False
    star: bool = False
    speaker: bool = False
    popularity: float = 1.0
    unavailable: list[tuple[date, time, time, str]] = field(default_factory=list)

    @property
    def country(self) -> str:
        return self.org.delegation.country

    @property
    def party(self) -> str:
        return f"team:{self.team}" if self.team else self.id

    @property
    def french_only(self) -> bool:
        return self.languages == ["French"]

    @property
    def whole_event(self) -> bool:
        return self.arrives is None and self.departs is None


SessionRow = tuple[str, str, str, list[str], int | None]  # ID, Title, Track, speaker IDs, Expected audience
RequestRow = tuple[str, str, str, str]  # From, To, Priority, Note
FixedRow = tuple[str, str, date, time, str, str]  # Attendee A, Attendee B, Date, Start, Room, Table
Draft = tuple[Person, Person, str, str, str]  # who asks, whom, To cell, Priority, Note


@dataclass
class Sample:
    """One generated event, ready to be written."""

    people: list[Person]
    sessions: list[SessionRow]
    requests: list[RequestRow]
    fixed: list[FixedRow]
    meeting_rooms: list[tuple[str, int, tuple[date, ...] | None]]
    session_rooms: list[tuple[str, int]]


# ---------------------------------------------------------------------------
# Small helpers.


def _t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def core_name(name: str) -> str:
    """The company name without its legal suffix: Moulage Lévis inc. -> Moulage Lévis."""
    for suffix in COMPANY_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _pick(rng: random.Random, mix: tuple[tuple[str, ...], list[float]]) -> str:
    return rng.choices(mix[0], cum_weights=mix[1])[0]


class Bucket:
    """People to draw from, each with a weight; a draw costs O(log n)."""

    def __init__(self, people: list[Person]):
        self.people = people
        self.cum = list(accumulate(p.popularity for p in people))

    def draw(self, rng: random.Random) -> Person:
        return rng.choices(self.people, cum_weights=self.cum)[0]


def slot_starts(day: date, start: str, end: str) -> list[time]:
    """Slot start times of a Meetings block, as the contract cuts it (``build.slot_starts``)."""
    block = datetime.combine(day, _t(start)), datetime.combine(day, _t(end))
    return [t.time() for t in build.slot_starts(*block, MEETING_MINUTES, BUFFER_MINUTES)]


# ---------------------------------------------------------------------------
# Generation, step by step.


def _split_counts(total: int) -> list[int]:
    """Attendees per delegation, by weight, adding up to total exactly."""
    weight_sum = sum(d.weight for d in DELEGATIONS)
    raw = [total * d.weight / weight_sum for d in DELEGATIONS]
    counts = [math.floor(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _org_size(rng: random.Random) -> int:
    # Mean about 1.6: most companies send one person, a few send a small team.
    return rng.choices((1, 2, 3, 4), weights=(0.58, 0.26, 0.10, 0.06))[0]


def _company_name(rng: random.Random, d: Delegation, sub: str, french: bool, taken: set[str]) -> str:
    english, french_nouns = COMPANY_NOUNS[sub]
    culture = "fr" if french else ("us" if d.country == "US" else d.culture if d.culture in SURNAMES else "ca")
    for _ in range(30):
        city = rng.choice(d.cities)
        surname = rng.choice(SURNAMES[culture])
        if french:
            noun = rng.choice(french_nouns)
            base = rng.choice((f"{noun} {city}", f"{noun} {surname}", f"Groupe {surname} {noun.lower()}"))
            name = base + rng.choice(("", " inc.", " ltée"))
        else:
            noun = rng.choice(english)
            if d.country == "US":
                noun = noun.replace("Moulding", "Molding").replace("Centre", "Center").replace("Defence", "Defense")
            surname2 = rng.choice(SURNAMES[culture])
            base = rng.choice((f"{city} {noun}", f"{surname} {noun}", f"{city} {noun}",
                               f"{surname} & {surname2} {noun}" if surname2 != surname else f"{surname} {noun}"))
            suffixes = ("", " Inc.", " LLC", " Corp.") if d.country == "US" else ("", " Inc.", " Ltd.", " Corp.")
            name = base + rng.choice(suffixes)
        if core_name(name).casefold() not in taken:
            return name
    return f"{core_name(name)} {len(taken)}"  # very large events only


def _make_orgs(rng: random.Random, attendees: int) -> list[tuple[Org, int]]:
    """Organizations with their head counts; the first few are vehicle assemblers."""
    taken: set[str] = set()
    stars_wanted = max(4, round(attendees * 0.015))
    result: list[tuple[Org, int]] = []
    counts = dict(zip((d.name for d in DELEGATIONS), _split_counts(attendees), strict=True))
    by_name = {d.name: d for d in DELEGATIONS}
    # Assemblers first, round-robin over their home delegations.
    for k in range(min(stars_wanted, attendees // 4)):
        d = by_name[ASSEMBLER_HOMES[k % len(ASSEMBLER_HOMES)]]
        size = min(rng.choice((1, 2, 2, 3)), counts[d.name])
        if size == 0:
            continue
        for _ in range(30):
            name = f"{rng.choice(d.cities)} {rng.choice(ASSEMBLER_NOUNS)}"
            if name.casefold() not in taken:
                break
        else:
            name = f"{name} {k}"
        taken.add(name.casefold())
        org = Org(name, d, "Automotive", ["Vehicle assemblers"], slugify(name), False, assembler=True)
        result.append((org, size))
        counts[d.name] -= size
    for d in DELEGATIONS:
        left = counts[d.name]
        while left > 0:
            size = min(_org_size(rng), left)
            left -= size
            result.append((_make_org(rng, d, taken), size))
    return result


def _make_org(rng: random.Random, d: Delegation, taken: set[str]) -> Org:
    sector = rng.choices(SECTOR_NAMES, weights=d.sector_weights)[0]
    choices = [s for s in SECTORS[sector] if s != "Vehicle assemblers"]
    subsectors = rng.sample(choices, rng.choice((1, 1, 2)))
    french = rng.random() < FRENCH_COMPANY_SHARE.get(d.culture, 0.0)
    name = _company_name(rng, d, subsectors[0], french, taken)
    # Unique without the suffix too: teams and e-mail domains are named after it.
    taken.add(core_name(name).casefold())
    return Org(name, d, sector, subsectors, slugify(core_name(name)), french)


def _person_name(rng: random.Random, org: Org) -> tuple[str, bool, bool]:
    d = org.delegation
    french = org.french or rng.random() < FRENCH_NAME_SHARE[d.culture]
    culture = "fr" if french else ("us" if d.country == "US" else "nl" if d.culture == "nl" else "ca")
    female = rng.random() < 0.42
    first = rng.choice((FEMALE if female else MALE)[culture])
    return f"{first} {rng.choice(SURNAMES[culture])}", female, french


def _languages(rng: random.Random, p: Person) -> list[str]:
    culture = p.org.delegation.culture
    r = rng.random()
    if culture == "fr":
        if p.french_name:
            return ["French"] if r < 0.3 else ["French", "English"]
        return ["English", "French"] if r < 0.7 else ["English"]
    if culture == "nb":
        if p.french_name:
            return ["French", "English"]
        return ["English", "French"] if r < 0.6 else ["English"]
    if p.french_name:
        return ["English", "French"]
    if p.country == "US":
        return ["English", "Spanish"] if r < 0.03 else ["English"]
    return ["English", "French"] if r < 0.05 else ["English"]


def _title(rng: random.Random, p: Person) -> str:
    if p.star:
        return rng.choice(BUYER_TITLES)
    if p.org.assembler:
        return rng.choice(("Supplier Quality Engineer", "Director, Purchasing", "Buyer, Interior Systems"))
    if p.french_only or (p.french_name and p.org.delegation.culture == "fr" and rng.random() < 0.5):
        masculine, feminine = rng.choice(FRENCH_TITLES)
        return feminine if p.female else masculine
    if "Research centres" in p.org.subsectors:
        return rng.choice(RESEARCH_TITLES)
    return rng.choice(TITLES)


def _email(p: Person, taken: set[str]) -> str:
    local = ".".join(slugify(part).replace("-", "") for part in p.name.split(" ", 1))
    address = f"{local}@{p.org.domain}.example"
    k = 2
    while address in taken:
        address = f"{local}{k}@{p.org.domain}.example"
        k += 1
    taken.add(address)
    return address


def _sectors(rng: random.Random, p: Person) -> list[str]:
    """Sector first, then subsectors; some people list a second sector."""
    tags = [p.org.sector, *p.org.subsectors]
    if rng.random() < 0.15:
        other = rng.choice([s for s in SECTOR_NAMES if s != p.org.sector])
        tags += [other, rng.choice(SECTORS[other][1:])]
    return tags


def _make_people(rng: random.Random, attendees: int) -> list[Person]:
    orgs = _make_orgs(rng, attendees)
    per_code: dict[str, int] = {}
    width = max(3, len(str(max(_split_counts(attendees)))))
    people: list[Person] = []
    emails: set[str] = set()
    for org, size in orgs:
        for k in range(size):
            code = org.delegation.code
            per_code[code] = per_code.get(code, 0) + 1
            name, female, french = _person_name(rng, org)
            p = Person(len(people), f"{code}{per_code[code]:0{width}d}", name, female, org, french)
            p.star = org.assembler and k == 0
            # Stars draw from their own channel; keep them alike so each gets many requests.
            p.popularity = rng.lognormvariate(0, 0.25 if p.star else 0.6)
            p.languages = _languages(rng, p)
            p.title = _title(rng, p)
            p.sectors = _sectors(rng, p)
            p.email = _email(p, emails)
            people.append(p)
    # IDs read best in delegation order, as organizers list them.
    order = {d.code: i for i, d in enumerate(DELEGATIONS)}
    people.sort(key=lambda p: (order[p.org.delegation.code], p.id))
    for i, p in enumerate(people):
        p.index = i
    return people


def _mark_hosts_and_teams(rng: random.Random, people: list[Person]) -> None:
    stars = [p for p in people if p.star]
    for p in stars[: max(2, round(len(people) / 80))]:
        if not p.french_only:
            p.host = True
    members: dict[str, list[Person]] = {}
    for p in people:
        members.setdefault(p.org.name, []).append(p)
    candidates = [m for m in members.values() if 2 <= len(m) <= 3 and not m[0].org.assembler]
    for group in rng.sample(candidates, min(len(candidates), max(2, round(len(people) / 130)))):
        for p in group:
            p.team = f"{core_name(p.org.name)} team"


def _make_sessions(rng: random.Random, people: list[Person]) -> list[SessionRow]:
    """Sessions with 1-2 speakers each, chosen among attendees of the field."""
    free = [p for p in people if not (p.host or p.team or p.star or p.french_only or p.org.assembler)]
    used_orgs: set[str] = set()
    result: list[SessionRow] = []
    for sid, title, track, tags in SESSIONS:
        fit = [p for p in free if not p.speaker and p.org.name not in used_orgs and set(tags) & set(p.sectors)]
        fit = fit or [p for p in free if not p.speaker and p.org.name not in used_orgs]
        speakers: list[Person] = []
        for country in rng.sample(("US", "CA"), 2)[: rng.choice((1, 2, 2))]:
            pool = [p for p in fit if p.country == country] or fit
            if pool:
                s = rng.choice(pool)
                fit = [p for p in fit if p.org.name != s.org.name]
                speakers.append(s)
        for s in speakers:
            s.speaker = True
            used_orgs.add(s.org.name)
        result.append((sid, title, track, [s.id for s in speakers], None))
    return result


def _presence_and_caps(rng: random.Random, people: list[Person]) -> None:
    """Some arrive late or leave early; a few cap their meetings."""
    for p in people:
        if p.speaker or p.host or p.team:
            continue
        r = rng.random()
        if r < 0.04:
            p.arrives = DAY2
        elif r < 0.07:
            p.arrives = datetime.combine(DAY2, time(12, 0))
        elif r < 0.10:
            p.departs = datetime.combine(DAY2, time(12, 0))
        elif r < 0.12:
            p.departs = DAY2
        r = rng.random()
        if r < 0.03:
            p.max_meetings = rng.choice((6, 8, 10))
        elif r < 0.05:
            p.max_per_day = rng.choice((4, 5, 6))


def _full_days(p: Person) -> list[date]:
    """Days the attendee is present from morning to evening (a bare date counts whole)."""
    first = p.arrives or DAY1
    last = p.departs or DAY3
    first_day = first.date() + timedelta(days=1) if isinstance(first, datetime) else first
    last_day = last.date() - timedelta(days=1) if isinstance(last, datetime) else last
    return [d for d in DAYS if first_day <= d <= last_day]


def _unavailable(rng: random.Random, people: list[Person]) -> None:
    for p in people:
        if p.speaker or p.host or rng.random() >= 0.06:
            continue
        days = _full_days(p)
        if not days:
            continue
        for day in rng.sample(days, 1 if rng.random() < 0.8 or len(days) < 2 else 2):
            start, end = rng.choice(UNAVAILABLE_WINDOWS)
            p.unavailable.append((day, _t(start), _t(end), rng.choice(UNAVAILABLE_REASONS)))
        p.unavailable.sort()


def _choose_sessions(rng: random.Random, people: list[Person], sessions: list[SessionRow]) -> list[SessionRow]:
    """Each attendee lists 0-3 sessions, by affinity; a third give an expected audience."""
    tags = {s[0]: set(s[3]) | {t[1] for t in TRACKS if t[0] == s[2]} for s in SESSIONS}
    ids = [s[0] for s in SESSIONS]
    for p in people:
        if p.host:
            continue
        wanted = rng.choices((0, 1, 2, 3), weights=(0.25, 0.35, 0.28, 0.12))[0]
        mine = set(p.sectors)
        weights = [5.0 if len(tags[i] & mine) > 1 else 2.0 if tags[i] & mine else 0.2 for i in ids]
        chosen: list[str] = []
        for _ in range(wanted):
            sid = rng.choices(ids, weights=weights)[0]
            if sid not in chosen:
                chosen.append(sid)
        p.sessions = sorted(chosen)
    listed = {i: 0 for i in ids}
    for p in people:
        for sid in p.sessions:
            listed[sid] += 1
    result = []
    for sid, title, track, speakers, _ in sessions:
        expected = None
        if rng.random() < 0.35:
            expected = max(20, math.ceil(listed[sid] * 1.2 / 10) * 10)
        result.append((sid, title, track, speakers, expected))
    return result


# ---------------------------------------------------------------------------
# Requests.


class TargetDrawer:
    """Draws whom an attendee asks for: stars, own subsectors, mostly across the border."""

    def __init__(self, people: list[Person]):
        groups: dict[tuple[str, str], list[Person]] = {}
        french: dict[str, list[Person]] = {}
        for p in people:
            for tag in p.sectors:
                groups.setdefault((tag, p.country), []).append(p)
            if "French" in p.languages:
                french.setdefault(p.sectors[0], []).append(p)
        self.buckets = {k: Bucket(v) for k, v in groups.items()}
        self.french = {k: Bucket(v) for k, v in french.items()}
        stars = [p for p in people if p.star]
        self.stars = Bucket(stars) if stars else None

    def draw(self, rng: random.Random, p: Person) -> Person | None:
        star_chance = 0.24 if "Automotive" in p.sectors else 0.03
        if self.stars and not p.star and not p.french_only and rng.random() < star_chance:
            return self.stars.draw(rng)
        r = rng.random()
        if r < 0.45 and len(p.sectors) > 1:
            tag = rng.choice(p.sectors[1:])
        elif r < 0.82:
            tag = p.sectors[0]
        else:
            tag = rng.choice(SECTOR_NAMES)
        if p.french_only:
            bucket = self.french.get(SECTOR_OF.get(tag, tag)) or self.french.get(p.sectors[0])
            return bucket.draw(rng) if bucket else None
        other = "CA" if p.country == "US" else "US"
        country = other if rng.random() < 0.78 else p.country
        bucket = self.buckets.get((tag, country)) or self.buckets.get((SECTOR_OF.get(tag, tag), country))
        return bucket.draw(rng) if bucket else None


def _can_ask(p: Person, q: Person) -> bool:
    return (
        p.org.name != q.org.name
        and p.party != q.party
        and bool(set(p.languages) & set(q.languages))
    )


def _to_cell(rng: random.Random, q: Person) -> str:
    """Whom to write in To: a team member's request often names the team."""
    return q.team if q.team and rng.random() < 0.5 else q.id


def _note(rng: random.Random, p: Person, q: Person) -> str:
    if rng.random() >= 0.04:
        return ""
    common = [t for t in q.sectors[1:] if t in SECTOR_OF] or [q.sectors[-1]]
    return rng.choice(NOTES).format(sub=rng.choice(common).lower())


def _request_count(rng: random.Random, p: Person) -> int:
    if p.star or p.host:
        return rng.randint(1, 4)
    if rng.random() < 0.05:
        return 0  # some only wait to be asked
    return min(30, round(rng.gammavariate(2.2, 3.15)))


def _make_requests(rng: random.Random, people: list[Person]) -> list[RequestRow]:
    drawer = TargetDrawer(people)
    asked: dict[tuple[str, str], int] = {}  # (from party, to party) -> row index
    rows: list[Draft] = []

    def add(p: Person, q: Person, priority: str) -> None:
        asked[(p.party, q.party)] = len(rows)
        rows.append((p, q, _to_cell(rng, q), priority, _note(rng, p, q)))

    for p in people:
        wanted = _request_count(rng, p)
        made = 0
        for _ in range(wanted * 3):
            if made == wanted:
                break
            q = drawer.draw(rng, p)
            if q is None or not _can_ask(p, q) or (p.party, q.party) in asked:
                continue
            add(p, q, _pick(rng, STAR_PRIORITY_MIX if q.star else PRIORITY_MIX))
            made += 1
    _add_mutual_and_never(rng, rows, asked, add)
    rows.sort(key=lambda r: r[0].index)  # as collected: grouped by who asks
    return [(p.id, to, priority, note) for p, _, to, priority, note in rows]


def _add_mutual_and_never(rng: random.Random, rows: list[Draft], asked: dict[tuple[str, str], int],
                          add: Callable[[Person, Person, str], None]) -> None:
    """Ask some pairs back (mutual), and let some popular people decline."""
    one_way = [r for r in rows if (r[1].party, r[0].party) not in asked]
    pairs = len(one_way) + (len(rows) - len(one_way)) // 2
    mutual = (len(rows) - len(one_way)) // 2
    rng.shuffle(one_way)
    never_left = round(pairs * NEVER_SHARE)
    # Declines first, mostly by stars, who get more requests than they can take.
    for p, q, *_ in sorted(one_way, key=lambda r: not r[1].star):
        if never_left == 0:
            break
        if (q.party, p.party) not in asked and not q.team:
            add(q, p, "Never")
            never_left -= 1
    replies: dict[str, int] = {}
    for p, q, *_ in one_way:
        if mutual >= pairs * MUTUAL_SHARE:
            break
        if (q.party, p.party) in asked or q.team or (q.star and replies.get(q.id, 0) >= 6):
            continue
        add(q, p, _pick(rng, PRIORITY_MIX))
        replies[q.id] = replies.get(q.id, 0) + 1
        mutual += 1


def _make_fixed(rng: random.Random, people: list[Person], requests: list[RequestRow], tables: int) -> list[FixedRow]:
    """A few meetings agreed beforehand, in the day-2 morning block, all valid."""
    by_id = {p.id: p for p in people}
    wanted = min(30, max(3, round(len(people) / 100)))
    declined = {frozenset((f, t)) for f, t, priority, _ in requests if priority == "Never"}
    day, start, end = FIXED_BLOCK
    starts = slot_starts(day, start, end)
    used: set[str] = set()
    result: list[FixedRow] = []
    candidates = [r for r in requests if r[1] in by_id and r[2] in ("High", "Medium")]
    rng.shuffle(candidates)
    for f, t, _, _ in candidates:
        if len(result) == wanted or len(result) >= len(starts) * tables:
            break
        a, b = by_id[f], by_id[t]
        simple = all(x.whole_event and not (x.host or x.team or x.speaker or x.unavailable) for x in (a, b))
        if not simple or f in used or t in used or frozenset((f, t)) in declined:
            continue
        k = len(result)
        table = max(1, tables - k // len(starts))  # the far end of the room, away from busy front tables
        result.append((f, t, day, starts[k % len(starts)], MEETING_ROOMS[0][0], f"T{table}"))
        used.update((f, t))
    return result


def _rooms(attendees: int) -> tuple[list[tuple[str, int, tuple[date, ...] | None]], list[tuple[str, int]]]:
    """Tables follow the head count; session rooms only grow (a small event keeps the real rooms)."""
    grow = max(1.0, attendees / 400)
    meeting: list[tuple[str, int, tuple[date, ...] | None]] = [
        (name, max(2, round(tables * attendees / 400)), days) for name, tables, days in MEETING_ROOMS
    ]
    session = [(name, round(seats * grow / 10) * 10) for name, seats in SESSION_ROOMS]
    return meeting, session


def generate(attendees: int = 400, seed: int = 2017) -> Sample:
    """The sample event as plain records (no Excel yet)."""
    if attendees < 20:
        raise ValueError("the sample needs at least 20 attendees")
    rng = random.Random(seed)
    people = _make_people(rng, attendees)
    _mark_hosts_and_teams(rng, people)
    sessions = _make_sessions(rng, people)
    _presence_and_caps(rng, people)
    _unavailable(rng, people)
    sessions = _choose_sessions(rng, people, sessions)
    requests = _make_requests(rng, people)
    meeting_rooms, session_rooms = _rooms(attendees)
    fixed = _make_fixed(rng, people, requests, meeting_rooms[0][1])
    return Sample(people, sessions, requests, fixed, meeting_rooms, session_rooms)


# ---------------------------------------------------------------------------
# Writing.

BOLD = Font(bold=True)
WIDTHS = {"Event": (24, 44), "Schedule": (12, 8, 8, 11, 38), "Rooms": (24, 10, 10, 8, 26),
          "Tracks": (32, 18, 64), "Sessions": (6, 58, 32, 14, 10, 12, 8, 18),
          "Attendees": (9, 24, 40, 36, 24, 48, 44, 16, 17, 17, 8, 8, 16, 36, 6),
          "Unavailable": (10, 12, 8, 8, 28), "Requests": (10, 36, 10, 56),
          "Fixed meetings": (12, 12, 12, 8, 18, 8)}


class SheetWriter:
    """A write-only sheet with a bold, frozen header row and typed cells."""

    def __init__(self, wb: Workbook, name: str):
        self.ws = wb.create_sheet(name)
        for i, width in enumerate(WIDTHS.get(name, ()), 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        headers = [c.name for c in SHEET[name.casefold()].columns]
        self.ws.append([self._cell(h, bold=True) for h in headers])

    def _cell(self, value: object, bold: bool = False, fmt: str | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        if bold:
            cell.font = BOLD
        if fmt:
            cell.number_format = fmt
        return cell

    def row(self, values: Iterable[object]) -> None:
        self.ws.append([self._typed(v) for v in values])

    def _typed(self, value: object) -> object:
        # Dates and times get readable formats; plain values stay fast.
        if isinstance(value, datetime):
            fmt = "yyyy-mm-dd hh:mm" if value.time() != time(0) else "yyyy-mm-dd"
            return self._cell(value, fmt=fmt)
        if isinstance(value, date):
            return self._cell(value, fmt="yyyy-mm-dd")
        if isinstance(value, time):
            return self._cell(value, fmt="hh:mm")
        return value


def _joined(items: Iterable[str]) -> str | None:
    text = "; ".join(items)
    return text or None


def _write_registration(wb: Workbook, s: Sample) -> None:
    event = SheetWriter(wb, "Event")
    for row in (("Name", EVENT_NAME), ("Venue", VENUE), ("Time zone", "America/Toronto"),
                ("Meeting minutes", MEETING_MINUTES), ("Buffer minutes", BUFFER_MINUTES),
                ("Max meetings per day", MAX_PER_DAY), ("Paper size", "Letter")):
        event.row(row)
    schedule = SheetWriter(wb, "Schedule")
    for day, start, end, activity, label in SCHEDULE:
        schedule.row((day, _t(start), _t(end), activity, label))
    rooms = SheetWriter(wb, "Rooms")
    for name, tables, days in s.meeting_rooms:
        rooms.row((name, "Meetings", None, tables, _joined(d.isoformat() for d in days or ())))
    for name, seats in s.session_rooms:
        rooms.row((name, "Sessions", seats, None, None))
    tracks = SheetWriter(wb, "Tracks")
    for track_row in TRACKS:
        tracks.row(track_row)
    sessions = SheetWriter(wb, "Sessions")
    for sid, title, track, speakers, expected in s.sessions:
        sessions.row((sid, title, track, _joined(speakers), expected))
    _write_people(wb, s.people)
    fixed = SheetWriter(wb, "Fixed meetings")
    for meeting in s.fixed:
        fixed.row(meeting)


def _write_people(wb: Workbook, people: list[Person]) -> None:
    sheet = SheetWriter(wb, "Attendees")
    for p in people:
        sheet.row((p.id, p.name, p.org.name, p.title, p.org.delegation.name, _joined(p.sectors), p.email,
                   _joined(p.languages), p.arrives, p.departs, p.max_meetings, p.max_per_day,
                   _joined(p.sessions), p.team, "yes" if p.host else None))
    unavailable = SheetWriter(wb, "Unavailable")
    for p in people:
        for day, start, end, reason in p.unavailable:
            unavailable.row((p.id, day, start, end, reason))


def _write_requests(wb: Workbook, s: Sample) -> None:
    sheet = SheetWriter(wb, "Requests")
    for row in s.requests:
        sheet.ws.append([v or None for v in row])


def _save(wb: Workbook, path: Path) -> Path:
    # A fixed creation date keeps two runs with one seed as alike as openpyxl allows.
    wb.properties.created = datetime(2017, 5, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_example(path: str | Path, attendees: int = 400, seed: int = 2017, split: bool = False) -> list[Path]:
    """Write the sample event: one workbook at ``path``, or with ``split`` two
    beside it, ``<stem>-registration.xlsx`` and ``<stem>-requests.xlsx``."""
    path = Path(path)
    sample = generate(attendees, seed)
    if not split:
        wb = Workbook(write_only=True)
        _write_registration(wb, sample)
        _write_requests(wb, sample)
        return [_save(wb, path)]
    registration, requests = Workbook(write_only=True), Workbook(write_only=True)
    _write_registration(registration, sample)
    _write_requests(requests, sample)
    return [
        _save(registration, path.with_name(f"{path.stem}-registration.xlsx")),
        _save(requests, path.with_name(f"{path.stem}-requests.xlsx")),
    ]
