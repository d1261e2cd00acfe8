"""When an event happened: the date the text gives it, resolved against publication.

"On Thursday", "early in the morning of February 24", "last week", "two days ago", "in
2014": the time phrases that modify a trigger (or the light verb of an event noun) are read
with the time words of ``data/lexicons/time.tsv`` and resolved against the article's
publication date.  An act the text dates more than ``BACKGROUND_DAYS`` before publication,
one going on "since 2014" or "for eight years", one in a named era of the past ("during
the Second World War") or one remembered ("the anniversary of the invasion") is background:
it is not news of the day and gives no event.  Phrases of other clauses do not date the
trigger: "Ukraine said on Thursday that Russia attacked" dates the saying.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from foreshock.ontology.function_words import function_words
from foreshock.ontology.timewords import TimeWords

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

#: an act dated further back than this is background, not an event of the day
BACKGROUND_DAYS = 7
#: an asserted act dated this far after publication is a misreading: no date
FUTURE_SLACK_DAYS = 2
#: what a time phrase hangs on the trigger by
TIME_DEPS = frozenset({"npadvmod", "tmod", "advmod", "prep", "obl", "nmod", "advcl", "poss"})
TIME_PREPS = _WORDS.time_preps
#: what is awarded for deeds ("the Medal of Honor for service ..."): ``award_citation``
AWARD_NOUNS = _WORDS.award_nouns
#: "the first attack since 2014": an ordinal makes a record, as a superlative does
RECORD_ORDINALS = _WORDS.record_ordinals
#: a time phrase stops at these edges (another clause, an appositive)
STOP_DEPS = frozenset({"relcl", "acl", "ccomp", "xcomp", "appos", "parataxis", "csubj",
                       "dobj", "nsubj", "nsubjpass"})
#: what a retrospective frame hangs on its clause by ("if you look back ...", "in hindsight")
FRAME_DEPS = frozenset({"advcl", "prep", "advmod", "npadvmod"})
PRECISION_DAYS = {"day": 0, "week": 6, "month": 30, "year": 364}
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_DECADE = re.compile(r"(1[89]\d|20\d)0s")


@dataclass(frozen=True, slots=True)
class Period:
    first: dt.date
    precision: str  # day | week | month | year

    @property
    def last(self) -> dt.date:
        if self.precision == "month":
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first.replace(day=days)
        if self.precision == "year":
            return self.first.replace(month=12, day=31)
        return self.first + dt.timedelta(days=PRECISION_DAYS[self.precision])


@dataclass(frozen=True, slots=True)
class EventTime:
    """The event date the text gives (first day of the period and its precision), whether
    the act is background, and the words that said so."""

    date: dt.date | None = None
    precision: str = ""
    background: bool = False
    expression: str = ""


UNDATED = EventTime()


def event_time(trigger: Token, published: dt.date, words: TimeWords,
               forward: bool = False) -> EventTime:
    """The time the text gives the act of ``trigger``; ``forward`` for future acts ("will
    meet on Thursday" is the coming Thursday)."""
    memory = _remembered(trigger, words)
    if memory is not None and memory.lemma_.lower() not in words.recent_memory and \
            memory.lower_ not in words.recent_memory:
        return EventTime(background=True, expression=memory.text)
    dated = _dated(trigger, published, words, forward)
    if memory is not None and not forward and _past_act(trigger, memory, words) and (
            dated.date is None or dated.background):
        # "Putin recalled that he had met Biden in Geneva": remembered, unless the text
        # dates the act within the last few days ("recalled that troops shelled Kharkiv
        # on Monday": a translated "pointed out", about this week) or it is not past
        # ("recalled that Russian troops are shelling Kharkiv every day")
        return EventTime(background=True, expression=memory.text)
    frame = "" if forward else _retrospect(trigger, words)
    if frame and narrated_past(trigger, words) and (dated.date is None or dated.background):
        # "if you look back at the history of what we did, there was a range of planning,
        # including positioning military forces": a past act the speaker looks back over
        # (not a condition), unless the text dates it within days
        return EventTime(background=True, expression=frame)
    return dated


def award_citation(sentence: Doc) -> bool:
    """Whether a sentence gives someone an award for what they did ("will receive the Medal
    of Honor ... for service as the leader of a special operations unit in Afghanistan on
    July 12th, 2018", "presented state decorations to servicemen for courage"): the next
    sentences of its paragraph tell the deeds of the citation, not news."""
    for token in sentence:
        if token.lemma_.lower() not in AWARD_NOUNS and token.lower_ not in AWARD_NOUNS:
            continue
        for node in (token, token.head):
            if any(c.dep_ == "prep" and c.lower_ == "for" for c in node.children):
                return True
    return False


def narrated_past(trigger: Token, words: TimeWords) -> bool:
    """Whether the trigger's clause is in the simple past ("Sergeant Celiz led an
    operation", "was attacked") or the pluperfect: a told story's next step.  A perfect
    ("has deployed"), a present or a modal one is told as of now."""
    node = trigger
    for _ in range(8):
        auxes = [c for c in node.children if c.dep_ in {"aux", "auxpass"}]
        if any(a.lower_ in words.modals for a in auxes):
            return False
        if any(a.lemma_.lower() == "have" for a in auxes):
            return any(a.lemma_.lower() == "have" and a.tag_ == "VBD" for a in auxes)
        if node.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return True
        if node.tag_ in {"VBZ", "VBP"} or any(a.tag_ in {"VBZ", "VBP", "MD"} for a in auxes):
            return False
        if node.tag_ == "VB" and not any(a.tag_ == "TO" for a in auxes):
            return False  # an imperative or a bare verb; an infinitive tells its governor's time
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _retrospect(trigger: Token, words: TimeWords) -> str:
    """The retrospective frame ("if you look back at ...", "in hindsight", a bare "Looking
    back,") of a clause on the trigger's path up to the sentence root, if any.  Not "as the
    leaders looked back on 30 years" (what goes on meanwhile) nor "looking back on the
    talks" (a participle with its own object looks at that)."""
    path = [trigger, *trigger.ancestors]
    on_path = {t.i for t in path}
    for node in path:
        for child in node.children:
            if child.i in on_path or child.dep_ not in FRAME_DEPS:
                continue
            lemmas = f" {' '.join(t.lemma_.lower() for t in list(child.subtree)[:6])} "
            phrase = next((p for p in sorted(words.retrospect) if f" {p} " in lemmas), "")
            if phrase and _frames(child):
                return phrase
    return ""


def _frames(frame: Token) -> bool:
    """A phrase ("in hindsight"), an if-clause ("if you look back at the history of what we
    did"), or a participle with nothing after its particle ("Looking back, ...")."""
    if frame.dep_ != "advcl":
        return True
    marks = {c.lower_ for c in frame.children if c.dep_ == "mark"}
    if marks:
        return marks <= {"if"}
    return not any(c.dep_ in {"prep", "dobj"} for c in frame.children) and not any(
        c.dep_ == "prep" for t in frame.children if t.dep_ in {"advmod", "prt"}
        for c in t.children)


def _past_act(trigger: Token, memory: Token, words: TimeWords) -> bool:
    """Whether the act a memory word governs is told as past: an event noun ("recalled his
    visit"), a past or pluperfect verb ("recalled that he had met"), a gerund right under
    the memory word ("recalled meeting Biden"); not a present, progressive or modal one."""
    if trigger.pos_ in {"NOUN", "PROPN"}:
        return True
    if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in words.modals
           for c in trigger.children):
        return False
    if trigger.tag_ == "VBD":
        return True
    if trigger.tag_ == "VBN":
        return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in trigger.children)
    return trigger.tag_ == "VBG" and trigger.head.i == memory.i and \
        trigger.dep_ in {"xcomp", "pcomp", "dobj"}


