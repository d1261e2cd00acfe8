"""A deterministic generator of news-like articles for benchmarks (JSON Lines).

    python bench/synthetic.py -n 20000 -o /tmp/foreshock-synthetic.jsonl

Each line has ``id``, ``date``, ``title``, ``source`` and ``text``.  About 40% of the
articles are political, written from templates over real countries, capitals, leaders and
organisations (statements, meetings, appeals, aid, criticism, threats, protests,
mobilisation, sanctions, attacks; some negated, conditional or future), mixed with
background sentences that name no actor.  The rest are sports, business, weather, culture
and science stories whose sentences mostly name no country, so the actor prefilter has the
kind of work a real news stream gives it.  Lengths average ~600 words (sd ~150), dates
spread over months.  The same seed gives the same file, byte for byte.

Standard library only, and it never writes inside the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# -- actors (valid for the whole default window, Nov 2021 - Mar 2022) ---------------------------
# name, adjective, capital
COUNTRIES = [
    ("Russia", "Russian", "Moscow"), ("Ukraine", "Ukrainian", "Kyiv"),
    ("the United States", "American", "Washington"), ("China", "Chinese", "Beijing"),
    ("France", "French", "Paris"), ("Germany", "German", "Berlin"),
    ("Britain", "British", "London"), ("Turkey", "Turkish", "Ankara"),
    ("Iran", "Iranian", "Tehran"), ("India", "Indian", "New Delhi"),
    ("Japan", "Japanese", "Tokyo"), ("Poland", "Polish", "Warsaw"),
    ("Belarus", "Belarusian", "Minsk"), ("Syria", "Syrian", "Damascus"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"), ("Sudan", "Sudanese", "Khartoum"),
    ("Mali", "Malian", "Bamako"), ("Venezuela", "Venezuelan", "Caracas"),
    ("Brazil", "Brazilian", "Brasilia"), ("Mexico", "Mexican", "Mexico City"),
    ("Egypt", "Egyptian", "Cairo"), ("Saudi Arabia", "Saudi", "Riyadh"),
    ("Pakistan", "Pakistani", "Islamabad"), ("Afghanistan", "Afghan", "Kabul"),
    ("North Korea", "North Korean", "Pyongyang"), ("South Korea", "South Korean", "Seoul"),
    ("Lithuania", "Lithuanian", "Vilnius"), ("Moldova", "Moldovan", "Chisinau"),
    ("Armenia", "Armenian", "Yerevan"), ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Serbia", "Serbian", "Belgrade"), ("Kazakhstan", "Kazakh", "Nur-Sultan"),
    ("Israel", "Israeli", "Tel Aviv"), ("Nigeria", "Nigerian", "Abuja"),
    ("Colombia", "Colombian", "Bogota"), ("Myanmar", "Myanmar", "Naypyidaw"),
]
# full title, short name, country index in COUNTRIES
LEADERS = [
    ("Russian President Vladimir Putin", "Putin", 0),
    ("Russian Foreign Minister Sergei Lavrov", "Lavrov", 0),
    ("Russian Defence Minister Sergei Shoigu", "Shoigu", 0),
    ("Ukrainian President Volodymyr Zelenskyy", "Zelenskyy", 1),
    ("Ukrainian Foreign Minister Dmytro Kuleba", "Kuleba", 1),
    ("U.S. President Joe Biden", "Biden", 2),
    ("Secretary of State Antony Blinken", "Blinken", 2),
    ("Defense Secretary Lloyd Austin", "Austin", 2),
    ("Chinese President Xi Jinping", "Xi", 3),
    ("Chinese Foreign Minister Wang Yi", "Wang", 3),
    ("French President Emmanuel Macron", "Macron", 4),
    ("British Prime Minister Boris Johnson", "Johnson", 6),
    ("Turkish President Recep Tayyip Erdogan", "Erdogan", 7),
    ("Iranian President Ebrahim Raisi", "Raisi", 8),
    ("Indian Prime Minister Narendra Modi", "Modi", 9),
    ("Japanese Prime Minister Fumio Kishida", "Kishida", 10),
    ("Polish Prime Minister Mateusz Morawiecki", "Morawiecki", 11),
    ("Belarusian leader Alexander Lukashenko", "Lukashenko", 12),
    ("Israeli Prime Minister Naftali Bennett", "Bennett", 32),
]
ORGANISATIONS = [
    ("NATO", "NATO Secretary General Jens Stoltenberg"),
    ("the European Union", "EU foreign policy chief Josep Borrell"),
    ("the United Nations", "UN Secretary-General Antonio Guterres"),
    ("the OSCE", "the OSCE chairman"),
    ("the International Monetary Fund", "IMF chief Kristalina Georgieva"),
]
GROUPS = ["officials", "troops", "forces", "diplomats", "lawmakers", "police",
          "the government", "the foreign ministry", "the defence ministry", "the military"]

# -- political templates: {S} subject, {O} object, {C} object country name, {K} capital ------
# Each kind's CAMEO code is what the sentence *says* (an answer key, not a coder's output):
# it lets a test build a database with events without running the coder (``Fact``).
EVENT_TEMPLATES: dict[str, list[str]] = {
    "statement": [
        "{S} said on {day} that the situation on the border with {C} remained calm.",
        "{S} told reporters in {K} that relations with {C} were improving.",
        "{S} made an optimistic comment about the talks with {O}.",
        "{S} declined to comment on the report about {O}.",
    ],
    "appeal": [
        "{S} called on {O} to return to the negotiating table.",
        "{S} urged {O} to release the detained journalists.",
        "{S} appealed to {O} for calm after the clashes.",
        "{S} asked {O} to open the border crossings to aid convoys.",
    ],
    "intent": [
        "{S} pledged to provide humanitarian aid to {O}.",
        "{S} offered to mediate between {O} and its neighbours.",
        "{S} expressed willingness to meet {O} before the end of the month.",
    ],
    "meeting": [
        "{S} met {O} in {venue} on {day}.",
        "{S} held talks with {O} on energy security.",
        "{S} visited {K} for two days of talks.",
        "{S} hosted {O} for a working dinner.",
        "{S} spoke by telephone with {O} for almost an hour.",
    ],
    "cooperation": [
        "{S} signed an agreement with {O} on trade and transit.",
        "{S} praised {O} for its handling of the crisis.",
        "{S} agreed with {O} to extend the ceasefire.",
    ],
    "aid": [
        "{S} sent humanitarian aid to {O}.",
        "{S} delivered anti-tank weapons to {O}.",
        "{S} granted a loan of ${num} million to {O}.",
    ],
    "demand": [
        "{S} demanded that {O} withdraw its troops from the border.",
        "{S} demanded security guarantees from {O}.",
    ],
    "criticism": [
        "{S} criticized {O} over the arrests of opposition activists.",
        "{S} accused {O} of violating the ceasefire.",
        "{S} condemned {O} for the missile test.",
        "{S} rejected the proposal put forward by {O}.",
    ],
    "threat": [
        "{S} threatened {O} with sanctions over the troop build-up.",
        "{S} warned {O} of severe consequences if it crossed the border.",
        "{S} threatened to cut gas supplies to {O}.",
    ],
    "protest": [
        "Thousands of protesters rallied in {K} against the government.",
        "Demonstrators gathered outside the {A} embassy in {K2}.",
        "Protesters in {K} demanded the resignation of the government.",
    ],
    "mobilisation": [
        "{S} massed troops near the border with {C}.",
        "{S} put its forces on high alert after the incident with {O}.",
        "{S} moved tanks and artillery closer to {C}.",
    ],
    "sanctions": [
        "{S} imposed sanctions on {O}.",
        "{S} expelled two diplomats from {O}.",
        "{S} froze the assets of officials from {O}.",
        "{S} suspended military cooperation with {O}.",
    ],
    "attack": [
        "{S} shelled positions held by {O} near the front line.",
        "{S} attacked {O} with drones overnight.",
        "{S} launched missile strikes on {O}.",
        "{S} fired on a patrol of {O}, killing two soldiers.",
    ],
}
KIND_CODES = {"statement": "010", "appeal": "020", "intent": "030", "meeting": "040",
              "cooperation": "050", "aid": "070", "demand": "100", "criticism": "110",
              "threat": "130", "protest": "140", "mobilisation": "150", "sanctions": "160",
              "attack": "190"}
NEGATED = [
    "{S} denied that it had attacked {O}.",
    "{S} did not threaten {O}, a spokesman said.",
    "{S} has no plans to invade {C}, officials insisted.",
    "{S} refused to meet {O}.",
]
NEGATED_CODES = ["190", "130", "190", "040"]
CONDITIONAL = [
    "If {S} invades {C}, the West will impose severe sanctions.",
    "{S} could attack {O} as early as next month, analysts warned.",
    "{S} will meet {O} in {venue} next week.",
    "{S} may send more troops to the border with {C}.",
]
# (code, modality) of each conditional template
CONDITIONAL_FACTS = [("190", "hypothetical"), ("190", "hypothetical"), ("040", "future"),
                     ("150", "hypothetical")]
REPORTED = [
    "According to officials, {S} met {O} in {venue}.",
    "{S} criticized {O}, the news agency reported.",
]
REPORTED_CODES = ["040", "110"]
BACKGROUND = [
    "The talks are expected to continue next week.",
    "Analysts said the situation remained tense.",
    "Officials did not give further details.",
    "The statement was published on the ministry's website late on {day}.",
    "It was not immediately possible to verify the claims independently.",
    "The two sides have met several times since the summer without a breakthrough.",
    "Energy prices rose sharply after the announcement.",
    "A spokesman said more information would be released in the coming days.",
    "The meeting lasted about two hours, according to people familiar with it.",
    "Satellite images published this week showed new equipment at the base.",
    "Diplomats described the atmosphere as businesslike but difficult.",
    "The ministry said the decision had been taken after careful consideration.",
    "Markets reacted calmly to the news, with the currency little changed.",
    "Several thousand people have left the area since the fighting began.",
    "The agreement still needs to be approved by parliament.",
    "Critics said the measures did not go far enough.",
    "The report could not be confirmed by independent observers on the ground.",
    "He spoke at a news conference after the meeting.",
    "She said the government was ready to respond to any scenario.",
    "They said the next round of talks would take place in the new year.",
]
VENUES = ["Geneva", "Vienna", "Brussels", "Helsinki", "Istanbul", "Doha", "Minsk", "Rome"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# -- non-political ------------------------------------------------------------------------------
TEAMS = ["Rovers", "City", "United", "Wanderers", "Athletic", "the Harbour Hawks",
         "the Valley Lions", "Northgate", "Riverside", "the Red Comets"]
PLAYERS = ["Marcus Hale", "Tomas Berrigan", "Leo Whitcombe", "Dani Okafor", "Sam Pryce",
           "Ivo Marlow", "Jonah Keel", "Rafa Lindqvist", "Owen Tarrant", "Nico Brandt"]
COMPANIES = ["Northwind Corp", "Bluepeak Systems", "Harbor Foods", "Altamira Motors",
             "Kestrel Pharma", "Lumen Retail", "Greyfield Energy", "Orchard Logistics"]
PEOPLE = ["Anna Kowal", "David Reyes", "Clara Jennings", "Peter Lau", "Maya Brooks",
          "Henrik Sorensen", "Lucia Ferraro", "Tom Ashby"]
REGIONS = ["the northern valleys", "the coastal plain", "the highlands", "the river basin",
           "the eastern suburbs", "the mountain passes", "the lake district", "the southern hills"]
TOPICS: dict[str, list[str]] = {
    "sports": [
        "{T} beat {T2} {n1}-{n2} on {day} night in front of a crowd of {num},000.",
        "{P} scored twice in the second half as {T} came back from a goal down.",
        "The coach said his players had shown great character after a difficult week.",
        "{T} remain {n1} points clear at the top of the table with {n2} games left.",
        "{P} has missed the last three matches with a hamstring injury.",
        "The referee was criticised for a late penalty decision that changed the game.",
        "Tickets for the final sold out within minutes of going on sale.",
        "{P} signed a new four-year contract with {T} on {day}.",
        "The club said the training ground would be closed to the public until further notice.",
        "Fans celebrated long into the night after the final whistle.",
        "The season resumes after the winter break with a derby against {T2}.",
        "{P}, who joined from {T2} in the summer, has adapted quickly to the league.",
    ],
    "business": [
        "{Co} reported a {n1} percent rise in quarterly revenue, beating analyst forecasts.",
        "Shares in {Co} fell {n2} percent in early trading after the announcement.",
        "The company said supply chain problems would continue into next year.",
        "{Co} plans to open {n1} new stores and hire about {num}0 staff.",
        "Chief executive {Pe} said demand had recovered faster than expected.",
        "Analysts expect interest rates to rise at least twice next year.",
        "The merger with {Co2} is expected to close in the second quarter.",
        "Consumer spending slowed in the run-up to the holidays.",
        "The board approved a dividend of {n1} cents a share.",
        "{Co} said it would invest ${num} million in a new battery plant.",
        "Freight costs have more than doubled since the start of the year.",
        "The retailer cut its profit forecast for the full year.",
    ],
    "weather": [
        "Heavy rain is expected across {R} on {day}, with up to {num} millimetres in places.",
        "Forecasters warned of strong winds and possible flooding in {R}.",
        "Temperatures will drop below freezing overnight in {R}.",
        "Drivers were advised to avoid unnecessary journeys until the storm passes.",
        "Snow closed several roads in {R} and schools stayed shut.",
        "The weekend will be dry and bright, with highs of around {n1} degrees.",
        "River levels rose quickly after three days of continuous rain.",
        "Power was cut to about {num}00 homes after trees fell on lines in {R}.",
        "Fog is likely to cause delays at the airport in the morning.",
        "The weather service said the cold spell would last until the end of the week.",
    ],
    "culture": [
        "The festival opens on {day} with a new production by director {Pe}.",
        "{Pe}'s latest novel has been shortlisted for the prize.",
        "The exhibition brings together more than {num} works from private collections.",
        "Critics praised the film's photography but found its plot thin.",
        "The band announced a tour of {n1} cities starting in the spring.",
        "The museum will stay open late on Fridays during the holiday season.",
        "The album went straight to the top of the charts in its first week.",
        "{Pe} said the play was inspired by her grandmother's letters.",
        "The restored theatre reopened after a two-year renovation.",
        "Audiences gave the orchestra a standing ovation.",
    ],
    "science": [
        "Researchers at the university found that the compound slowed the growth of the cells.",
        "The study, published in a leading journal, followed {num} volunteers for two years.",
        "Astronomers detected a planet orbiting a star about {n1}0 light years away.",
        "{Pe}, who led the team, said the results needed to be confirmed by larger trials.",
        "The telescope will begin collecting data early next year.",
        "Scientists warned that the findings could not yet be applied to humans.",
        "The new battery design stores twice as much energy as current models.",
        "Samples collected from the seabed contained previously unknown bacteria.",
        "The vaccine trial enrolled participants in {n1} hospitals.",
        "Engineers tested the prototype in a wind tunnel for several weeks.",
    ],
}
# a rare country mention in a non-political story (exports, tours, matches abroad)
ASIDE = [
    "The company also exports to {C}.",
    "The tour includes a concert in {K}.",
    "The team travels to {C} for a friendly next month.",
    "Similar results were reported by a laboratory in {C}.",
]
TITLES = {
    "sports": ["{T} edge {T2} in thriller", "{P} inspires comeback win", "Late goal sinks {T2}"],
    "business": ["{Co} profits beat forecasts", "{Co} shares slide", "Retailers brace for slow"
                 " winter"],
    "weather": ["Storm warning for {R}", "Cold snap grips {R}", "Floods close roads in {R}"],
    "culture": ["Festival opens with premiere", "{Pe} novel on prize shortlist", "Museum"
                " unveils new wing"],
    "science": ["Study finds new treatment target", "Astronomers spot distant planet",
                "New battery design doubles capacity"],
}
OUTLETS = ["Global Wire", "The Daily Ledger", "Harbor Times", "Continental Post",
           "Evening Courier", "Metro Herald"]


@dataclass(frozen=True, slots=True)
class Fact:
    """What one political sentence of an article says: who did what to whom, with which
    modality.  ``source`` and ``target`` are names as the generator knows them (a country's
    name such as "the United States", or an organisation's such as "NATO"); ``subject``
    is the phrase the sentence names its doer with (its first word after it is the verb;
    capitalised when it opens the sentence).
    Recording facts draws nothing from the random generator: the articles stay the same."""

    sentence: str
    code: str
    modality: str  # asserted, negated, hypothetical or future (foreshock.records.Modality)
    source: str
    target: str
    subject: str


class Generator:
    def __init__(self, seed: int, start: dt.date, days: int) -> None:
        self.rng = random.Random(seed)
        self.start = start
        self.days = days
        self.event_kinds = list(EVENT_TEMPLATES)
        #: the facts of the last article (``article``), in text order
        self.facts: list[Fact] = []
        self._organisation = ""  # the name behind the last actor drawn, if an organisation
        self._filled: tuple[str, str, str] | None = None  # source, target, subject

    # -- actors --
    def _actor(self) -> tuple[str, int]:
        """An actor phrase and its country index (-1 for an organisation)."""
        r = self.rng.random()
        if r < 0.30:
            i = self.rng.randrange(len(COUNTRIES))
            return COUNTRIES[i][0], i
        if r < 0.55:
            title, short, i = self.rng.choice(LEADERS)
            return (title if self.rng.random() < 0.6 else short), i
        if r < 0.70:
            i = self.rng.randrange(len(COUNTRIES))
            return f"{COUNTRIES[i][1]} {self.rng.choice(GROUPS)}", i
        if r < 0.85:
            i = self.rng.randrange(len(COUNTRIES))
            return COUNTRIES[i][2], i
        name, person = self.rng.choice(ORGANISATIONS)
        self._organisation = name
        return (person if self.rng.random() < 0.4 else name), -1

    def _name(self, index: int) -> str:
        """The name of the actor drawn last with this country index."""
        return COUNTRIES[index][0] if index >= 0 else self._organisation

    def _fill(self, template: str, main: tuple[int, int] | None = None) -> str:
        rng = self.rng
        subject, si = self._actor()
        source = self._name(si)
        obj, oi = self._actor()
        for _ in range(3):
            if oi != si:
                break
            obj, oi = self._actor()
        target = self._name(oi)
        if main is not None and rng.random() < 0.7:  # keep the article on its dyad
            a, b = main
            subject, obj = COUNTRIES[a][0], COUNTRIES[b][0]
            source, target = subject, obj
            oi = b
        country = COUNTRIES[oi if oi >= 0 else rng.randrange(len(COUNTRIES))]
        if "{O}" not in template:  # "visited {K}", "massed troops near the border with {C}"
            target = country[0]
        self._filled = (source, target, subject)
        other = COUNTRIES[rng.randrange(len(COUNTRIES))]
        text = template.format(
            S=subject, O=obj, C=country[0], K=country[2], A=other[1], K2=COUNTRIES[
                rng.randrange(len(COUNTRIES))][2], venue=rng.choice(VENUES),
            day=rng.choice(DAYS), num=rng.randrange(2, 900))
        return text[0].upper() + text[1:]

    def _political_sentence(self, main: tuple[int, int]) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(BACKGROUND).format(day=self.rng.choice(DAYS))
        if r < 0.53:
            i = self.rng.randrange(len(NEGATED))  # what rng.choice draws, with the index
            return self._fact(self._fill(NEGATED[i], main), NEGATED_CODES[i], "negated")
        if r < 0.61:
            i = self.rng.randrange(len(CONDITIONAL))
            return self._fact(self._fill(CONDITIONAL[i], main), *CONDITIONAL_FACTS[i])
        if r < 0.65:
            i = self.rng.randrange(len(REPORTED))
            return self._fact(self._fill(REPORTED[i], main), REPORTED_CODES[i], "asserted")
        kind = self.rng.choice(self.event_kinds)
        text = self._fill(self.rng.choice(EVENT_TEMPLATES[kind]), main)
        if kind == "protest":  # protesters in a capital: no actor the sentence names
            return text
        return self._fact(text, KIND_CODES[kind], "asserted")

    def _fact(self, sentence: str, code: str, modality: str) -> str:
        assert self._filled is not None
        source, target, subject = self._filled
        if source != target:  # "Russia ... near the border with Russia": no dyad
            self.facts.append(Fact(sentence, code, modality, source, target, subject))
        return sentence

    def _topic_sentence(self, topic: str) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            i = rng.randrange(len(COUNTRIES))
            return rng.choice(ASIDE).format(C=COUNTRIES[i][0], K=COUNTRIES[i][2])
        t1, t2 = rng.sample(TEAMS, 2)
        c1, c2 = rng.sample(COMPANIES, 2)
        text = rng.choice(TOPICS[topic]).format(
            T=t1, T2=t2, P=rng.choice(PLAYERS), Co=c1, Co2=c2, Pe=rng.choice(PEOPLE),
            R=rng.choice(REGIONS), day=rng.choice(DAYS), n1=rng.randrange(1, 40),
            n2=rng.randrange(1, 12), num=rng.randrange(2, 90))
        return text[0].upper() + text[1:]

    def _title(self, topic: str, main: tuple[int, int]) -> str:
        rng = self.rng
        if topic == "politics":
            a, b = COUNTRIES[main[0]][0], COUNTRIES[main[1]][0]
            title = rng.choice(["{a} and {b} trade accusations over border",
                                "{a} warns {b} as tensions rise", "Talks between {a} and {b}"
                                " end without deal", "{a} sends aid to {b}"]).format(a=a, b=b)
            return title[0].upper() + title[1:]
        t1, t2 = rng.sample(TEAMS, 2)
        return rng.choice(TITLES[topic]).format(
            T=t1, T2=t2, P=rng.choice(PLAYERS), Co=rng.choice(COMPANIES),
            R=rng.choice(REGIONS), Pe=rng.choice(PEOPLE))

    def article(self, number: int) -> tuple[dict[str, str], str]:
        """One article record and its topic ("politics", "sports" ...); ``facts`` then
        holds what its political sentences say."""
        rng = self.rng
        self.facts = []
        political = rng.random() < 0.40
        topic = "politics" if political else rng.choice(list(TOPICS))
        target = max(150, min(1500, int(rng.gauss(600, 150))))
        a, b = rng.sample(range(len(COUNTRIES)), 2)
        main = (a, b)
        sentence: Callable[[], str] = (
            (lambda: self._political_sentence(main)) if political
            else (lambda: self._topic_sentence(topic)))
        paragraphs: list[str] = []
        words = 0
        while words < target:
            para = [sentence() for _ in range(rng.randint(1, 4))]
            words += sum(s.count(" ") + 1 for s in para)
            paragraphs.append(" ".join(para))
        day = self.start + dt.timedelta(days=rng.randrange(self.days))
        return {"id": f"syn-{number:06d}", "date": day.isoformat(),
                "title": self._title(topic, main), "source": rng.choice(OUTLETS),
                "text": "\n\n".join(paragraphs)}, topic


def generate(path: Path, n: int, seed: int = 20220224, start: dt.date = dt.date(2021, 11, 1),
             days: int = 150, facts: dict[str, list[Fact]] | None = None
             ) -> dict[str, float]:
    """Write ``n`` articles to ``path``; returns counts and word statistics.  ``facts``, if
    given, receives each political article's facts under its id."""
    gen = Generator(seed, start, days)
    lengths: list[int] = []
    political = 0
    with path.open("w", encoding="utf-8") as handle:
        for number in range(n):
            record, topic = gen.article(number)
            if facts is not None and gen.facts:
                facts[record["id"]] = gen.facts
            lengths.append(len(record["text"].split()))
            political += topic == "politics"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"articles": n, "political": political, "words": sum(lengths),
            "mean_words": statistics.fmean(lengths),
            "sd_words": statistics.pstdev(lengths) if n > 1 else 0.0}


def _inside_repo(path: Path) -> bool:
    try:
        path.resolve().relative_to(REPO)
    except ValueError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=20_000)
    parser.add_argument("-o", "--output", default=None,
                        help="JSONL to write [default: /tmp/foreshock-synthetic-N-SEED.jsonl]")
    parser.add_argument("--seed", type=int, default=20220224)
    parser.add_argument("--start", default="2021-11-01", help="first date (YYYY-MM-DD)")
    parser.add_argument("--days", type=int, default=150, help="dates spread over this many days")
    args = parser.parse_args(argv)
    out = Path(args.output or f"/tmp/foreshock-synthetic-{args.articles}-{args.seed}.jsonl")
    if _inside_repo(out):
        parser.error(f"{out}: refusing to write benchmark data inside the repository")
    started = time.perf_counter()
    stats = generate(out, args.articles, args.seed, dt.date.fromisoformat(args.start), args.days)
    print(f"wrote {stats['articles']:.0f} articles ({stats['political']:.0f} political), "
          f"{stats['words']:.0f} words "
          f"(mean {stats['mean_words']:.0f}, sd {stats['sd_words']:.0f}) to {out} "
          f"in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
