"""A built-in synthetic news corpus, for demos, charts, tests and benchmarks.

The sample is generated, never fetched: every provider is invented and every
provider domain ends in ``.example``, so nothing here can be mistaken for real
reporting.  It is shaped like the real corpora newsnb reads (see the record
format guide), so that the analyses analysts run in the notebooks have
something to find:

* 12 topics of uneven popularity, 1-3 per record, that co-occur the way real
  ones do (AI with Computer Vision, Robotics and Privacy; Cybersecurity with
  Privacy and Cloud ...);
* ~60 providers with a long tail of small ones, each leaning to some topics; a
  few start late, stop early ("went quiet") or pause for a few months;
* 2.5 years of dates (2022-01-01 .. 2024-06-30) with a weekday rhythm, mild
  growth, quieter holidays and ~10 news bursts where one topic spikes;
* syndication: some stories are published by 2-4 providers within two days
  under the same or nearly the same title; ``related`` items that point at
  other records of the corpus or are shared between articles, and (rarely) the
  same related URL twice under one article, as in the seed records;
* the awkward parts of real data: ``heat: -1`` (unknown), videos with an
  untrusted ``<iframe>`` in ``featuredContent`` and sometimes no ``webUrl``,
  amp URLs, titles with quotes, ``|``, ``<script>`` and non-ASCII text, and
  rare re-crawls (the same story twice under two file names).

:func:`record_texts` streams ``(relative_path, text)`` pairs without holding
the corpus in memory; :func:`write_sample` writes them to a folder.  Output is
a pure function of ``(n, seed)``: byte-identical across runs (only the stdlib's
``random.Random`` and plain float arithmetic are used; nothing is fetched).
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import itertools
import math
import os
import pathlib
import random
import re
import string
import unicodedata
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from newsnb.corpus import Corpus

__all__ = ["END", "START", "TOPICS", "record_texts", "sample", "write_sample"]

#: First and last day of the sample's publication dates (inclusive, UTC).
START = dt.date(2022, 1, 1)
END = dt.date(2024, 6, 30)

# -- the invented world: topics, providers, bursts ------------------------------

#: Topics and their popularity as the first topic of a record (uneven on purpose).
_TOPIC_WEIGHTS: dict[str, float] = {
    "AI": 28,
    "Cybersecurity": 15,
    "Cloud": 11,
    "Privacy": 8,
    "Semiconductors": 7,
    "Computer Vision": 6,
    "Robotics": 6,
    "Climate Tech": 6,
    "Health Tech": 5,
    "Fintech": 5,
    "Space": 3,
    "Quantum": 2,
}
#: The 12 topic names, most popular first.
TOPICS: tuple[str, ...] = tuple(_TOPIC_WEIGHTS)

# Which topics come as second/third topic given the first one (relative weights).
_COOCCURRENCE: dict[str, dict[str, float]] = {
    "AI": {"Computer Vision": 6, "Robotics": 3, "Privacy": 2.5, "Semiconductors": 2,
           "Cloud": 1.5, "Health Tech": 1, "Cybersecurity": 1, "Fintech": 0.5, "Quantum": 0.3},
    "Computer Vision": {"AI": 20, "Privacy": 5, "Robotics": 2, "Cybersecurity": 0.5},
    "Robotics": {"AI": 10, "Computer Vision": 4, "Health Tech": 1, "Space": 0.5},
    "Cybersecurity": {"Privacy": 8, "Cloud": 6, "AI": 1.5, "Fintech": 1.5, "Health Tech": 0.5,
                      "Quantum": 0.3},
    "Cloud": {"Cybersecurity": 5, "AI": 4, "Semiconductors": 2, "Climate Tech": 0.5,
              "Privacy": 0.5},
    "Climate Tech": {"Space": 2, "AI": 1, "Semiconductors": 1, "Cloud": 0.5},
    "Semiconductors": {"AI": 5, "Cloud": 2, "Quantum": 1.5, "Robotics": 0.3},
    "Privacy": {"Cybersecurity": 8, "AI": 4, "Computer Vision": 4, "Health Tech": 1.5,
                "Fintech": 1},
    "Quantum": {"Semiconductors": 3, "Cybersecurity": 2.5, "AI": 1, "Cloud": 1},
    "Space": {"Climate Tech": 2, "Robotics": 1, "AI": 0.5, "Semiconductors": 0.5},
    "Health Tech": {"AI": 4, "Privacy": 4, "Robotics": 1, "Computer Vision": 0.5},
    "Fintech": {"Cybersecurity": 4, "Privacy": 2, "AI": 1.5, "Cloud": 0.5},
}  # fmt: skip

# (name, domain, leaning topics).  Order is popularity rank: weights follow a
# Zipf law, so the first few providers dominate and the tail is long.
# No leaning = a general outlet that covers every topic evenly.
_PROVIDERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Northbridge Times", "northbridge-times.example", ()),
    ("The Daily Circuit", "dailycircuit.example", ("AI", "Semiconductors", "Cloud")),
    ("Meridian Post", "meridianpost.example", ()),
    ("Tech Lantern", "techlantern.example", ("AI", "Cloud", "Cybersecurity")),
    ("Global Wire Service", "globalwire.example", ()),
    ("Harbor Ledger", "harborledger.example", ("Fintech",)),
    ("Signal & Noise", "signal-and-noise.example", ("AI", "Privacy")),
    ("Byte Harbor", "byteharbor.example", ("Cloud", "Cybersecurity")),
    ("Circuit Review", "circuitreview.example", ("Semiconductors",)),
    ("Open Sky Journal", "openskyjournal.example", ("Space", "Climate Tech")),
    ("The Civic Observer", "civicobserver.example", ("Privacy",)),
    ("Cobalt Street Review", "cobaltstreet.example", ("Fintech",)),
    ("Greenline Report", "greenline-report.example", ("Climate Tech",)),
    ("Vector Weekly", "vectorweekly.example", ("AI", "Computer Vision")),
    ("Pixel & Lens", "pixelandlens.example", ("Computer Vision",)),
    ("Actuator Daily", "actuatordaily.example", ("Robotics",)),
    ("Firewall Dispatch", "firewalldispatch.example", ("Cybersecurity",)),
    ("Cloudward", "cloudward.example", ("Cloud",)),
    ("Qubit Quarterly", "qubitquarterly.example", ("Quantum",)),
    ("Orbital Notes", "orbitalnotes.example", ("Space",)),
    ("Pulse Medical Review", "pulsemedical.example", ("Health Tech",)),
    ("Ledger Line", "ledgerline.example", ("Fintech",)),
    ("Silicon Tide", "silicontide.example", ("Semiconductors",)),
    ("Data Shield News", "datashield.example", ("Privacy", "Cybersecurity")),
    ("Riverbend Herald", "riverbend-herald.example", ()),
    ("Eastport Gazette", "eastportgazette.example", ()),
    ("Lakeshore Tribune", "lakeshoretribune.example", ()),
    ("Summit Business Daily", "summitbusiness.example", ("Fintech", "Cloud", "Semiconductors")),
    ("Kite & Key", "kiteandkey.example", ("Cybersecurity",)),
    ("Frontier Science Wire", "frontierscience.example", ("Quantum", "Space", "Climate Tech")),
    ("The Automation Beat", "automationbeat.example", ("Robotics", "AI")),
    ("Neural Notebook", "neuralnotebook.example", ("AI",)),
    ("Carbon Ledger", "carbonledger.example", ("Climate Tech",)),
    ("Westgate Chronicle", "westgatechronicle.example", ()),
    ("Copperfield Courier", "copperfieldcourier.example", ()),
    ("Stackline", "stackline.example", ("Cloud",)),
    ("Vista TV News", "vistatv.example", ()),
    ("Signal Hill TV", "signalhill.example", ("AI", "Robotics", "Space")),
    ("Clinic Wire", "clinicwire.example", ("Health Tech",)),
    ("MoneyGrid", "moneygrid.example", ("Fintech",)),
    ("Patchnotes Security", "patchnotes-security.example", ("Cybersecurity",)),
    ("The Fabless Letter", "fablessletter.example", ("Semiconductors",)),
    ("Lumen Daily", "lumendaily.example", ()),
    ("Hollow Oak Times", "hollowoaktimes.example", ()),
    ("Atlas Policy Review", "atlaspolicy.example", ("Privacy", "AI")),
    ("Deep Orbit", "deeporbit.example", ("Space",)),
    ("Machine Vision Today", "machinevisiontoday.example", ("Computer Vision",)),
    ("Robotics Ledger", "roboticsledger.example", ("Robotics",)),
    ("Quantum Frontier", "quantumfrontier.example", ("Quantum",)),
    ("Sunfield Energy News", "sunfieldenergy.example", ("Climate Tech",)),
    ("Ward 9 Health", "ward9health.example", ("Health Tech",)),
    ("Bitstream Bulletin", "bitstreambulletin.example", ()),
    ("Metro Tech Desk", "metrotechdesk.example", ("AI", "Cloud")),
    ("Pinecrest Post", "pinecrestpost.example", ()),
    ("The Upload", "theupload.example", ("AI", "Cloud")),
    ("Kernel & Core", "kernelandcore.example", ("Semiconductors", "Cloud")),
    ("Paywave Insider", "paywaveinsider.example", ("Fintech",)),
    ("Sentinel Watch", "sentinelwatch.example", ("Cybersecurity", "Privacy")),
    ("Tidewater Review", "tidewaterreview.example", ()),
    ("Café Numérique", "cafe-numerique.example", ("AI", "Privacy")),
    ("Øresund Tech", "oresundtech.example", ("Climate Tech", "Cloud")),
    ("Granite Bay Gazette", "www.granitebaygazette.example", ()),
)

# Providers whose life in the sample is not the whole span: (first day, last
# day) of each active period.  Late starters, ones that went quiet, and gaps.
_ACTIVE: dict[str, tuple[tuple[dt.date, dt.date], ...]] = {
    "Neural Notebook": ((dt.date(2022, 11, 15), END),),
    "The Upload": ((dt.date(2023, 4, 1), END),),
    "Quantum Frontier": ((dt.date(2023, 1, 9), END),),
    "Paywave Insider": ((dt.date(2023, 9, 1), END),),
    "Café Numérique": ((dt.date(2022, 6, 1), END),),
    "Hollow Oak Times": ((START, dt.date(2023, 6, 30)),),
    "Copperfield Courier": ((START, dt.date(2023, 10, 15)),),
    "Robotics Ledger": ((START, dt.date(2024, 1, 31)),),
    "Riverbend Herald": ((START, dt.date(2023, 1, 31)), (dt.date(2023, 4, 16), END)),
    "Stackline": ((START, dt.date(2022, 6, 30)), (dt.date(2022, 10, 1), END)),
    "Lakeshore Tribune": ((START, dt.date(2023, 12, 14)), (dt.date(2024, 2, 16), END)),
}
# Video-heavy providers (share of their records that are videos); others: 1.2%.
_VIDEO_RATE = {"Vista TV News": 0.35, "Signal Hill TV": 0.5}
_BASE_VIDEO_RATE = 0.012
# Providers that publish amp pages; their amp rate is scaled to ~6% overall.
_AMP_PROVIDERS = ("Meridian Post", "Lakeshore Tribune", "Eastport Gazette", "Westgate Chronicle")
_AMP_SHARE = 0.06

# News bursts: (topic, first day, days, extra volume relative to a normal day,
# themes the burst's stories are about).
_BURSTS: tuple[tuple[str, dt.date, int, float, tuple[str, ...]], ...] = (
    ("Semiconductors", dt.date(2022, 8, 1), 10, 0.5, ("chip subsidies", "new chip factories")),
    ("Space", dt.date(2022, 11, 14), 8, 0.35, ("lunar missions", "moon rockets")),
    ("AI", dt.date(2022, 12, 1), 16, 1.2, ("AI chatbots", "conversational AI", "chatbot search")),
    ("Fintech", dt.date(2023, 3, 10), 12, 0.6, ("deposit apps", "bank-run alerts")),
    ("Cybersecurity", dt.date(2023, 5, 29), 14, 0.7, ("file-transfer flaws", "mass data theft")),
    ("Computer Vision", dt.date(2023, 6, 1), 10, 0.5, ("facial recognition",
                                                       "live facial recognition")),
    ("Climate Tech", dt.date(2023, 11, 30), 14, 0.5, ("climate summit pledges",
                                                      "methane monitoring")),
    ("Quantum", dt.date(2023, 12, 4), 7, 0.3, ("error-corrected qubits",)),
    ("Health Tech", dt.date(2024, 2, 21), 9, 0.4, ("claims-processing outages",
                                                   "pharmacy system outages")),
    ("AI", dt.date(2024, 5, 13), 10, 0.8, ("multimodal assistants", "voice assistants")),
)  # fmt: skip

# -- vocabulary for titles and excerpts ------------------------------------------

# topic -> (things, actors, companies, venues).  Things are noun phrases that
# read well in any template ("new rules for X", "the rise of X"); companies are
# invented; venues are places that only make sense for that topic.
_VOCAB: dict[str, tuple[tuple[str, ...], ...]] = {
    "AI": (
        ("large language models", "generative AI", "AI chatbots", "AI copilots",
         "open-weight models", "AI agents", "foundation models", "AI coding assistants",
         "synthetic media", "AI model audits", "AI search", "deepfake detection"),
        ("Regulators", "Lawmakers", "Researchers", "Startups", "Publishers", "Teachers",
         "Artists"),
        ("Quorvia", "Heliotrope Labs", "Nimbara AI", "Lumetra", "Brightfold", "Cortexa",
         "Mindloom"),
        ("in newsrooms", "in classrooms", "in call centres"),
    ),
    "Computer Vision": (
        ("facial recognition", "smart cameras", "image recognition", "licence-plate readers",
         "visual inspection systems", "video analytics", "object detection", "depth sensors",
         "crowd-counting cameras", "emotion recognition"),
        ("Police forces", "Retailers", "Schools", "Airports", "Privacy advocates", "Stadiums"),
        ("Optiqa", "Pixelwright", "Vistaline Systems", "Lumetra", "Iriscope", "Focalpoint AI",
         "Clearframe"),
        ("in schools", "at airports", "in shops", "at football grounds"),
    ),
    "Robotics": (
        ("warehouse robots", "humanoid robots", "robot arms", "delivery robots",
         "surgical robots", "autonomous forklifts", "cobots", "inspection drones",
         "robotic lawnmowers", "farm robots"),
        ("Manufacturers", "Hospitals", "Farmers", "Unions", "Logistics firms", "Carmakers"),
        ("Pallas Robotics", "Kestrel Dynamics", "Servara", "Gantry Works", "Mechanon",
         "Ambulo", "Tinkerforge Robotics"),
        ("on the factory floor", "in warehouses", "on farms"),
    ),
    "Cybersecurity": (
        ("ransomware", "phishing campaigns", "zero-day exploits", "password managers",
         "supply-chain attacks", "botnets", "data breaches", "bug bounties", "passkeys",
         "DDoS attacks", "spyware"),
        ("Hospitals", "Banks", "Security researchers", "City councils", "Insurers",
         "Water utilities"),
        ("Cipherlane", "Bastionly", "Redoubt Security", "Corvane", "Moatwork", "Sentrix",
         "Palisade Cyber"),
        ("in hospitals", "at city hall", "in schools"),
    ),
    "Cloud": (
        ("cloud computing", "data centres", "serverless platforms", "multicloud strategies",
         "edge computing", "cloud outages", "cloud pricing", "GPU clusters",
         "sovereign clouds", "cloud egress fees"),
        ("Enterprises", "Startups", "Governments", "Developers", "Retailers", "Banks"),
        ("Stratocloud", "Nimbusly", "Arcwell Systems", "Tessaline", "Cumulo", "Hyperlane",
         "Driftbase"),
        (),
    ),
    "Climate Tech": (
        ("carbon capture", "grid-scale batteries", "heat pumps", "green hydrogen",
         "solar farms", "EV charging networks", "carbon accounting software", "climate models",
         "offshore wind", "smart thermostats"),
        ("Utilities", "Cities", "Farmers", "Investors", "Climate scientists", "Homeowners"),
        ("Greenmantle Energy", "Solvaris", "Verdance", "Tidemark Power", "Carbonfold",
         "Helion Grid", "Northwind Renewables"),
        ("on farms", "in coastal towns", "in new housing estates"),
    ),
    "Semiconductors": (
        ("chip factories", "2-nanometre chips", "AI accelerators", "memory chips",
         "chip export controls", "RISC-V designs", "advanced packaging", "wafer supplies",
         "chip design tools", "power semiconductors"),
        ("Chipmakers", "Carmakers", "Governments", "Device makers", "Engineers"),
        ("Nanoforge", "Ferrowave", "Siliquent", "Kernelite", "Gatewell Semiconductor",
         "Photonix", "Diecast Micro"),
        (),
    ),
    "Privacy": (
        ("data protection rules", "biometric data", "location tracking", "ad tracking",
         "consent banners", "children’s online privacy", "encrypted messaging", "data brokers",
         "age verification", "workplace monitoring"),
        ("Regulators", "Consumer groups", "Lawmakers", "Parents", "Privacy advocates",
         "Employees"),
        ("Veilpoint", "Quorvia", "Hushmark", "Brightfold", "Lockstep Data", "Greyfield",
         "Murmur Messaging"),
        ("in schools", "at work", "online"),
    ),
    "Quantum": (
        ("quantum computers", "qubits", "quantum error correction", "post-quantum encryption",
         "quantum sensors", "quantum networks", "quantum simulators", "quantum software"),
        ("Physicists", "Researchers", "Governments", "Banks", "Universities"),
        ("Qubitron", "Entangle Labs", "Coherent Nine", "Planck Works", "Superpose",
         "Ionquay", "Bloch Systems"),
        ("in university labs",),
    ),
    "Space": (
        ("satellite internet", "reusable rockets", "lunar landers", "space debris",
         "Earth-observation satellites", "space tourism", "launch sites", "space stations",
         "asteroid mining"),
        ("Space agencies", "Astronomers", "Startups", "Governments", "Airlines"),
        ("Skyreach Aerospace", "Orbitra", "Apogee Launch", "Kestrel Dynamics", "Perigee Labs",
         "Farside Space", "Starloom"),
        ("in orbit", "on the Moon"),
    ),
    "Health Tech": (
        ("telehealth", "wearable monitors", "digital therapeutics", "AI diagnostics",
         "electronic health records", "remote patient monitoring", "health apps",
         "continuous glucose monitors", "hospital-at-home programmes"),
        ("Hospitals", "Doctors", "Insurers", "Patients", "Health regulators", "Nurses"),
        ("Medivane", "Ondine Health", "Carewell Digital", "Vitalis Labs", "Pulsewise",
         "Healix", "Wardline"),
        ("in hospitals", "in care homes", "in rural clinics"),
    ),
    "Fintech": (
        ("digital wallets", "buy now, pay later", "instant payments", "stablecoins",
         "open banking", "neobanks", "fraud detection", "central bank digital currencies",
         "cross-border payments", "robo-advisers"),
        ("Banks", "Regulators", "Consumers", "Small businesses", "Investors", "Retailers"),
        ("Vantora Bank", "Paylume", "Coinmere", "Ledgerly", "Tallyhq", "Remitra",
         "Fernwood Pay"),
        ("at the checkout", "in corner shops"),
    ),
}  # fmt: skip

_PLACES = (
    "in Europe", "across Asia", "in the EU", "in California", "in Brazil", "in São Paulo",
    "in Zürich", "in Montréal", "in rural areas", "in Lagos", "in Seoul", "in Bengaluru",
    "in the UK", "in Texas", "in Nairobi", "in Jakarta", "in Mexico City", "in Kraków",
    "in Reykjavík", "in Ontario", "in Bavaria", "in Singapore", "in Chile", "in Queensland",
    "in Ohio", "in Lyon", "in Japan", "in India", "across Africa", "in Scotland",
)  # fmt: skip

# Title templates.  Slots: {A} actor, {a} actor lower-case, {T}/{Tc} thing
# (capitalised), {T2} a thing of another topic, {C}/{C2} companies, {P} place,
# {N} millions, {B} billions, {J} jobs, {K} thousands, {M} a model name,
# {Y} a year, {pct} a percentage, {day} the weekday, {date} the day and month,
# {topic} the first topic.
# Every template has several slots so that unrelated stories rarely share a
# title by chance: shared titles should mostly mean syndication.
_TITLES = (
    "{A} weigh new rules for {T} {P}",
    "{C} unveils new {T} for {a} {P}",
    "{C} raises ${N} million to expand {T} {P}",
    "Why {a} {P} can’t stop talking about {T}",
    "Study: {T} could save {a} ${N} million a year",
    "{Tc} market set to reach ${B} billion by {Y}",
    "Inside the race at {C} to build better {T} {P}",
    "{C} and {C2} team up on {T} {P}",
    "How {a} {P} are using {T}",
    "Critics warn {T} could leave {a} {P} behind",
    "{C} cuts {J} jobs as demand for {T} cools",
    "Q&A: what {T} means for {a} {P}",
    "Opinion | Why {a} {P} are not ready for {T}",
    "{A} push back against {T} {P}",
    "‘It’s a game changer’: {a} {P} embrace {T}",
    "{C} faces probe {P} over {T}",
    "{A} {P} call for a pause on {T}",
    'Is "{T}" just hype? {C} bets ${B} billion it is not',
    "Explainer: why {T} {P} matters to {a}",
    "{C} to invest ${B} billion in {T} {P}",
    "Pilot brings {T} to {a} {P}",
    "{C} delays {T} roll-out {P} after backlash",
    "{A} split over {T} as costs rise {pct}%",
    "The {topic} week, {date}: {T}, {T2} and {C}",
    "{C} bets on {T} as {a} {P} hold back",
)
_TOPIC_TITLES: dict[str, tuple[str, ...]] = {
    "Cybersecurity": (
        "Researchers find <script> injection flaw in {C} chat widget used by {K},000 sites",
        "{C} patches critical bug after ransomware gang leaks {K}GB of data",
        "{A} {P} hit by cyberattack on {day}: what we know so far",
    ),
    "AI": ("{C} says its new model, {M}, “reasons” {pct}% better — experts are not so sure",),
    "Space": ("{C} scrubs launch of {K} satellites again as weather closes in",),
}
_VIDEO_TITLES = (
    "Watch: {Tc} in action {P}",
    "Video: {C} demos {T} for {a}",
    "{Tc}, explained in {K} minutes",
)
_MODEL_NAMES = ("Atlas", "Corvid", "Lyra", "Tern", "Sable", "Osprey", "Quill", "Vesper")

# Excerpt sentences; same slots plus {month} (a month ahead) and {Q} (quarter).
_SENTENCES = (
    "{C} said on {day} it would expand {T} {P}, a move analysts said could reshape the market.",
    "The announcement comes as {a} face growing pressure to adopt {T}.",
    "Critics say the rules do not go far enough to protect {a}.",
    "The company did not disclose financial terms.",
    "Early trials {P} showed mixed results, according to a report published this week.",
    "Spending on {T} rose {pct}% last year, according to industry estimates.",
    "“We are only at the beginning,” said a spokesperson for {C}.",
    "Officials expect a decision on {T} by the end of the year.",
    "The deal with {C2} is expected to close in the {Q} quarter.",
    "It is the latest sign that {T2} and {T} are converging.",
    "{A} have until {month} to respond to the consultation.",
    "Shares in {C} rose {pct}% in early trading on {day}.",
    "The findings add to a growing debate over {T} and {T2}.",
    "{A} {P} told reporters the plans were “rushed”.",
    "About {K},000 people are expected to be affected, officials said.",
)
_BULLETS = "Here are the key points:  • {Tc}  • {T2c}  • What comes next"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_IMAGE_SIZES = ((1200, 630), (1200, 800), (1600, 900), (600, 360), (752, 423), (1280, 720),
                (1024, 576), (800, 450))  # fmt: skip
# Hour-of-day weights (UTC): newsrooms publish mostly in office hours.
_HOURS = (1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 7, 7, 7, 7, 6, 5, 4, 3, 3, 2, 2, 1)
_WEEKDAY_FACTOR = (1.0, 1.05, 1.05, 1.0, 0.95, 0.45, 0.35)

# Shares (probabilities) of the record-level features.
_TOPIC_COUNT_CUM = (0.48, 0.85, 1.0)  # 1, 2 or 3 topics
_SYNDICATE_RATE = 0.05  # an original story that other providers also run
_RECRAWL_RATE = 0.002  # a record re-emitted under a second file name
_RELATED_RATE = 0.40
_RELATED_COUNT_CUM = (30, 52, 68, 80, 90, 100)  # cumulative weights of 1..6 related items
_RELATED_TWICE_RATE = 0.03  # the same related URL twice under one article
_HEAT_UNKNOWN_RATE = 0.05
_PUBLISHED_RATE = 0.90
_VIDEO_NO_WEB_URL_RATE = 0.5


# -- YAML helpers ------------------------------------------------------------------

_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 .'-]*[A-Za-z0-9.]")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _q(text: str) -> str:
    """A YAML double-quoted scalar: only ``\\``, ``"`` and control characters need escapes."""
    # Chained str.replace: ~10x faster than str.translate when nothing matches.
    return (
        '"'
        + text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        + '"'
    )