def _dated(trigger: Token, published: dt.date, words: TimeWords, forward: bool
           ) -> EventTime:
    """The date the text gives the act (background when it places it in the past)."""
    since = _years_since(trigger, words)
    if since is not None:
        return since
    best: EventTime | None = None
    if trigger.dep_ == "relcl" and trigger.head.pos_ in {"NUM", "NOUN", "PROPN"}:
        # "in 2014, when Russia last invaded Ukraine": the clause dates by its head
        found = _read(trigger.head, published, words, forward)
        if found is not None:
            if found.background:
                return found
            best = found
    for anchor in _anchors(trigger):
        for child in anchor.children:
            if child.dep_ not in TIME_DEPS or child.i == trigger.i:
                continue
            if child.dep_ == "prep" and child.lower_ not in TIME_PREPS:
                continue
            if child.dep_ == "advcl" and not forward and _life_period(child):
                # "When I was a government minister, I met my Russian colleagues": an
                # act dated to a past period of someone's life is background
                return EventTime(background=True, expression=f"when {child.text}")
            if child.dep_ == "advcl" and not any(
                    c.dep_ == "mark" and c.lower_ == "since" for c in child.children):
                continue
            found = _read(child, published, words, forward)
            if found is None:
                continue
            if found.background:
                return found
            if best is None or (found.precision and PRECISION_DAYS[found.precision] <
                                PRECISION_DAYS.get(best.precision, 999)):
                best = found
        if best is not None:
            break  # the trigger's own time wins over one it would share with another verb
    if best is not None and best.date is not None and not forward and \
            best.date > published + dt.timedelta(days=FUTURE_SLACK_DAYS):
        return UNDATED  # an act reported as done cannot be dated after publication
    return best or UNDATED


