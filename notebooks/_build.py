"""Write the tutorial notebooks of this folder, outputs stripped.

This script is the source of ``01-quickstart.ipynb`` ... ``05-text-and-timing.ipynb``:
edit a notebook here, then run ``python notebooks/_build.py`` from the
repository root.  ``tests/test_notebooks.py`` checks that the committed
notebooks are exactly what this script writes, and runs each of them.

Every code cell comes after a short paragraph saying what it answers; every
notebook runs top to bottom on a fresh kernel with only the built-in sample.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

Cell = tuple[str, str]  # ("md" | "code", source)


def md(text: str) -> Cell:
    return ("md", text.strip("\n"))


def code(text: str) -> Cell:
    return ("code", text.strip("\n"))


QUICKSTART: list[Cell] = [
    md("""
# newsnb: quickstart

newsnb turns a folder of news records (text files with YAML front matter) into
pandas tables, coverage charts and an interactive Explorer.  This notebook uses
the built-in **synthetic sample**: 5,000 invented records from invented
providers (every domain ends in `.example`), so it runs anywhere, Binder
included.  The last section does the same on a folder of your own.
"""),
    md("""
## A first look

**What is in the corpus?**  `newsnb.sample(5_000)` generates the sample (the
same records every time); `newsnb.load("path/to/records")` reads real ones.
Displaying a corpus summarises it: records, date span, topics, providers, and
how many files could not be read.
"""),
    code("""
import newsnb

corpus = newsnb.sample(5_000)
corpus
"""),
    md("""
