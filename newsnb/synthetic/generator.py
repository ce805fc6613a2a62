"""The sample's generator: stories, their syndicated copies, and the record texts.

A pure function of ``(n, seed)``: only the stdlib's ``random.Random`` and plain
float arithmetic, so the output is byte-identical on every machine.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import math
import random
from collections import deque
from collections.abc import Collection, Iterator, Sequence

from newsnb.synthetic.stream import Article, Copy, Story, rewrite
from newsnb.synthetic.vocabulary import (
    BULLETS,
    HEAT_UNKNOWN_RATE,
    IMAGE_SIZES,
    MODEL_NAMES,
    MONTHS,
    PLACES,
    PUBLISHED_RATE,
    RECRAWL_RATE,
    RELATED_COUNT_CUM,
    RELATED_RATE,
    RELATED_TWICE_RATE,
    SENTENCES,
    START,
    SYNDICATE_RATE,
    TITLES,
    TOPIC_COUNT_CUM,
    TOPIC_TITLES,
    TOPICS,
    VIDEO_NO_WEB_URL_RATE,
    VIDEO_TITLES,
    VOCAB,
    WEEKDAYS,
)
from newsnb.synthetic.world import (
    Provider,
    build_world,
    quote,
    scalar,
    slots,
    slug,
    stamp,
)

# -- the generator -----------------------------------------------------------------


class Generator:
    """Streams records; state is bounded (recent stories, pending copies)."""

    def __init__(self, n: int, seed: int, reprints: float = 0.0) -> None:
        self.n = n
        self.reprints = reprints
        # (article_id, article_id of the record it copies, kind), one per record
        self.truth: list[tuple[str, str, str]] = []
        self.rng = random.Random(seed)
        self.world = build_world()
        self.width = max(6, len(str(n - 1)))
        self.pending: list[Copy] = []
        # Recent stories per topic, for related items: corpus records and
        # external stories (which get shared between articles).
        self.recent: dict[str, deque[Story]] = {t: deque(maxlen=40) for t in TOPICS}
        self.external: dict[str, deque[Story]] = {t: deque(maxlen=30) for t in TOPICS}
        # (day, slug, text, article id of the record it copies or is)
        self.last_texts: deque[tuple[int, str, str, str]] = deque(maxlen=50)

    # -- random helpers --

    def pick(self, options: Sequence[str]) -> str:
        return options[int(self.rng.random() * len(options))]

    def subject(self, topics: list[str], theme: tuple[str, ...] | None) -> tuple[str, str, str]:
        """What a story is about: (thing, actor, company), shared by its title and excerpt."""
        rng = self.rng
        things, actors, companies, _ = VOCAB[topics[0]]
        other = VOCAB[topics[-1]]
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
        for slot in slots(template):
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
                venues = VOCAB[topics[0]][3]
                value = pick(venues) if venues and rng.random() < 0.3 else pick(PLACES)
            elif slot in ("T2", "T2c"):
                value = pick(VOCAB[pick(topics)][0])
                if value == thing:
                    value = pick(VOCAB[pick(TOPICS)][0])
                if slot == "T2c":
                    value = value[0].upper() + value[1:]
            elif slot == "C2":
                value = pick(VOCAB[pick(topics)][2])
                if value == company:
                    value = pick(VOCAB[pick(TOPICS)][2])
            elif slot == "N":
                value = 2 + int(rng.random() * 399)
            elif slot == "B":
                value = 1 + int(rng.random() * 90)
            elif slot == "J":
                value = 10 * (2 + int(rng.random() * 200))
            elif slot == "K":
                value = 2 + int(rng.random() * 58)
            elif slot == "M":
                value = f"{pick(MODEL_NAMES)}-{2 + int(rng.random() * 8)}"
            elif slot == "Y":
                value = when.year + 3 + int(rng.random() * 5)
            elif slot == "pct":
                value = 3 + int(rng.random() * 40)
            elif slot == "day":
                value = WEEKDAYS[when.weekday()]
            elif slot == "month":
                value = MONTHS[(when.month + 1) % 12]
            elif slot == "Q":
                value = pick(("first", "second", "third", "fourth"))
            elif slot == "topic":
                value = topics[0]
            elif slot == "date":
                value = f"{when.day} {MONTHS[when.month - 1]}"
            else:  # pragma: no cover - a typo in a template
                raise KeyError(slot)
            values[slot] = value
        return template.format_map(values)

    def excerpt(self, topics: list[str], subject: tuple[str, str, str],
                when: dt.datetime) -> str:  # fmt: skip
        rng = self.rng
        if rng.random() < 0.03:  # the bullet-list style, with runs of spaces
            return self.fill(BULLETS, topics, subject, when)
        count = 1 + (rng.random() < 0.6) + (rng.random() < 0.35)
        sentences = [self.fill(self.pick(SENTENCES), topics, subject, when) for _ in range(count)]
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

    def provider_for(self, topic: str, day: int, exclude: Collection[str] = ()) -> Provider:
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
        count = 1 if roll < TOPIC_COUNT_CUM[0] else 2 if roll < TOPIC_COUNT_CUM[1] else 3
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
            if self.last_texts and rng.random() < RECRAWL_RATE:
                # A re-crawl: a recent record again under a second file name.
                old_day, name, text, root = self.last_texts[
                    int(rng.random() * len(self.last_texts))
                ]
                path = self.path(old_day, name, index)
                self.truth.append((path, root, "recrawl"))
                yield path, text
                continue
            article = self.next_article(index, day)
            name = slug(article.title)
            text = self.render(article, name)
            path = self.path(article.day, name, index)
            root = article.origin or path
            self.truth.append((path, root, article.kind_of_copy))
            self.last_texts.append((article.day, name, text, root))
            yield path, text

    def path(self, day: int, slug: str, index: int) -> str:
        iso = self.world.day_iso[day]
        return f"{iso[:4]}/{iso}-{slug}-{index:0{self.width}d}.md"

    def next_article(self, index: int, day: int) -> Article:
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
            if copy.subject is not None:  # a planted reprint: a local headline, light edits
                title, excerpt = rewrite(copy, copy.subject, self.rng, self.pick, self.fill)
                return Article(index, copy.due, copy_day, copy.topics, prov, title, excerpt,
                                "article", False, copy.origin, "reprint")  # fmt: skip
            title = copy.title
            roll = rng.random()
            if roll < 0.15:
                title = f"{title} | {prov.name}"
            elif roll < 0.25:
                title = f"Report: {title}"
            elif roll < 0.32:
                title = title.replace("’", "'").replace("‘", "'")
            return Article(index, copy.due, copy_day, copy.topics, prov, title,
                            copy.excerpt, "article", False, copy.origin,
                            "syndicated")  # fmt: skip

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
            self.pick(VIDEO_TITLES)
            if kind == "video" and rng.random() < 0.5
            else self.pick(TOPIC_TITLES[first])
            if first in TOPIC_TITLES and rng.random() < 0.15
            else self.pick(TITLES)
        )
        subject = self.subject(topics, theme)
        title = self.fill(template, topics, subject, when)
        excerpt = self.excerpt(topics, subject, when)
        if kind == "article" and rng.random() < SYNDICATE_RATE:
            origin = self.path(day, slug(title), index)
            copies = 1 + (rng.random() < 0.5) + (rng.random() < 0.3)
            for _ in range(copies):
                due = when + dt.timedelta(minutes=int(rng.random() * 48 * 60))
                self.pending.append(Copy(due, title, excerpt, topics, {prov.name}, origin))
            self.pending.sort(key=lambda c: c.due)
        # Planted reprints draw only when asked for: reprints=0 leaves the stream as it was.
        if self.reprints and kind == "article" and rng.random() < self.reprints:
            origin = self.path(day, slug(title), index)
            copies = 1 + (rng.random() < 0.4) + (rng.random() < 0.15)
            for _ in range(copies):
                due = when + dt.timedelta(minutes=int(rng.random() * 72 * 60))
                self.pending.append(Copy(due, title, excerpt, topics, {prov.name}, origin, subject))
            self.pending.sort(key=lambda c: c.due)
        return Article(index, when, day, topics, prov, title, excerpt, kind, in_burst)

    # -- rendering --

    def render(self, art: Article, slug: str) -> str:
        rng = self.rng
        prov = art.provider
        when = stamp(art.when)
        # URLs are built from ASCII slugs and .example domains, and the secured
        # blob is base64: they are quoted without escaping (only text is escaped).
        stem = f"{art.when.year}/{art.when.month:02d}/{slug}-{art.index}"
        url = f"https://{prov.domain}/{stem}"
        quality = min(200, int(prov.quality_scale * rng.gammavariate(3.0, 20.0)))
        if rng.random() < HEAT_UNKNOWN_RATE:
            heat = -1  # the format's "unknown"
        else:
            # Heat follows quality, runs hotter in a burst, and rarely passes 150.
            raw = quality * 0.7 + rng.gauss(10.0, 18.0) + (35.0 if art.in_burst else 0.0)
            heat = max(0, min(150 if rng.random() < 0.98 else 199, int(raw)))
        out = [
            "---\ncategory: news\n",
            f"title: {quote(art.title)}\n",
            f"excerpt: {quote(art.excerpt)}\n",
            f"publishedDateTime: {when}\n",
        ]
        if rng.random() >= 0.005:
            out.append(f'originalUrl: "{url}"\n')
        video = art.kind == "video"
        has_web = not (video and rng.random() < VIDEO_NO_WEB_URL_RATE)
        amp = cdn = None
        if has_web:
            out.append(f'webUrl: "{url}"\n')
            if prov.amp_rate and rng.random() < prov.amp_rate:
                host = prov.domain.removeprefix("www.")
                amp = f"https://amp.{host}/{stem}"
                cdn = f"https://amp-{host.replace('.', '-')}.cdn.amp.example/c/s/amp.{host}/{stem}"
                out.append(f'ampWebUrl: "{amp}"\ncdnAmpWebUrl: "{cdn}"\n')
        published = "true" if rng.random() < PUBLISHED_RATE else "false"
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
                width, height = IMAGE_SIZES[int(rng.random() * len(IMAGE_SIZES))]
                suffix = "" if k == 0 else f"-{k + 1}"
                images.append((f"https://{prov.img_host}/{stem}{suffix}.jpg", width, height,
                               rng.random() < 0.95))  # fmt: skip
        out.append(prov.block)
        out.append("\ntopics:\n")
        out.extend(f"  - {scalar(t)}\n" for t in art.topics)
        if images:
            out.append("\nimages:\n")
            for img_url, width, height, cached in images:
                out.append(f'  - url: "{img_url}"\n    width: {width}\n    height: {height}\n')
                if rng.random() < 0.15:
                    out.append(f"    title: {quote(art.title)}\n")
                if cached:
                    out.append("    isCached: true\n")
        if rng.random() < RELATED_RATE:
            out.append("\nrelated:\n")
            out.extend(self.related(art))
        out.append(f'\nsecured: "{self.secured()}"\n---\n')

        if has_web:  # later records can list this one as related
            story = Story(art.title, art.excerpt, when, art.day, url, amp, cdn, art.kind, prov,
                           quality, images[0] if images else None)  # fmt: skip
            self.recent[art.topics[0]].append(story)
        return "".join(out)

    def related(self, art: Article) -> list[str]:
        """The rendered ``related`` items of one article."""
        rng = self.rng
        count = 1 + bisect.bisect(RELATED_COUNT_CUM, rng.random() * RELATED_COUNT_CUM[-1])
        chosen: list[Story] = []
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
        if len(chosen) >= 2 and rng.random() < RELATED_TWICE_RATE:
            # Seed 000 lists one story twice with two titles: keep that quirk.
            story = chosen[int(rng.random() * len(chosen))]
            title = story.title.replace(" could ", " may ", 1)
            if title == story.title:
                title = f"{story.title} (updated)"
            if len(items) == 6:  # at most 6 items, the duplicate included
                items.pop(-1 if chosen[-1] is not story else 0)
            items.append(self.render_related(story, title))
        return items

    def external_story(self, topic: str, art: Article) -> Story:
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
        title = self.fill(self.pick(TITLES), topics, subject, when)
        excerpt = self.excerpt(topics, subject, when)
        url = (
            f"https://{prov.domain}/{when.year}/{when.month:02d}/{slug(title)}"
            f"-r{int(rng.random() * 1e7):07d}"
        )
        width, height = IMAGE_SIZES[int(rng.random() * len(IMAGE_SIZES))]
        image = (
            (f"https://{prov.img_host}/r/{int(rng.random() * 1e9)}.jpg", width, height,
             rng.random() < 0.7)
            if rng.random() < 0.85
            else None
        )  # fmt: skip
        quality = min(200, int(prov.quality_scale * rng.gammavariate(3.0, 18.0)))
        return Story(title, excerpt, stamp(when), day, url, None, None,
                      "article", prov, quality, image)  # fmt: skip

    def render_related(self, story: Story, title: str) -> str:
        rng = self.rng
        # Each listing scores the story afresh (seed 000: one URL, qualities 56 and 39).
        quality = max(0, min(200, story.quality + int(rng.gauss(0, 8))))
        if story.head and title is story.title:
            return f"{story.head}    quality: {quality}\n{story.tail}"
        parts = [
            f"  - title: {quote(title)}\n",
            f"    excerpt: {quote(story.excerpt)}\n",
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