def _life_period(clause: Token) -> bool:
    """ "when I was a minister", "when he was prime minister": a when-clause of a past copula
    with a noun predicate and nothing else to do."""
    return clause.lemma_.lower() == "be" and clause.tag_ == "VBD" and any(
        c.dep_ == "advmod" and c.lower_ == "when" for c in clause.children) and any(
        c.dep_ == "attr" and c.pos_ in {"NOUN", "PROPN"} for c in clause.children)


def _years_since(trigger: Token, words: TimeWords) -> EventTime | None:
    """ "Eight years since Russia has annexed Crimea": an act with "since" of its own and a
    length beside it happened that long ago."""
    if not any(c.dep_ == "mark" and c.lower_ == "since" for c in trigger.children):
        return None
    for child in trigger.children:
        if child.dep_ in {"npadvmod", "nmod", "obl"}:
            span = _amount(_phrase(child), words)
            if span is not None and span > BACKGROUND_DAYS:
                return EventTime(background=True, expression=f"{child.text} since")
    return None


def _anchors(trigger: Token) -> list[Token]:
    """The trigger, and for an event noun the verb it is the object of ("launched an attack
    on Thursday"); for a verb controlled by another ("began shelling on Friday") or
    coordinated with another, that verb."""
    anchors = [trigger]
    head = trigger.head
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ in {"dobj", "nsubjpass", "nsubj",
                                                               "attr"} and \
            head.pos_ in {"VERB", "AUX"}:
        anchors.append(head)
    elif trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ == "pobj" and \
            head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        anchors.append(head.head)
    node = trigger
    for _ in range(4):
        # "8 years ago, the army invaded our land and occupied part of it", "after the
        # collapse ..., they tried to squeeze us, finish us off and destroy us": coordinated
        # and controlled verbs share the first one's time
        if node.dep_ not in {"xcomp", "conj"} or node.head.pos_ not in {"VERB", "AUX"}:
            break
        node = node.head
        anchors.append(node)
    return anchors


def _remembered(trigger: Token, words: TimeWords) -> Token | None:
    """ "the anniversary of the invasion", "commemorating the victims of the attack": a
    memory word governing the trigger within a few steps."""
    node = trigger
    for _ in range(4):
        if node.head.i == node.i or node.dep_ in {"conj", "advcl", "parataxis"}:
            return None
        node = node.head
        if node.lemma_.lower() in words.memory or node.lower_ in words.memory:
            return node
    return None


def _phrase(modifier: Token, units: Collection[str] = frozenset()) -> list[Token]:
    """The tokens of a time phrase: the modifier's subtree, not entering other clauses, nor
    a comparison's "since" inside it ("in the heaviest bombardment since 2006" does not date
    the act to 2006; "in the years since 2006" does)."""
    out: list[Token] = []
    stack = [modifier]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.children if (c.dep_ not in STOP_DEPS or _year_appos(c))
                     and not (c.i != modifier.i and _comparison(c, units)))
    return sorted(out, key=lambda t: t.i)


def _comparison(since: Token, units: Collection[str]) -> bool:
    """A "since" that closes a comparison: the noun right before it (or a noun it hangs
    under) is a record, with a superlative or an ordinal ("the heaviest bombardment since
    2006", "its largest air attack on Kyiv since the start of the war", "the first such
    strike since 2014").  Such a phrase measures the act against the time since; it does not
    say the act has gone on since then.  A time unit is no record ("in the first years since
    2011" is a stretch of time)."""
    if since.lower_ != "since" or since.i == 0:
        return False
    node = since.doc[since.i - 1]
    for _ in range(4):
        if node.pos_ not in {"NOUN", "PROPN"} or node.lower_ in units:
            return False
        if any(c.tag_ in {"JJS", "RBS"} or c.lower_ in RECORD_ORDINALS or any(
                g.tag_ == "RBS" for g in c.children) for c in node.children
               if c.dep_ in {"amod", "advmod", "nummod"}):
            return True
        if node.dep_ != "pobj" or node.head.head.i == node.head.i:
            return False
        node = node.head.head  # "attack on Kyiv": from the preposition's object to its noun
    return False