@cache
def _slots(template: str) -> tuple[str, ...]:
    """The distinct slot names of a template, in order."""
    names = (name for _, name, _, _ in string.Formatter().parse(template) if name)
    return tuple(dict.fromkeys(names))


def _scalar(text: str) -> str:
    """Plain like the real files (``name: Computer Weekly``) when safe, else quoted."""
    if _PLAIN_SAFE.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return _q(text)


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _slug(title: str, limit: int = 60) -> str:
    """A URL and file-name slug: ASCII, lower-case, dashes, cut at a word boundary."""
    if not title.isascii():  # "Zürich" -> "zurich"; curly quotes vanish
        title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_ALNUM.sub("-", title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "untitled"


def _stamp(when: dt.datetime) -> str:
    """``2023-06-01T09:00:00Z`` (faster than strftime, which matters at 10^5 records)."""
    return (
        f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
        f"T{when.hour:02d}:{when.minute:02d}:{when.second:02d}Z"
    )


def _cum(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


# -- the world: everything that does not depend on the seed ------------------------


@dataclass(eq=False)
class _Provider:
    name: str
    domain: str
    leaning: tuple[str, ...]
    weight: float
    img_host: str
    quality_scale: float
    video_rate: float
    amp_rate: float = 0.0
    # Pre-rendered YAML (the block under a record, the block inside a related item).
    block: str = ""
    related_block: str = ""


@dataclass(eq=False)
class _World:
    days: list[dt.date]
    day_iso: list[str]
    day_cum: list[float]
    # day index -> (probability that a record of that day belongs to a burst,
    # cumulative weights of the day's bursts, [(topic, themes)] of those bursts)
    bursts: dict[int, tuple[float, list[float], list[tuple[str, tuple[str, ...]]]]]
    topic_cum: list[float]
    cooc: dict[str, tuple[list[str], list[float]]]
    providers: list[_Provider]
    # Provider choice tables: epoch boundaries (day indices) and, per epoch and
    # topic, the candidate providers with cumulative weights.
    epoch_starts: list[int]
    by_epoch_topic: list[dict[str, tuple[list[_Provider], list[float]]]]
    hours_cum: list[float] = field(default_factory=lambda: _cum(_HOURS))


@cache
def _world() -> _World:
    """Build the fixed world once (providers, calendars, lookup tables)."""
    # A fixed generator: the providers' traits are part of the sample's identity,
    # the same for every seed, so demos can name them.
    traits = random.Random(20220101)
    n_days = (END - START).days + 1
    days = [START + dt.timedelta(days=i) for i in range(n_days)]

    providers: list[_Provider] = []
    for rank, (name, domain, leaning) in enumerate(_PROVIDERS):
        host = domain.removeprefix("www.")
        prov = _Provider(
            name=name,
            domain=domain,
            leaning=leaning,
            weight=1.0 / (rank + 1.5),
            img_host=f"img.{host}",
            quality_scale=round(traits.uniform(0.6, 1.5), 2),
            video_rate=_VIDEO_RATE.get(name, _BASE_VIDEO_RATE),
        )
        lines = [f"  name: {_scalar(name)}", f"  domain: {domain}"]
        if traits.random() < 0.4:  # some providers ship a logo, like microsoft.com does
            lines += [
                "  images:",
                f'    - url: "https://{prov.img_host}/logo-50x50.png"',
                "      width: 50",
                "      height: 50",
            ]
        prov.block = "provider:\n" + "\n".join(lines) + "\n"
        prov.related_block = f"    provider:\n      name: {_scalar(name)}\n      domain: {domain}\n"
        providers.append(prov)
    total_weight = sum(p.weight for p in providers)
    amp = [p for p in providers if p.name in _AMP_PROVIDERS]
    amp_rate = min(0.95, _AMP_SHARE * total_weight / sum(p.weight for p in amp))
    for prov in amp:
        prov.amp_rate = amp_rate

    # Day weights: weekday rhythm x mild growth x quiet holidays, plus bursts.
    base = []
    for i, day in enumerate(days):
        weight = _WEEKDAY_FACTOR[day.weekday()] * (1.0 + 0.6 * i / n_days)
        if (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 2):
            weight *= 0.55
        elif day.month == 8:
            weight *= 0.85
        base.append(weight)
    extra: dict[int, list[tuple[float, str, tuple[str, ...]]]] = {}
    for topic, first, length, boost, themes in _BURSTS:
        start = (first - START).days
        for k in range(length):
            # A burst rises fast and fades: strongest on its 2nd day.
            shape = min(1.0, (k + 1) / 2) * (1.0 - k / (length + 1))
            extra.setdefault(start + k, []).append((boost * shape, topic, themes))
    weights = []
    bursts = {}
    for i, weight in enumerate(base):
        spikes = extra.get(i)
        if spikes:
            total = sum(s for s, _, _ in spikes)
            bursts[i] = (
                total / (1.0 + total),
                _cum([s for s, _, _ in spikes]),
                [(t, th) for _, t, th in spikes],
            )
            weight *= 1.0 + total
        weights.append(weight)

    cooc = {t: (list(c), _cum(list(c.values()))) for t, c in _COOCCURRENCE.items()}

    # Epochs: the day ranges over which the set of active providers is constant.
    cuts = {0}
    for periods in _ACTIVE.values():
        for first, last in periods:
            cuts.add((first - START).days)
            cuts.add((last - START).days + 1)
    epoch_starts = sorted(c for c in cuts if 0 <= c < n_days)
    by_epoch_topic = []
    for start in epoch_starts:
        day = days[start]
        active = [
            p
            for p in providers
            if p.name not in _ACTIVE or any(a <= day <= b for a, b in _ACTIVE[p.name])
        ]
        tables = {}
        for topic in TOPICS:
            # Specialists write mostly on their topics; generalists on everything.
            ws = [
                p.weight * (6.0 if topic in p.leaning else 1.0 if not p.leaning else 0.2)
                for p in active
            ]
            tables[topic] = (active, _cum(ws))
        by_epoch_topic.append(tables)

    return _World(
        days=days,
        day_iso=[d.isoformat() for d in days],
        day_cum=_cum(weights),
        bursts=bursts,
        topic_cum=_cum(list(_TOPIC_WEIGHTS.values())),
        cooc=cooc,
        providers=providers,
        epoch_starts=epoch_starts,
        by_epoch_topic=by_epoch_topic,
    )


# -- the generator -----------------------------------------------------------------


@dataclass(eq=False)
class _Story:
    """What a related item needs to know about a story (in or outside the corpus)."""

    title: str
    excerpt: str
    when: str  # publishedDateTime as written
    day: int  # day index, to keep related items close in time
    url: str
    amp: str | None
    cdn: str | None
    kind: str
    provider: _Provider
    quality: int
    image: tuple[str, int, int, bool] | None
    # The rendered related item around its quality line, cached: corpus and
    # external stories are listed under many articles.
    head: str = ""
    tail: str = ""


@dataclass(eq=False)
class _Copy:
    """A syndicated copy waiting for its date to come up in the stream."""

    due: dt.datetime
    title: str
    excerpt: str
    topics: list[str]
    exclude: set[str]


@dataclass(eq=False)
class _Article:
    index: int
    when: dt.datetime
    day: int
    topics: list[str]
    provider: _Provider
    title: str
    excerpt: str
    kind: str
    in_burst: bool


class _Generator:
    """Streams records; state is bounded (recent stories, pending copies)."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.world = _world()
        self.width = max(6, len(str(n - 1)))
        self.pending: list[_Copy] = []
        # Recent stories per topic, for related items: corpus records and
        # external stories (which get shared between articles).
        self.recent: dict[str, deque[_Story]] = {t: deque(maxlen=40) for t in TOPICS}
        self.external: dict[str, deque[_Story]] = {t: deque(maxlen=30) for t in TOPICS}
        self.last_texts: deque[tuple[int, str, str]] = deque(maxlen=50)  # (day, slug, text)

    # -- random helpers --

    def pick(self, options: Sequence[str]) -> str:
        return options[int(self.rng.random() * len(options))]

    def subject(self, topics: list[str], theme: tuple[str, ...] | None) -> tuple[str, str, str]:
        """What a story is about: (thing, actor, company), shared by its title and excerpt."""
        rng = self.rng
        things, actors, companies, _ = _VOCAB[topics[0]]
        other = _VOCAB[topics[-1]]
        thing = self.pick(theme) if theme and rng.random() < 0.7 else self.pick(things)
        actor = self.pick(actors if rng.random() < 0.7 else other[1])
        return thing, actor, self.pick(companies)

    def fill(self, template: str, topics: list[str], subject: tuple[str, str, str],
             when: dt.datetime) -> str:  # fmt: skip
        """Fill a title or sentence template; {T2}, {C2} come from any of the topics."""
        rng = self.rng
        pick = self.pick
        thing, actor, company = subject
        values: dict[str, object] = {}
        # Only the template's own slots are drawn: fewer draws, and faster.
        for slot in _slots(template):
            if slot == "T":
                value: object = thing
            elif slot == "Tc":
                value = thing[0].upper() + thing[1:]
            elif slot == "A":
                value = actor
            elif slot == "a":
                value = actor.lower()
            elif slot == "C":
                value = company
            elif slot == "P":
                venues = _VOCAB[topics[0]][3]
                value = pick(venues) if venues and rng.random() < 0.3 else pick(_PLACES)
            elif slot in ("T2", "T2c"):
                value = pick(_VOCAB[pick(topics)][0])
                if value == thing:
                    value = pick(_VOCAB[pick(TOPICS)][0])
                if slot == "T2c":
                    value = value[0].upper() + value[1:]
            elif slot == "C2":
                value = pick(_VOCAB[pick(topics)][2])
                if value == company:
                    value = pick(_VOCAB[pick(TOPICS)][2])
            elif slot == "N":
                value = 2 + int(rng.random() * 399)
            elif slot == "B":
                value = 1 + int(rng.random() * 90)
            elif slot == "J":
                value = 10 * (2 + int(rng.random() * 200))
            elif slot == "K":
                value = 2 + int(rng.random() * 58)
            elif slot == "M":
                value = f"{pick(_MODEL_NAMES)}-{2 + int(rng.random() * 8)}"
            elif slot == "Y":
                value = when.year + 3 + int(rng.random() * 5)
            elif slot == "pct":
                value = 3 + int(rng.random() * 40)
            elif slot == "day":
                value = _WEEKDAYS[when.weekday()]
            elif slot == "month":
                value = _MONTHS[(when.month + 1) % 12]
            elif slot == "Q":
                value = pick(("first", "second", "third", "fourth"))
            elif slot == "topic":
                value = topics[0]
            elif slot == "date":
                value = f"{when.day} {_MONTHS[when.month - 1]}"
            else:  # pragma: no cover - a typo in a template
                raise KeyError(slot)
            values[slot] = value
        return template.format_map(values)

    def excerpt(self, topics: list[str], subject: tuple[str, str, str],
                when: dt.datetime) -> str:  # fmt: skip
        rng = self.rng
        if rng.random() < 0.03:  # the bullet-list style, with runs of spaces
            return self.fill(_BULLETS, topics, subject, when)
        count = 1 + (rng.random() < 0.6) + (rng.random() < 0.35)
        sentences = [self.fill(self.pick(_SENTENCES), topics, subject, when) for _ in range(count)]
        text = " ".join(dict.fromkeys(sentences))
        roll = rng.random()
        if roll < 0.1 and len(text) > 200:
            text = text[:200]  # cut mid-word, as some feeds do
        elif roll < 0.2:
            text += " ..."
        elif roll < 0.21:
            text = text.replace(". ", ".\n", 1)  # a stray newline, as in real excerpts
        elif roll < 0.215:
            text = text.replace(" and ", " &amp; ", 1)  # an HTML entity left in
        return text[:300]

    def secured(self) -> str:
        rng = self.rng
        blob = rng.randbytes(200 + int(rng.random() * 200))
        return base64.b64encode(blob).decode() + ";" + base64.b64encode(rng.randbytes(16)).decode()

    def provider_for(self, topic: str, day: int, exclude: Collection[str] = ()) -> _Provider:
        world = self.world
        epoch = bisect.bisect_right(world.epoch_starts, day) - 1
        candidates, cum = world.by_epoch_topic[epoch][topic]
        for _ in range(10):
            prov = candidates[bisect.bisect(cum, self.rng.random() * cum[-1])]
            if prov.name not in exclude:
                return prov
        return next(p for p in candidates if p.name not in exclude)

    def topics_for(self, first: str) -> list[str]:
        rng = self.rng
        roll = rng.random()
        count = 1 if roll < _TOPIC_COUNT_CUM[0] else 2 if roll < _TOPIC_COUNT_CUM[1] else 3
        topics = [first]
        tries = 0
        while len(topics) < count and tries < 10:
            tries += 1
            # The third topic follows the first or the second: AI, Computer
            # Vision, Privacy is a chain, not three independent draws.
            names, cum = self.world.cooc[topics[-1] if rng.random() < 0.5 else first]
            topic = names[bisect.bisect(cum, rng.random() * cum[-1])]
            if topic not in topics:
                topics.append(topic)
        return topics

    def moment(self, day: int) -> dt.datetime:
        rng = self.rng
        world = self.world
        hour = bisect.bisect(world.hours_cum, rng.random() * world.hours_cum[-1])
        minute = int(rng.random() * 60) if rng.random() < 0.7 else 5 * int(rng.random() * 12)
        second = 0 if rng.random() < 0.85 else int(rng.random() * 60)
        day_date = world.days[day]
        return dt.datetime(day_date.year, day_date.month, day_date.day, hour, minute, second)

    # -- the stream --

    def days(self) -> Iterator[int]:
        """n day indices in ascending order, distributed as the day weights.

        Sorted uniforms are drawn one at a time (sequential order statistics),
        so dates rise through the stream without holding n numbers: related
        items and syndicated copies can then refer to stories already emitted,
        and they are close in time.
        """
        rng = self.rng
        cum = self.world.day_cum
        total = cum[-1]
        last = len(cum) - 1
        u = 0.0
        n = self.n
        for i in range(n):
            # The minimum of the (n - i) remaining uniforms on [u, 1).
            step = -math.expm1(math.log(1.0 - rng.random()) / (n - i))
            u += (1.0 - u) * step
            yield min(bisect.bisect(cum, u * total), last)

    def run(self) -> Iterator[tuple[str, str]]:
        rng = self.rng
        for index, day in enumerate(self.days()):
            if self.last_texts and rng.random() < _RECRAWL_RATE:
                # A re-crawl: a recent record again under a second file name.
                old_day, name, text = self.last_texts[int(rng.random() * len(self.last_texts))]
                yield self.path(old_day, name, index), text
                continue
            article = self.next_article(index, day)
            name = _slug(article.title)
            text = self.render(article, name)
            self.last_texts.append((article.day, name, text))
            yield self.path(article.day, name, index), text

    def path(self, day: int, slug: str, index: int) -> str:
        iso = self.world.day_iso[day]
        return f"{iso[:4]}/{iso}-{slug}-{index:0{self.width}d}.md"

    def next_article(self, index: int, day: int) -> _Article:
        rng = self.rng
        world = self.world
        current = world.days[day]
        # A syndicated copy whose time has come takes this slot in the stream.
        while self.pending and self.pending[0].due.date() <= current:
            copy = self.pending.pop(0)
            if (current - copy.due.date()).days > 2:
                continue  # too late (sparse sample): drop it
            copy_day = (copy.due.date() - START).days
            prov = self.provider_for(copy.topics[0], copy_day, copy.exclude)
            copy.exclude.add(prov.name)
            title = copy.title
            roll = rng.random()
            if roll < 0.15:
                title = f"{title} | {prov.name}"
            elif roll < 0.25:
                title = f"Report: {title}"
            elif roll < 0.32:
                title = title.replace("’", "'").replace("‘", "'")
            return _Article(index, copy.due, copy_day, copy.topics, prov, title,
                            copy.excerpt, "article", False)  # fmt: skip

        in_burst = False
        theme = None
        burst = world.bursts.get(day)
        if burst and rng.random() < burst[0]:
            _, cum, spikes = burst
            first, theme = spikes[bisect.bisect(cum, rng.random() * cum[-1])]
            in_burst = True
        else:
            first = TOPICS[bisect.bisect(world.topic_cum, rng.random() * world.topic_cum[-1])]
        topics = self.topics_for(first)
        prov = self.provider_for(first, day)
        when = self.moment(day)
        kind = "video" if rng.random() < prov.video_rate else "article"
        template = (
            self.pick(_VIDEO_TITLES)
            if kind == "video" and rng.random() < 0.5
            else self.pick(_TOPIC_TITLES[first])
            if first in _TOPIC_TITLES and rng.random() < 0.15
            else self.pick(_TITLES)
        )
        subject = self.subject(topics, theme)
        title = self.fill(template, topics, subject, when)
        excerpt = self.excerpt(topics, subject, when)
        if kind == "article" and rng.random() < _SYNDICATE_RATE:
            copies = 1 + (rng.random() < 0.5) + (rng.random() < 0.3)
            for _ in range(copies):
                due = when + dt.timedelta(minutes=int(rng.random() * 48 * 60))
                self.pending.append(_Copy(due, title, excerpt, topics, {prov.name}))
            self.pending.sort(key=lambda c: c.due)
        return _Article(index, when, day, topics, prov, title, excerpt, kind, in_burst)

    # -- rendering --

    def render(self, art: _Article, slug: str) -> str:
        rng = self.rng
        prov = art.provider
        when = _stamp(art.when)
        # URLs are built from ASCII slugs and .example domains, and the secured
        # blob is base64: they are quoted without escaping (only text is escaped).
        stem = f"{art.when.year}/{art.when.month:02d}/{slug}-{art.index}"
        url = f"https://{prov.domain}/{stem}"
        quality = min(200, int(prov.quality_scale * rng.gammavariate(3.0, 20.0)))
        if rng.random() < _HEAT_UNKNOWN_RATE:
            heat = -1  # the format's "unknown"
        else:
            # Heat follows quality, runs hotter in a burst, and rarely passes 150.
            raw = quality * 0.7 + rng.gauss(10.0, 18.0) + (35.0 if art.in_burst else 0.0)
            heat = max(0, min(150 if rng.random() < 0.98 else 199, int(raw)))
        out = [
            "---\ncategory: news\n",
            f"title: {_q(art.title)}\n",
            f"excerpt: {_q(art.excerpt)}\n",
            f"publishedDateTime: {when}\n",
        ]
        if rng.random() >= 0.005:
            out.append(f'originalUrl: "{url}"\n')
        video = art.kind == "video"
        has_web = not (video and rng.random() < _VIDEO_NO_WEB_URL_RATE)
        amp = cdn = None
        if has_web:
            out.append(f'webUrl: "{url}"\n')
            if prov.amp_rate and rng.random() < prov.amp_rate:
                host = prov.domain.removeprefix("www.")
                amp = f"https://amp.{host}/{stem}"
                cdn = f"https://amp-{host.replace('.', '-')}.cdn.amp.example/c/s/amp.{host}/{stem}"
                out.append(f'ampWebUrl: "{amp}"\ncdnAmpWebUrl: "{cdn}"\n')
        published = "true" if rng.random() < _PUBLISHED_RATE else "false"
        out.append(
            f"type: {art.kind}\nquality: {quality}\nheat: {heat}\npublished: {published}\n\n"
        )
        images: list[tuple[str, int, int, bool]] = []
        if video:
            vid = base64.urlsafe_b64encode(rng.randbytes(8)).decode()[:11]
            out.append(
                'featuredContent: "<iframe width=\\"800\\" height=\\"500\\" frameborder=\\"0\\" '
                f'src=\\"https://video.example/embed/{vid}\\" allow=\\"accelerometer; autoplay; '
                'encrypted-media; picture-in-picture\\" allowfullscreen></iframe>"\n\n'
            )
            images.append((f"https://{prov.img_host}/vi/{vid}/maxres.jpg", 1280, 720, True))
        else:
            roll = rng.random()
            count = 0 if roll < 0.1 else 1 if roll < 0.82 else 2
            for k in range(count):
                width, height = _IMAGE_SIZES[int(rng.random() * len(_IMAGE_SIZES))]
                suffix = "" if k == 0 else f"-{k + 1}"
                images.append((f"https://{prov.img_host}/{stem}{suffix}.jpg", width, height,
                               rng.random() < 0.95))  # fmt: skip
        out.append(prov.block)
        out.append("\ntopics:\n")
        out.extend(f"  - {_scalar(t)}\n" for t in art.topics)
        if images:
            out.append("\nimages:\n")
            for img_url, width, height, cached in images:
                out.append(f'  - url: "{img_url}"\n    width: {width}\n    height: {height}\n')
                if rng.random() < 0.15:
                    out.append(f"    title: {_q(art.title)}\n")
                if cached:
                    out.append("    isCached: true\n")
        if rng.random() < _RELATED_RATE:
            out.append("\nrelated:\n")
            out.extend(self.related(art))
        out.append(f'\nsecured: "{self.secured()}"\n---\n')

        if has_web:  # later records can list this one as related
            story = _Story(art.title, art.excerpt, when, art.day, url, amp, cdn, art.kind, prov,
                           quality, images[0] if images else None)  # fmt: skip
            self.recent[art.topics[0]].append(story)
        return "".join(out)

    def related(self, art: _Article) -> list[str]:
        """The rendered ``related`` items of one article."""
        rng = self.rng
        count = 1 + bisect.bisect(_RELATED_COUNT_CUM, rng.random() * _RELATED_COUNT_CUM[-1])
        chosen: list[_Story] = []
        seen: set[str] = set()
        for _ in range(count):
            topic = art.topics[int(rng.random() * len(art.topics))]
            story = None
            roll = rng.random()
            if roll < 0.4:
                pool = self.recent[topic]
            elif roll < 0.75:
                pool = self.external[topic]
            else:
                pool = None
            if pool:
                candidate = pool[int(rng.random() * len(pool))]
                # Only stories of the same fortnight are related; and not twice.
                if abs(candidate.day - art.day) <= 14 and candidate.url not in seen:
                    story = candidate
            if story is None:
                story = self.external_story(topic, art)
                self.external[topic].append(story)
            seen.add(story.url)
            chosen.append(story)
        items = [self.render_related(s, s.title) for s in chosen]
        if len(chosen) >= 2 and rng.random() < _RELATED_TWICE_RATE:
            # Seed 000 lists one story twice with two titles: keep that quirk.
            story = chosen[int(rng.random() * len(chosen))]
            title = story.title.replace(" could ", " may ", 1)
            if title == story.title:
                title = f"{story.title} (updated)"
            if len(items) == 6:  # at most 6 items, the duplicate included
                items.pop(-1 if chosen[-1] is not story else 0)
            items.append(self.render_related(story, title))
        return items

    def external_story(self, topic: str, art: _Article) -> _Story:
        """A related story outside the corpus, from a few days around the article."""
        rng = self.rng
        offset = dt.timedelta(minutes=int((rng.random() * 7 - 5) * 24 * 60))
        when = art.when + offset
        day = (when.date() - START).days
        if not 0 <= day < len(self.world.days):
            when, day = art.when, art.day
        prov = self.provider_for(topic, day)
        topics = [topic] if topic == art.topics[0] else [topic, art.topics[0]]
        subject = self.subject(topics, None)
        title = self.fill(self.pick(_TITLES), topics, subject, when)
        excerpt = self.excerpt(topics, subject, when)
        url = (
            f"https://{prov.domain}/{when.year}/{when.month:02d}/{_slug(title)}"
            f"-r{int(rng.random() * 1e7):07d}"
        )
        width, height = _IMAGE_SIZES[int(rng.random() * len(_IMAGE_SIZES))]
        image = (
            (f"https://{prov.img_host}/r/{int(rng.random() * 1e9)}.jpg", width, height,
             rng.random() < 0.7)
            if rng.random() < 0.85
            else None
        )  # fmt: skip
        quality = min(200, int(prov.quality_scale * rng.gammavariate(3.0, 18.0)))
        return _Story(title, excerpt, _stamp(when), day, url, None, None,
                      "article", prov, quality, image)  # fmt: skip

    def render_related(self, story: _Story, title: str) -> str:
        rng = self.rng
        # Each listing scores the story afresh (seed 000: one URL, qualities 56 and 39).
        quality = max(0, min(200, story.quality + int(rng.gauss(0, 8))))
        if story.head and title is story.title:
            return f"{story.head}    quality: {quality}\n{story.tail}"
        parts = [
            f"  - title: {_q(title)}\n",
            f"    excerpt: {_q(story.excerpt)}\n",
            f"    publishedDateTime: {story.when}\n",
            f'    webUrl: "{story.url}"\n',
        ]
        if story.amp and story.cdn:
            parts.append(f'    ampWebUrl: "{story.amp}"\n    cdnAmpWebUrl: "{story.cdn}"\n')
        parts.append(f"    type: {story.kind}\n")
        parts.append(story.provider.related_block)
        head = "".join(parts)
        tail = ""
        if story.image:
            img_url, width, height, cached = story.image
            tail = (
                f'    images:\n      - url: "{img_url}"\n'
                f"        width: {width}\n        height: {height}\n"
            )
            if cached:
                tail += "        isCached: true\n"
        if title is story.title:
            story.head, story.tail = head, tail
        return f"{head}    quality: {quality}\n{tail}"


# -- public API ------------------------------------------------------------------


def record_texts(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """Generate the files of a synthetic corpus of ``n`` records, one at a time.

    Parameters
    ----------
    n : int
        Number of records (files) to generate.
    seed : int
        Seed of the generator: the same ``(n, seed)`` always gives
        byte-identical output.

    Yields
    ------
    tuple of (str, str)
        ``(relative_path, text)``: a POSIX path such as
        ``"2023/2023-06-01-regulators-weigh-new-rules-for-facial-000123.md"``
        (year folder, date, slug of the title, zero-padded index so that names
        are unique) and the file's text in the record format (front matter
        between two ``---`` lines).

    Notes
    -----
    Memory stays bounded, so ``record_texts(1_000_000)`` streams.  Records come
    out in ascending date order (give or take the syndicated copies); the
    dates depend on ``n``, so the first records of two sizes differ.

    Examples
    --------
    >>> path, text = next(record_texts(10, seed=1))
    >>> path.startswith("2022/2022-") and path.endswith("-000000.md")
    True
    >>> text.splitlines()[:2]
    ['---', 'category: news']
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    if n == 0:
        return iter(())
    return _Generator(n, seed).run()


def write_sample(folder: str | os.PathLike[str], n: int, seed: int = 0) -> pathlib.Path:
    """Write a synthetic corpus of ``n`` records under ``folder``.

    The folder and its year subfolders are created as needed; files of the
    same names are overwritten, other files are left alone.

    Parameters
    ----------
    folder : str or path-like
        Where to write the ``YYYY/YYYY-MM-DD-slug-NNNNNN.md`` files.
    n : int
        Number of records.
    seed : int
        Seed of the generator (see :func:`record_texts`).

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = write_sample(tmp, 20)
    ...     len(list(root.rglob("*.md")))
    20
    """
    root = pathlib.Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    base = os.fspath(root)
    made: set[str] = set()
    for relative, text in record_texts(n, seed):
        year = relative[:4]
        if year not in made:
            os.makedirs(os.path.join(base, year), exist_ok=True)
            made.add(year)
        # Bytes, not text mode: '\n' line ends on every platform, UTF-8 always.
        # (os.path and open rather than pathlib: less overhead per file.)
        with open(os.path.join(base, relative), "wb") as file:
            file.write(text.encode("utf-8"))
    return root


def sample(n: int = 5_000, seed: int = 0, *, progress: bool | None = None) -> Corpus:
    """The synthetic sample corpus, loaded: what ``newsnb.load`` gives for
    ``write_sample(folder, n, seed)``, without writing files.

    The records are generated in memory and parsed by the same parser as files
    on disk, so the tables are exactly those of a load of the written folder
    (only ``path`` differs: ``(sample)/2023/...md``).

    Parameters
    ----------
    n : int
        Number of records.
    seed : int
        The same seed gives the same corpus, on every machine.
    progress : bool, optional
        Show a progress bar (by default only when it takes over a second).

    Returns
    -------
    Corpus

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.sample(300, seed=1)
    >>> len(corpus), corpus.errors.empty
    (300, True)
    >>> bool(corpus.articles["provider_domain"].str.endswith(".example").all())
    True
    """
    from newsnb.io.chunks import parse_all
    from newsnb.io.sources import FileRef, Listing
    from newsnb.io.tables import to_frames

    refs = [
        FileRef(f"(sample)/{path}", path, text.encode("utf-8"))
        for path, text in record_texts(n, seed)
    ]
    refs.sort(key=lambda ref: ref.article_id)  # the order load() gives a folder
    tables, _ = parse_all(
        Listing.of(refs),
        max_file_size=2**62,
        strict=True,
        workers=1,
        progress=progress,
        streams=True,
    )
    return Corpus.from_frames(to_frames(tables), source=f"newsnb.sample(n={n:,}, seed={seed})")
