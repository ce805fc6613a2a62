"""The sample corpus's vocabulary: its invented topics, providers, bursts, titles and words.

Data only (tuples and dicts), read by :mod:`newsnb.synthetic.world` and
:mod:`newsnb.synthetic.generator`.  Changing any of it changes the sample.
"""

from __future__ import annotations

import datetime as dt

#: First and last day of the sample's publication dates (inclusive, UTC).
START = dt.date(2022, 1, 1)
END = dt.date(2024, 6, 30)

# -- the invented world: topics, providers, bursts ------------------------------

#: Topics and their popularity as the first topic of a record (uneven on purpose).
TOPIC_WEIGHTS: dict[str, float] = {
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
TOPICS: tuple[str, ...] = tuple(TOPIC_WEIGHTS)

# Which topics come as second/third topic given the first one (relative weights).
COOCCURRENCE: dict[str, dict[str, float]] = {
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
PROVIDERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
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
ACTIVE: dict[str, tuple[tuple[dt.date, dt.date], ...]] = {
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
VIDEO_RATE = {"Vista TV News": 0.35, "Signal Hill TV": 0.5}
BASE_VIDEO_RATE = 0.012
# Providers that publish amp pages; their amp rate is scaled to ~6% overall.
AMP_PROVIDERS = ("Meridian Post", "Lakeshore Tribune", "Eastport Gazette", "Westgate Chronicle")
AMP_SHARE = 0.06

# News bursts: (topic, first day, days, extra volume relative to a normal day,
# themes the burst's stories are about).
BURSTS: tuple[tuple[str, dt.date, int, float, tuple[str, ...]], ...] = (
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
VOCAB: dict[str, tuple[tuple[str, ...], ...]] = {
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

PLACES = (
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
TITLES = (
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
TOPIC_TITLES: dict[str, tuple[str, ...]] = {
    "Cybersecurity": (
        "Researchers find <script> injection flaw in {C} chat widget used by {K},000 sites",
        "{C} patches critical bug after ransomware gang leaks {K}GB of data",
        "{A} {P} hit by cyberattack on {day}: what we know so far",
    ),
    "AI": ("{C} says its new model, {M}, “reasons” {pct}% better — experts are not so sure",),
    "Space": ("{C} scrubs launch of {K} satellites again as weather closes in",),
}
VIDEO_TITLES = (
    "Watch: {Tc} in action {P}",
    "Video: {C} demos {T} for {a}",
    "{Tc}, explained in {K} minutes",
)
MODEL_NAMES = ("Atlas", "Corvid", "Lyra", "Tern", "Sable", "Osprey", "Quill", "Vesper")

# Excerpt sentences; same slots plus {month} (a month ahead) and {Q} (quarter).
SENTENCES = (
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
BULLETS = "Here are the key points:  • {Tc}  • {T2c}  • What comes next"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
IMAGE_SIZES = ((1200, 630), (1200, 800), (1600, 900), (600, 360), (752, 423), (1280, 720),
                (1024, 576), (800, 450))  # fmt: skip
# Hour-of-day weights (UTC): newsrooms publish mostly in office hours.
HOURS = (1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 7, 7, 7, 7, 6, 5, 4, 3, 3, 2, 2, 1)
WEEKDAY_FACTOR = (1.0, 1.05, 1.05, 1.0, 0.95, 0.45, 0.35)

# Shares (probabilities) of the record-level features.
TOPIC_COUNT_CUM = (0.48, 0.85, 1.0)  # 1, 2 or 3 topics
SYNDICATE_RATE = 0.05  # an original story that other providers also run
RECRAWL_RATE = 0.002  # a record re-emitted under a second file name
RELATED_RATE = 0.40
RELATED_COUNT_CUM = (30, 52, 68, 80, 90, 100)  # cumulative weights of 1..6 related items
RELATED_TWICE_RATE = 0.03  # the same related URL twice under one article
HEAT_UNKNOWN_RATE = 0.05
PUBLISHED_RATE = 0.90
VIDEO_NO_WEB_URL_RATE = 0.5

# Planted reprints (``sample(..., reprints=...)``): what a local outlet changes in a
# syndicated story besides the headline.
LOCAL_TAGS = ("Local", "Regional", "Around the region", "In brief", "From the wires", "Update")
FILLERS = ("also", "now", "reportedly", "locally", "again", "still", "this week", "here",
           "widely", "quietly", "officially", "recently")  # fmt: skip
ATTRIBUTIONS = ("(Wire report)", "Reporting by staff.", "Additional reporting by agencies.",
                "This story first appeared on a partner site.", "Edited for length.")  # fmt: skip