def _year_appos(token: Token) -> bool:
    """ "on July 12th, 2018": the parser often makes the year an appositive of the day; it
    is part of the date, not another phrase."""
    return token.dep_ == "appos" and token.text.isdigit() and len(token.text) == 4


def _read(modifier: Token, published: dt.date, words: TimeWords,
          forward: bool) -> EventTime | None:
    tokens = _phrase(modifier, words.units)
    text = " ".join(t.lower_ for t in tokens)
    # a "since" clause ("... since Russia annexed Crimea in 2014") dates the start of what
    # the trigger says is going on
    lead = "since" if modifier.dep_ == "advcl" else \
        modifier.lower_ if modifier.dep_ == "prep" else ""
    if lead == "since" and modifier.dep_ == "prep" and _comparison(modifier, words.units) and \
            not _perfect(modifier.head):
        # the parser often hangs a superlative's "since" on the verb: "Israel strikes
        # Hezbollah targets in the heaviest bombardment since 2006", "the largest air attack
        # since the Second World War"; with a perfect the "since" is the act's own span
        # ("has occupied the largest town in the region since 2018")
        return None
    for era in words.eras:
        if re.search(rf"\b{re.escape(era.name)}\b", text):
            return EventTime(dt.date(era.first, 1, 1), "year", True, era.name)
    phrase = "" if forward else _bygone(tokens, words)
    if phrase:
        return EventTime(background=True, expression=phrase)
    if lead == "for":
        # "have been shelling Donbas for eight years", "has waged a legal war for years":
        # going on long before the day; "has jailed him for two years" and "will impose
        # restrictions for two years" give a length, not a date
        span = _amount(tokens, words)
        vague = len(tokens) == 2 and tokens[1].lower_ in {"years", "decades", "centuries"}
        if span is not None and span >= 365 and not forward and (
                _progressive_perfect(modifier.head) or
                (vague and _perfect(modifier.head))):
            return EventTime(published - dt.timedelta(days=span), "year", True, text)
        return None
    period = _period(tokens, text, published, words, forward)
    if period is None:
        return None
    if lead == "since":
        old = period.first < published - dt.timedelta(days=BACKGROUND_DAYS)
        return EventTime(background=True, expression=text) if old else None
    background = not forward and period.last < published - dt.timedelta(days=BACKGROUND_DAYS)
    return EventTime(period.first, period.precision, background, text)


def _bygone(tokens: list[Token], words: TimeWords) -> str:
    """The phrase of a past moment looked back to ("at the time", "back then") that the
    time phrase is, unless a word right after it in the sentence says which moment ("at
    the time of writing", "at the time when ...", "at the time that ..."): that moment
    may be now."""
    lower = [t.lower_ for t in tokens]
    for phrase in sorted(words.bygone):
        parts = phrase.split()
        for start in range(len(lower) - len(parts) + 1):
            if lower[start:start + len(parts)] != parts:
                continue
            end = tokens[start + len(parts) - 1]
            after = end.doc[end.i + 1] if end.i + 1 < len(end.doc) else None
            if after is None or after.lower_ not in words.bygone_open:
                return phrase
    return ""


def _perfect(verb: Token) -> bool:
    """ "has waged", "have been fighting": a perfect, which reaches back from now."""
    return verb.tag_ in {"VBN", "VBG"} and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _progressive_perfect(verb: Token) -> bool:
    """ "have been fighting"."""
    return verb.tag_ == "VBG" and _perfect(verb) and any(
        c.dep_ == "aux" and c.lower_ == "been" for c in verb.children)


def _amount(tokens: list[Token], words: TimeWords) -> int | None:
    """ "eight years", "two days", "a week": the number times the unit, in days."""
    for i, token in enumerate(tokens):
        unit = words.units.get(token.lower_)
        if unit is None:
            continue
        number = 1
        if i > 0:
            before = tokens[i - 1].lower_
            if before.isdigit():
                number = int(before)
            elif before in words.numbers:
                number = words.numbers[before]
            elif before == "of" and i > 1 and tokens[i - 2].lower_ in words.numbers:
                number = words.numbers[tokens[i - 2].lower_]  # "a couple of days"
        return number * unit
    return None