**What does a record look like as a row?**  `corpus.articles` has one row per
record, indexed by `article_id` (the file's path inside the folder).  Dates are
UTC timestamps and `topics` holds a list per row.
"""),
    code("""
corpus.articles[["title", "published_at", "provider_name", "topics", "quality"]].head()
"""),
    md("""
**Which topics, and how often?**  Long tables such as `corpus.topics` (one row
per record and topic) are ready for `value_counts` and `groupby`.
"""),
    code("""
corpus.topics["topic"].value_counts()
"""),
    md("""
**What do records point to?**  `corpus.related` lists the related items of
every record; `in_corpus_id` is set when a related item is itself a record of
this corpus.
"""),
    code("""
corpus.related[["article_id", "title", "provider_name", "in_corpus_id"]].head()
"""),
    md("""
**Who publishes the most?**  From here on it is plain pandas on every table.
"""),
    code("""
corpus.articles["provider_name"].value_counts().head(10)
"""),
    md("""
## One chart

**How did coverage of the main topics evolve?**  Each line counts the records
of one topic per month (a record with two topics counts in both lines; the
topics beyond the top five are summed as *other*).  Hover for the numbers,
click a legend entry to hide a line.  `02-coverage.ipynb` shows every chart.
"""),
    code("""
newsnb.charts.timeline(corpus, by="topic", freq="M", top=5)
"""),
    md("""
**What does one record say?**  `newsnb.card` shows a record the way the
Explorer's inspector does: linked title, provider, date, topics, excerpt and
related items (every value HTML-escaped).  Here, the record with the highest
quality score.
"""),
    code("""
best = corpus.articles["quality"].idxmax()
newsnb.card(corpus, best)
"""),
    md("""
## The Explorer

**Which records match what I am looking for?**  Filter by text, date, topic,
provider, type, publication and score on the left; the count, the facet
counts, the charts and the table follow.  Click a bar to filter on it, drag
across the timeline to pick dates, and select a table row to read the record
on the right.
`03-explorer.ipynb` does the same steps from code.
"""),
    code("""
explorer = newsnb.Explorer(corpus)
explorer
"""),
    md("""
## The same on your own folder

**What does this look like on real records?**  Give `newsnb.load` a folder:
it reads every `*.md` file below it (`pattern="*.txt"` for other names).  The
cell below looks for the project's example corpus `shared/corpora/powerapps-news`
from this folder upwards; it is there on the project's machines, not on
Binder.  Set `folder` to your own path instead, or see `04-your-corpus.ipynb`
to upload records.  Without a folder, the cells below go on with the sample.
"""),
    code("""
from pathlib import Path


def find_folder(name: str) -> Path | None:
    \"\"\"The folder `name` in the current folder or the nearest parent that has it.\"\"\"
    for base in [Path.cwd(), *Path.cwd().parents]:
        if (base / name).is_dir():
            return base / name
    return None


folder = find_folder("shared/corpora/powerapps-news")  # or: Path("path/to/your/records")
if folder is None:
    print("No folder of records here (Binder has none): going on with the sample.")
    print("Set folder = Path('path/to/your/records') and re-run, or see 04-your-corpus.ipynb.")
    mine = corpus
else:
    mine = newsnb.load(folder)
mine
"""),
    md("""
**Which files could not be read, and why?**  Every file becomes either a row
of `articles` or a row of `errors` (with the line and a reason that says what
to fix); `warnings` lists fields that had to be coerced.
"""),
    code("""
print(f"{len(mine.articles):,} records, {len(mine.errors):,} errors, {len(mine.warnings):,} warnings")
mine.errors.head()
"""),
    md("""
**Which topics does it cover?**  Every chart takes any corpus.
"""),
    code("""
newsnb.charts.topics(mine)
"""),
    md("""
**And to browse it?**  The same Explorer, on your records.
"""),
    code("""
newsnb.Explorer(mine)
"""),
]


COVERAGE: list[Cell] = [
    md("""
# Coverage: every aggregation and chart

Each section asks one question about the corpus and answers it twice: first
with an aggregation (a plain DataFrame, the numbers), then with the chart that
draws exactly those numbers.  Every function takes a `Corpus` or an articles
DataFrame, filtered ones included (see the last section).  Periods are in UTC;
weeks start on Monday.
"""),
    md("""
**What are we looking at?**  The built-in synthetic sample: 5,000 invented
records over two and a half years.
"""),
    code("""
import newsnb

corpus = newsnb.sample(5_000)
corpus
"""),
    md("""
## Topics

**Which topics does the corpus cover, and how much?**  `coverage(by="topic")`
counts each record once under each of its topics, so the counts add up to more
than the number of records.
"""),
    code("""
newsnb.coverage(corpus, by="topic")
"""),
    md("""
**How to read it:** the longest bar is the most covered topic; the percentages
are shares of the records (a record counts under each of its topics).  Hover
for the exact count.
"""),
    code("""
newsnb.charts.topics(corpus)
"""),
    md("""
## Providers

**Who publishes the corpus?**  `by="provider"` groups on the provider's name;
`top=10` keeps the ten largest and sums the rest as *other*, which shows how
concentrated the sources are.
"""),
    code("""
newsnb.coverage(corpus, by="provider", top=10)
"""),
    md("""
**How to read it:** one bar per provider, largest first, *other* in grey at the
bottom; a long *other* bar means a long tail of small sources.
"""),
    code("""
newsnb.charts.providers(corpus, top=15)
"""),
    md("""
## Over time

**How much was published each week?**  With `freq`, every period from the
first record to the last is listed, with 0 where nothing was published, so
quiet weeks are visible instead of missing.
"""),
    code("""
weekly = newsnb.coverage(corpus, freq="W")
weekly.tail()
"""),
    md("""
**How to read it:** the weekly rhythm, slow growth, holiday dips and spikes
(news bursts).  Drag to zoom, double-click to reset.
"""),
    code("""
newsnb.charts.timeline(corpus, freq="W")
"""),
    md("""
**Which topics gained or lost ground?**  With `normalize=True` each line is the
topic's share of the month's topic mentions, so growth of the whole corpus does
not hide a shift between topics.
"""),
    code("""
newsnb.charts.timeline(corpus, by="topic", freq="M", normalize=True, top=5)
"""),
    md("""
**Did the mix of sources change?**  Each provider's share of the quarter's
records, stacked to 100%: a band that widens is a source that grew relative to
the others.
"""),
    code("""
newsnb.charts.provider_share(corpus, freq="Q", top=8)
"""),
    md("""
**When was each topic covered?**  One row per topic, one column per month;
brighter cells hold more records.  Bursts show as bright spots, steady topics
as even rows.
"""),
    code("""
newsnb.charts.heatmap(corpus, by="topic", freq="M")
"""),
    md("""
## Topics together

**Which topics are given to the same records?**  `cooccurrence` lists every
pair of topics that share a record (both ways round, so filtering on `topic_a`
finds every partner), with the count, the Jaccard index (records with both /
records with either) and the lift (above 1: together more often than if they
were independent).  Here each pair once, strongest lift first.
"""),
    code("""
pairs = newsnb.cooccurrence(corpus)
once = pairs[pairs["topic_a"].cat.codes < pairs["topic_b"].cat.codes]
once.sort_values("lift", ascending=False).head(10)
"""),
    md("""
**How to read it:** a topic x topic matrix coloured by lift; the diagonal is
blank.  Hover a cell for the count, the Jaccard index and the lift.
"""),
    code("""
newsnb.charts.cooccurrence(corpus, metric="lift")
"""),
    md("""
## Gaps and silences

**Which providers paused or went quiet?**  `gaps` lists, per provider, runs of
empty weeks between its first and last record (`kind="gap"`) and the empty
weeks after its last record when there are at least `quiet_periods` of them
(`kind="quiet"`).  Here the providers that went quiet.
"""),
    code("""
runs = newsnb.gaps(corpus, by="provider", freq="W", quiet_periods=8)
runs[runs["kind"] == "quiet"]
"""),
    md("""
**How to read it:** one row per provider, a grey bar from its first to its last
record, red where it published nothing (gaps) and orange for the silence at the
end (went quiet).  Small providers have many short gaps; look for long ones.
"""),
    code("""
newsnb.charts.gaps(corpus, freq="M", top=15)
"""),
    md("""
## Quality and heat

**How are the `quality` and `heat` scores distributed?**  Missing values
(`heat: -1` means unknown) are left out and counted in the chart's subtitle.
"""),
    code("""
corpus.articles[["quality", "heat"]].describe()
"""),
    md("""
**How to read it:** two histograms with whole-number bins; hover a bar for its
range and count.
"""),
    code("""
newsnb.charts.quality(corpus)
"""),
    md("""
## Stories

**Which stories were picked up by several providers?**  `stories` groups
records that share a URL (their own or a related item's) or the same title
from two or more providers; one row per story, largest first, with the
providers and the records.
"""),
    code("""
found = newsnb.stories(corpus)
found[["title", "size", "n_providers", "first_seen", "last_seen", "via"]].head(10)
"""),
    md("""
**How to read it:** the largest stories, bar length the number of records, the
label the number of providers.
"""),
    code("""
newsnb.charts.stories(corpus)
"""),
    md("""
## On a filtered subset

**Who covered AI in 2024?**  `filter_articles` returns the matching rows of
`corpus.articles` (the same filters as the Explorer's); every aggregation and
chart above takes that frame as it is.
"""),
    code("""
ai_2024 = newsnb.filter_articles(corpus.articles, topics=["AI"], start="2024-01-01")
print(f"{len(ai_2024):,} records")
newsnb.charts.providers(ai_2024, top=10)
"""),
]


EXPLORER: list[Cell] = [
    md("""
# The Explorer, and the same steps from code

The Explorer shows facets and filters, a status line, three linked charts, the
matching records and an inspector for one record.  Everything it does can
also be done from code, on the same object: the app below follows along, and
the results are DataFrames ready for further analysis.
"""),
    md("""
**Which records match what I am looking for?**  Type in the search box, pick
dates, topics (any of / all of), providers, types, publication or a score
range; each choice shows how many records of the current selection have it.
Click a bar to add its topic or provider (click it again to take it out);
drag across the timeline to choose dates, double-click it to clear them.
Click a row (then use the arrow keys) to read the record on the right;
*Export CSV* writes the selection, in the table's order, next to this notebook.
"""),
    code("""
import tempfile
from pathlib import Path

import newsnb

corpus = newsnb.sample(5_000)
explorer = newsnb.Explorer(corpus)
explorer
"""),
    md("""
## The same from code

**How do I set filters from code?**  `filter` takes the criteria by name and
leaves the others as they are; the app above updates.  `criteria` gives the
active filters back as one `newsnb.Criteria` value.
"""),
    code("""
explorer.filter(topics=["AI", "Robotics"], topic_mode="all", start="2023-01-01")
explorer.criteria
"""),
    md("""
**Which records match?**  `selection` is a DataFrame of the matching articles,
every column, in corpus order (`sorted_selection` has the table's order).
"""),
    code("""
selection = explorer.selection
print(f"{len(selection):,} of {len(corpus):,} records")
selection[["title", "provider_name", "published_at", "topics"]].head()
"""),
    md("""
**Can I save this view, share it, or apply it elsewhere?**  `criteria` is a
value: `to_json()` gives text to keep, `Criteria.from_json` brings it back,
and `newsnb.filter_articles` applies it to any articles frame (or
`newsnb.Explorer(corpus, criteria=...)` opens an Explorer on it).
"""),
    code("""
saved = explorer.criteria.to_json()
print(saved)
again = newsnb.filter_articles(corpus.articles, newsnb.Criteria.from_json(saved))
again.index.equals(selection.index)
"""),
    md("""
**How do I search the text?**  Words must all occur in the title or the
excerpt (case-insensitive); `"quoted phrases"` match whole.
"""),
    code("""
explorer.filter(text="robots")
print(f"{len(explorer.selection):,} records: {explorer.criteria}")
"""),
    md("""
**How do I read one record?**  `inspect` shows it in the app's inspector, as
selecting its row does (`back()` returns to the one before); `newsnb.card`
gives the same card here.
"""),
    code("""
first = explorer.sorted_selection.index[0]
explorer.inspect(first)
newsnb.card(corpus, explorer.inspected)
"""),
    md("""
**How do I keep the selection?**  `export` writes it, in the table's order, to
CSV or Parquet (`topics` as JSON text in CSV; `secured` is never written);
`newsnb.read_selection` reads either back with the original types.  Here into
a temporary folder; without a path it writes next to the notebook, like the
*Export* buttons.
"""),
    code("""
out = Path(tempfile.mkdtemp(prefix="newsnb-")) / "selection.csv"
explorer.export(out)
back = newsnb.read_selection(out)
print(f"{out.name}: {len(back):,} rows, topics of the first: {back['topics'].iloc[0]}")
"""),
    md("""
**How do I analyse just these records?**  `corpus.subset` keeps every table
consistent with the selection (related items, topics, images), so every
aggregation and chart works on it.
"""),
    code("""
focus = corpus.subset(explorer.selection)
newsnb.charts.providers(focus, top=10)
"""),
    md("""
**How do I start over?**  `clear` resets every filter, like the *Clear
filters* button; the app above shows the whole corpus again.
"""),
    code("""
explorer.clear()
print(repr(explorer))
"""),
]


YOUR_CORPUS: list[Cell] = [
    md("""
# Your own records

Three ways to bring records into newsnb (a folder path, an upload into Binder,
a zip), how to read what could not be loaded (`errors`, `warnings`), and a
custom analysis built from the helpers.  To stay self-contained, the notebook
writes small synthetic folders in a temporary directory to stand in for yours.
"""),
    code("""
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

import newsnb

work = Path(tempfile.mkdtemp(prefix="newsnb-"))  # scratch space, nothing is written next to the notebook
"""),
    md("""
## 1. A folder path

**How do I load a folder?**  `newsnb.load(path)` reads every `*.md` file below
the folder, recursively (hidden folders such as `.ipynb_checkpoints` are
skipped).  Here a folder of 1,000 synthetic records stands in for yours:
replace `folder` with your path.
"""),
    code("""
folder = newsnb.write_sample(work / "records", 1_000)  # stand-in: folder = Path("path/to/records")
sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))[:3]
"""),
    md("""
**What did it find?**  The summary counts records, dates, topics and
providers, and how many files could not be read.
"""),
    code("""
corpus = newsnb.load(folder)
corpus
"""),
    md("""
## 2. Upload into Binder (or any JupyterLab)

**How do I get my files into Binder?**  Drag files (or a zip) from your
computer onto the file browser on the left, or use its *Upload* button (the
arrow pointing up).  They land in the folder the file browser shows.  Binder
forgets everything when the session ends: download what you want to keep.
Upload a folder of records as a zip (see 3.), or put the files in a folder
such as `my-records/` next to this notebook; the cell below loads it when it
is there.
"""),
    code("""
uploaded = Path("my-records")
if uploaded.is_dir():
    mine = newsnb.load(uploaded)
    display(mine)
else:
    print(f"No {uploaded}/ folder next to this notebook yet: upload records, then re-run this cell.")
"""),
    md("""
## 3. A zip

**How do I load a zip of records?**  Extract it to a temporary folder and load
that (`zipfile` drops absolute paths and `..` from member names, so nothing
lands outside the target folder).  The article ids are paths inside the zip,
so they match a load of the original folder.
"""),
    code("""
archive = work / "records.zip"  # stand-in for one you uploaded
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
    for path in sorted(folder.rglob("*.md")):
        zf.write(path, path.relative_to(folder).as_posix())


def load_zip(path: Path, **options) -> newsnb.Corpus:
    \"\"\"Load the records of a zip file (options as for newsnb.load).\"\"\"
    target = Path(tempfile.mkdtemp(prefix="newsnb-zip-"))
    with zipfile.ZipFile(path) as zf:
        zf.extractall(target)
    return newsnb.load(target, **options)


from_zip = load_zip(archive)
print(f"{len(from_zip):,} records; same ids as the folder: {from_zip.articles.index.equals(corpus.articles.index)}")
"""),
    md("""
## 4. What could not be read: `errors` and `warnings`

**What happens to broken files?**  Nothing is dropped silently.  A file that is
not a record becomes a row of `errors` (path, line, and a reason that says what
to fix); a record whose fields had to be coerced is loaded and listed in
`warnings`.  Here a folder with one good record and a few typical mistakes.
"""),
    code("""
messy = work / "messy"
messy.mkdir()
files = {
    "good.md": "---\\ntitle: A good record\\npublishedDateTime: 2024-03-01T09:00:00Z\\ntopics: [AI]\\n---\\nBody.\\n",
    "no-front-matter.md": "Just some notes, no --- block.\\n",
    "unclosed.md": "---\\ntitle: The closing line is missing\\n",
    "bad-yaml.md": '---\\ntitle: "an unterminated quote\\nquality: 3\\n---\\n',
    "wrong-types.md": (
        "---\\ntitle: Fields of the wrong type\\npublishedDateTime: last Tuesday\\n"
        "quality: high\\ntopics: AI\\n---\\n"
    ),
}
for name, text in files.items():
    (messy / name).write_text(text, encoding="utf-8")

checked = newsnb.load(messy)
print(f"{len(files)} files: {len(checked.articles)} records + {len(checked.errors)} errors")
checked.errors
"""),
    md("""
**Which fields were coerced?**  One row per field: the record, the field and
the problem (the value is left empty or converted, as the text says).
"""),
    code("""
checked.warnings
"""),
    md("""
**Can loading stop at the first bad file instead?**  `strict=True` raises
`newsnb.RecordError` with the path, the line and the reason, for pipelines
that must not go on with broken input.
"""),
    code("""
try:
    newsnb.load(messy, strict=True)
except newsnb.RecordError as error:
    print(f"stopped at {Path(error.path).name} (line {error.line}): {error.reason}")
"""),
    md("""
## 5. A custom analysis with the helpers

**Which providers lead each topic, and how concentrated is each topic?**  The
helpers return plain DataFrames, so they combine with pandas.  Here: the
records per topic and provider (one row per record and topic), the leading
provider of each topic and its share of the topic's records.
"""),
    code("""
per_topic = (
    corpus.topics.merge(corpus.articles[["provider_name"]], left_on="article_id", right_index=True)
    .groupby(["topic", "provider_name"], observed=True)
    .size()
    .rename("records")
    .reset_index()
)
leaders = per_topic.sort_values("records", ascending=False).drop_duplicates("topic").set_index("topic")
leaders["share"] = leaders["records"] / per_topic.groupby("topic", observed=True)["records"].sum()
leaders.sort_values("share", ascending=False).style.format({"share": "{:.0%}"})
"""),
    md("""
**How did the leading topic's sources change, quarter by quarter?**  Filter
with `filter_articles`, count with `coverage(by="provider", freq="Q")`, then
pivot the tidy result into a table with one column per provider.
"""),
    code("""
top_topic = newsnb.coverage(corpus, by="topic")["topic"].iloc[0]
subset = newsnb.filter_articles(corpus.articles, topics=[top_topic])
quarterly = newsnb.coverage(subset, by="provider", freq="Q", top=4)
quarterly.pivot(index="period", columns="provider", values="count")
"""),
    md("""
**And as a chart?**  The same subset in a newsnb chart; any plotly figure of
your own works as well, since the numbers are ordinary DataFrames.
"""),
    code("""
newsnb.charts.timeline(subset, by="provider", freq="Q", top=4)
"""),
    md("""
**Which of these records were syndicated?**  `stories` on the subset, and the
card of the largest story's first record.
"""),
    code("""
found = newsnb.stories(subset)
if found.empty:
    print("No story was picked up by several providers in this subset.")
else:
    display(found[["title", "size", "n_providers", "providers"]].head())
    display(newsnb.card(corpus, found["records"].iloc[0][0]))
"""),
]


# -- 05: text and timing (issue 15): the text sections first, the timing sections after --------

TEXT: list[Cell] = [
    md("""
# newsnb: text and timing

Coverage counts records; this notebook reads their words and their times.  It uses the built-in
synthetic sample (20,000 invented records), so it runs anywhere, Binder included:
every call works the same on `newsnb.load("path/to/records")`.
"""),
    code("""
import newsnb
from newsnb import charts

corpus = newsnb.sample(20_000)
corpus
"""),
    md("""
## Attention, normalised by volume

**How much of everything published mentions a subject, and is that changing?**
`newsnb.attention` counts the records matching each query (the Explorer's search
syntax: words and `"quoted phrases"`, all required, matched inside words too, so
`ai` would also match "said": prefer longer words and phrases) and divides by all
records of the period, so a busy month does not look like more attention.
"""),
    code("""
queries = ["chatbot", '"data centre"', "quantum"]
charts.attention(corpus, queries, freq="M")
"""),
    md("""
**Which outlets give a subject the largest share of their own output?**  With
`by="provider"` the share is within each provider: matches over that provider's records.
"""),
    code("""
shares = newsnb.attention(corpus, '"data centre"', by="provider")
shares.sort_values("share", ascending=False).head(8)
"""),
    md("""
## Keyword in context

**What do the matches actually say?**  `newsnb.kwic` lists every match with the words
around it, without opening each record; the Explorer shows the same line under each
title while its search box holds a query.
"""),
    code("""
newsnb.kwic(corpus, '"data centre"', width=50).head(10)
"""),
    md("""
## Distinguishing terms

**What does each outlet talk about that the others don't?**  `newsnb.terms` ranks
words and bigrams by the weighted log-odds z-score against the rest of the corpus
(Monroe, Colaresi & Quinn 2008), which does not over-rank rare words: above about 2,
the provider uses the term clearly more often than everyone else.
"""),
    code("""
charts.terms(corpus, by="provider", groups=6, top=8)
"""),
    md("""
**What sets a selection apart from the rest?**  Any boolean mask or `newsnb.Criteria`
compares "this selection" with every other record, as the Explorer's *Distinctive
terms* panel does after a filter change.
"""),
    code("""
selection = newsnb.terms(corpus, by=newsnb.Criteria(topics=["Cybersecurity"], start="2024-01-01"), top=10)
selection[selection["group"] == "selection"]
"""),
    md("""
## The topic mix

**Which outlets over- or under-cover which topics?**  `newsnb.mix` divides each
provider's share of its records on a topic by the corpus's share: 2 means twice the
attention the corpus gives that topic, 0.5 half.  The chart diverges around 1.
"""),
    code("""
charts.mix(corpus, top=12)
"""),
]


def timing_cells() -> list[Cell]:
    """Notebook 05's sections on reprints found by their text and on who breaks the news."""
    return [
        md("""
## Reprints found by their text

**How many records are copies of one wire story, even under a local headline?**
`newsnb.reprints` groups records whose title and excerpt are near-duplicates
(MinHash over runs of three words).  This sample plants such reprints
(`reprints=0.1`: about one article in ten is run again by other providers under a
headline of their own, lightly edited), so there is something to find.  Finding
them needs the `newsnb[reprints]` extra (datasketch), which Binder has; the next
cell checks for it and says how to install it if it is missing.
"""),
        code("""
import importlib.util

import newsnb
from newsnb import charts

planted = newsnb.sample(20_000, reprints=0.1)
has_reprints = importlib.util.find_spec("datasketch") is not None  # the newsnb[reprints] extra
if not has_reprints:
    print('Finding reprints needs the newsnb[reprints] extra: pip install "newsnb[reprints]",\\n'
          "then restart the kernel.  Until then the reprint cells below show nothing, and\\n"
          "'Who breaks the news' uses the stories linked by URL and title only.")
"""),
        md("""
**How many clusters of copies are there?**  One row per cluster, largest first:
its records (oldest first), their providers, dates and how similar the texts are.
"""),
        code("""
if has_reprints:
    clusters = newsnb.reprints(planted)
    copies = int(clusters["size"].sum()) - len(clusters)
    print(f"{len(clusters):,} clusters; {copies:,} records ({copies / len(planted):.1%}) are copies")
    display(clusters.head())
"""),
        md("""
**What does a reprint look like beside its original?**  The records of the largest
cluster, oldest first: the headlines differ, the text hardly does.
"""),
        code("""
if has_reprints:
    display(planted.articles.loc[clusters["records"].iloc[0], ["provider_name", "published_at", "title", "excerpt"]])
"""),
        md("""
**Which clusters are largest, and who ran them?**  Hover a bar for its providers,
dates and how similar the texts are (`clusters=` draws the clusters found above).
"""),
        code("""
if has_reprints:
    display(charts.reprints(planted, top=10, clusters=clusters))
"""),
        md("""
**How many copies do the URL and title links miss?**  `stories(..., text=clusters)`
adds a link per reprint cluster found above to the stories' URL and title links
(`text=True` would find the clusters again itself).
"""),
        code("""
plain = newsnb.stories(planted)
with_text = newsnb.stories(planted, text=clusters) if has_reprints else plain
print(f"records in stories: {int(plain['size'].sum()):,} by URL and title")
if has_reprints:
    print(f"records in stories: {int(with_text['size'].sum()):,} with reprints found by their text")
"""),
        md("""
## Who breaks the news

**Which outlets report a story first, and how far behind are the others?**
`newsnb.lead_lag` takes the stories (here with their reprints, if the extra is
installed) and gives, per
provider, the stories it covered, those it reported first, and its median and
90th-percentile lag behind each story's first report, in hours.
"""),
        code("""
leaders = newsnb.lead_lag(planted, with_text)
leaders[leaders["stories"] >= 20].sort_values("share_first", ascending=False).head(10)
"""),
        md("""
**The same at a glance:** top left break the news (often first, short lag), bottom
right follow late; a point's area is its number of stories.
"""),
        code("""
charts.lead_lag(planted, with_text, min_stories=20)
"""),
    ]


TEXT_AND_TIMING: list[Cell] = [*TEXT, *timing_cells()]


NOTEBOOKS: dict[str, list[Cell]] = {
    "01-quickstart.ipynb": QUICKSTART,
    "02-coverage.ipynb": COVERAGE,
    "03-explorer.ipynb": EXPLORER,
    "04-your-corpus.ipynb": YOUR_CORPUS,
    "05-text-and-timing.ipynb": TEXT_AND_TIMING,
}


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name``, outputs empty, with stable cell ids."""
    stem = name.split("-", 1)[0]
    cells = []
    for i, (kind, source) in enumerate(NOTEBOOKS[name], start=1):
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        cells.append(make(source, id=f"nb{stem}-{i:02d}"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    nbformat.validate(notebook)
    return notebook


def text(name: str) -> str:
    """The notebook file's exact text (what ``nbformat.write`` produces)."""
    return nbformat.writes(build(name)) + "\n"


def main() -> int:
    for name in NOTEBOOKS:
        (HERE / name).write_text(text(name), encoding="utf-8")
        print(f"wrote notebooks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
