"""Writes the demo corpus's background wire (``src/foreshock/data/demo/background.jsonl``).

    python scripts/demo_background.py            # rewrites the file (same bytes every time)
    python scripts/demo_background.py --check    # exits 1 if the file is not what it writes

The 85 crisis articles alone are too few for the alert detectors: a week holds 6-35 coded
story-events of all dyads, below the minimum support of a window (25), so nearly every
week is "thin" and no baseline forms.  A real news stream carries the rest of the world
beside a crisis.  This background wire does that: short, dated, fictional reports of
ordinary diplomacy between countries far from the crisis (meetings, agreements, aid,
praise, and now and then a complaint), about two a day from 2021-11-01 to 2022-02-19.
It names none of the crisis actors, so it changes the crisis dyads' counts not at all; it
only gives each week the volume a share is measured against.

Standard library only; seeded, so the same script gives the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "foreshock" / "data" / "demo" / \
    "background.jsonl"
START, END = dt.date(2021, 11, 1), dt.date(2022, 2, 19)
SEED = 2021

# country, adjective, capital: pairs of neighbours with ordinary relations
PAIRS = [
    (("Japan", "Japanese", "Tokyo"), ("South Korea", "South Korean", "Seoul")),
    (("Brazil", "Brazilian", "Brasilia"), ("Argentina", "Argentine", "Buenos Aires")),
    (("India", "Indian", "New Delhi"), ("Bangladesh", "Bangladeshi", "Dhaka")),
    (("Kenya", "Kenyan", "Nairobi"), ("Tanzania", "Tanzanian", "Dodoma")),
    (("Canada", "Canadian", "Ottawa"), ("Mexico", "Mexican", "Mexico City")),
    (("Indonesia", "Indonesian", "Jakarta"), ("Malaysia", "Malaysian", "Kuala Lumpur")),
    (("Chile", "Chilean", "Santiago"), ("Peru", "Peruvian", "Lima")),
    (("Vietnam", "Vietnamese", "Hanoi"), ("Thailand", "Thai", "Bangkok")),
    (("Nigeria", "Nigerian", "Abuja"), ("Ghana", "Ghanaian", "Accra")),
    (("Spain", "Spanish", "Madrid"), ("Portugal", "Portuguese", "Lisbon")),
    (("Norway", "Norwegian", "Oslo"), ("Sweden", "Swedish", "Stockholm")),
    (("Egypt", "Egyptian", "Cairo"), ("Jordan", "Jordanian", "Amman")),
    (("Australia", "Australian", "Canberra"), ("New Zealand", "New Zealand", "Wellington")),
    (("Morocco", "Moroccan", "Rabat"), ("Senegal", "Senegalese", "Dakar")),
]

# {A}/{B} countries, {a}/{b} adjectives, {KA}/{KB} capitals, {topic}, {day}
COOPERATION = [
    "{A} and {B} signed an agreement on {topic} in {KA} on {day}.",
    "{A} signed a memorandum with {B} on {topic}.",
    "The {a} foreign minister met her {b} counterpart in {KB} on {day} to discuss {topic}.",
    "The {a} prime minister hosted the {b} president in {KA} for talks on {topic}.",
    "{A} praised {B} for its cooperation on {topic}.",
    "{A} pledged to work with {B} on {topic}.",
    "{A} sent relief supplies to {B} after the floods.",
    "{A} offered {B} technical assistance with {topic}.",
    "The {a} trade minister visited {KB} for two days of talks with {B}.",
    "{A} and {B} agreed to expand cooperation on {topic}.",
]
FRICTION = [
    "{A} criticised {B} over a dispute about {topic}.",
    "{A} complained to {B} about delays at the border crossings.",
]
BACKGROUND = [
    "Officials said the talks had been friendly and productive.",
    "The two governments plan to meet again in the spring.",
    "Business groups in both countries welcomed the move.",
    "The ministry published a short statement after the meeting.",
    "Trade between the two countries has grown steadily over the past decade.",
    "Details of the plan are expected to be released next month.",
    "Local newspapers gave the visit prominent coverage.",
    "The arrangement still needs the approval of both parliaments.",
]
TOPICS = ["fisheries", "rail links", "tourism", "customs procedures", "student exchanges",
          "renewable energy", "port investment", "health research", "water management",
          "digital trade", "crop research", "civil aviation"]
TITLES = ["{A} and {B} deepen ties on {topic}", "{a} and {b} ministers meet on {topic}",
          "{A}, {B} talk {topic}", "New step for {a}-{b} cooperation on {topic}"]
OUTLETS = ["Harbour Times", "Meridian Post", "Demo Wire"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article(rng: random.Random, number: int, day: dt.date) -> dict[str, str]:
    first, second = rng.choice(PAIRS)
    if rng.random() < 0.5:
        first, second = second, first
    topic = rng.choice(TOPICS)
    values = {"A": first[0], "a": first[1], "KA": first[2], "B": second[0], "b": second[1],
              "KB": second[2], "topic": topic, "day": DAYS[day.weekday()]}
    templates = rng.sample(COOPERATION, 2)
    if rng.random() < 0.15:
        templates.append(rng.choice(FRICTION))
    sentences = [t.format(**values) for t in templates]
    sentences += rng.sample(BACKGROUND, 2)
    title = rng.choice(TITLES).format(**values)
    return {"id": f"bg-{number:03d}", "date": day.isoformat(), "title": title[0].upper() +
            title[1:], "source": rng.choice(OUTLETS),
            "url": f"https://demo.foreshock.invalid/bg-{number:03d}", "text": " ".join(sentences)}


def generate() -> str:
    rng = random.Random(SEED)
    lines = []
    day, number = START, 1
    while day <= END:
        for _ in range(2 if rng.random() < 0.8 else 1):
            lines.append(json.dumps(article(rng, number, day), ensure_ascii=False))
            number += 1
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the file differs")
    args = parser.parse_args()
    text = generate()
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'up to date' if same else 'differs: run scripts/demo_background.py'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} articles to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