def _period(tokens: list[Token], text: str, published: dt.date, words: TimeWords,
            forward: bool) -> Period | None:
    lowers = [t.lower_ for t in tokens]
    for phrase, offset in words.offsets.items():
        if re.search(rf"\b{re.escape(phrase)}\b", text):
            return Period(published + dt.timedelta(days=offset), "day")
    if any(w in words.ago for w in lowers) or any(
            w in words.unit_ago and i > 0 and lowers[i - 1] in words.units and
            not _than_follows(tokens[i]) for i, w in enumerate(lowers)):
        span = _amount(tokens, words)
        if span is None:
            return None
        when = published - dt.timedelta(days=span)
        return Period(when, "day" if span < 7 else "week" if span < 30 else
                      "month" if span < 365 else "year")
    decade = next((m for w in lowers if (m := _DECADE.fullmatch(w))), None)
    if decade is not None:
        return Period(dt.date(int(decade.group(1)) * 10, 1, 1), "year")
    years = [int(w) for w in lowers if w.isdigit() and len(w) == 4 and
             1900 <= int(w) <= published.year + 1]
    days = [int(m.group(1)) for w in lowers if (m := _DAY_NUMBER.fullmatch(w)) and
            1 <= int(m.group(1)) <= 31]
    numbered = bool(days or years)
    # a month is capitalised; an abbreviation or "May" only counts beside a number
    months = [words.months[t.lower_] for t in tokens if t.lower_ in words.months and
              t.text[:1].isupper() and (numbered or (len(t.lower_) > 3 and t.lower_ != "may"))]
    month = months[0] if months else None
    if month is not None:
        return _month_date(month, days[0] if days else None, years[0] if years else None,
                           published, forward)
    if years:
        return Period(dt.date(years[0], 1, 1), "year")
    for i, word in enumerate(lowers):
        if word in words.weekdays:
            modifier = lowers[i - 1] if i > 0 else ""
            return Period(_weekday(words.weekdays[word], published, forward or
                                   modifier in words.following,
                                   modifier in words.previous), "day")
    for i, word in enumerate(lowers):
        if word in words.units and i > 0:
            modifier = lowers[i - 1]
            if modifier in words.previous or modifier in words.current or \
                    modifier in words.following:
                return _relative_unit(word, words.units[word], modifier, words, published)
    return None


def _than_follows(word: Token) -> bool:
    """ "two weeks earlier than planned": a comparison, not a time before now."""
    doc = word.doc
    return word.i + 1 < len(doc) and doc[word.i + 1].lower_ == "than"


def _month_date(month: int, day: int | None, year: int | None, published: dt.date,
                forward: bool) -> Period | None:
    written = year is not None  # a year the text gives is never moved
    if year is None:
        year = published.year
        probe = dt.date(year, month, 1)
        if not forward and probe > published + dt.timedelta(days=FUTURE_SLACK_DAYS):
            year -= 1  # "on December 30", published in January: last year's
        elif forward and (month, day or 31) < (published.month, published.day):
            year += 1
    if day is None:
        return Period(dt.date(year, month, 1), "month")
    try:
        when = dt.date(year, month, day)
    except ValueError:
        return None
    if not forward and not written and \
            when > published + dt.timedelta(days=FUTURE_SLACK_DAYS) and year == published.year:
        if month == 2 and day == 29:
            return None  # last year had no 29 February: no reading, no date
        when = when.replace(year=year - 1)
    return Period(when, "day")


def _weekday(weekday: int, published: dt.date, forward: bool, previous: bool) -> dt.date:
    """The named weekday: the latest one on or before publication ("on Thursday"), the one
    before that ("last Thursday" when published on a Thursday), or the next one."""
    if forward:
        ahead = (weekday - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=ahead)
    back = (published.weekday() - weekday) % 7
    if previous and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _relative_unit(word: str, length: int, modifier: str, words: TimeWords,
                   published: dt.date) -> Period | None:
    """ "last week", "this month", "next year", "the past week"."""
    step = -1 if modifier in words.previous else 1 if modifier in words.following else 0
    if length <= 1:
        return Period(published + dt.timedelta(days=step), "day")
    if length in {7, 14}:
        monday = published - dt.timedelta(days=published.weekday())
        if modifier == "past":
            return Period(published - dt.timedelta(days=7), "week")
        return Period(monday + dt.timedelta(days=7 * step), "week")
    if length == 30:
        month = published.month + step
        year = published.year + (month - 1) // 12
        return Period(dt.date(year, (month - 1) % 12 + 1, 1), "month")
    if length == 365:
        return Period(dt.date(published.year + step, 1, 1), "year")
    return None
