"""Coding documents: one context per process, one pure function per document.

``code_documents`` is the only wrapper around the per-document logic: it batches the spaCy
parse across articles (``nlp.pipe``), then extracts each article's events.  The local runner,
the Dask runner, the API and the tests all come through here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from foreshock.extract.base import Actor, Candidate, Discourse
from foreshock.extract.coder import HYBRID_VERSION, MODEL_PATTERN, Coder, Proposal, build_coder
from foreshock.extract.learned.classifier import MODEL_FILES, default_model_dir
from foreshock.extract.learned.gate import GATE_FILE
from foreshock.extract.readout import readout_parties
from foreshock.extract.rules.actors import PAIR_PLURALS, PERSONAL, READOUT_NOUNS, build_matcher
from foreshock.extract.rules.clauses import noun_year
from foreshock.extract.rules.extractor import VERSION, RulesExtractor
from foreshock.extract.when import (
    UNDATED,
    EventTime,
    award_citation,
    event_time,
    narrated_past,
)
from foreshock.extract.where import Gazetteer, Place, load_gazetteer, locate
from foreshock.nlp.loader import load_pipeline, load_splitter
from foreshock.ontology.actors import ActorDictionary, actor_files, load_actors
from foreshock.ontology.cameo import CameoTable, load_cameo
from foreshock.ontology.function_words import FILE_NAME as FUNCTION_WORDS
from foreshock.ontology.function_words import function_words
from foreshock.ontology.lexicons import Lexicon, load_lexicon
from foreshock.ontology.timewords import TimeWords, load_time_words
from foreshock.ontology.tsv import data_path, sha256_of
from foreshock.records import Article, CodingProblem, DocumentResult, Event, Modality
from foreshock.settings import Settings

#: the default gazetteer is not part of the version key (so the key stays as it was)
DEFAULT_GAZETTEER = 5000
#: events derived from another act's cue (its statement is the event, made now)
DERIVED_PATTERNS = ("intent:", "refuse:", "disavow:", "demand:")

MAX_SENTENCE_CHARS = 2_000  # longer "sentences" are tables or run-ons: not worth a parse
PARAGRAPH = re.compile(r"\n\s*\n")
# a regex over the text instead of a walk over tokens: building Token objects is the costliest
# thing Python does in this loop (profiled)
# pronouns and "both sides" / "the two countries": words that may point back to an actor
# named earlier in the paragraph
#: first-person pronouns: in a text whose outlet speaks for an actor (speakers.tsv), that actor
#: a transcript's speaker label opening a sentence: "Vladimir Putin: Colleagues, ...",
#: "President of the Republic of Kazakhstan Kassym-Jomart Tokayev: ..." (two words or more:
#: "Imagine: ...", "Namely: ..." introduce what follows); an interpreter's note may stand
#: before the colon ("President of Iran Ebrahim Raisi (retranslated): ..."): the voice is
#: still the named guest's, not the outlet's
SPEAKER_LABEL = re.compile(r"^(?:\*\s*)*((?:[A-Z][\w.'’-]*)(?:\s+(?:[A-Z][\w.'’-]*|of|the|and))"
                           r"{0,9}\s+[A-Z][\w.'’-]*)(?:\s*\([a-z][a-z ]*\))?:\s")
#: the Kremlin's label of a guest, a name block glued to a position block ("President of
#: the Republic of Belarus, Alexander Lukashenko Lukashenko AlexanderPresident of Belarus:
#: ..."): longer than a label above and may hold a comma, and is marked by the surname said
#: twice and the first name glued to the position ("Lukashenko Lukashenko AlexanderPresident");
#: a glued word alone is no mark ("eSupport:", "McCain ... said the following:")
GLUED_LABEL = re.compile(r"^(?:\*\s*)*([A-Z][^:.!?]{0,200}?\b([A-Z][\w'’-]+)\s+\2\s+"
                         r"[A-Z][\w'’-]*?[a-z][A-Z][^:.!?]{0,120}?)(?:\s*\([a-z][a-z ]*\))?:\s")
FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Uu]s|[Mm]y|[Mm]e)\b")
PRONOUN = re.compile(r"\b(?:(?:both|two) (?:" + "|".join(sorted(PAIR_PLURALS)) + ")|" +
                     "|".join(sorted(PERSONAL)) + r")\b", re.IGNORECASE)

#: "The leaders discussed ...", "the interlocutors", "the two": a readout's subject that
#: stands for the pair the paragraph has just introduced
READOUT = re.compile(r"\bthe (?:two\b|(?:two )?(?:" + "|".join(sorted(
    w[:-1] + "ies" if w.endswith("y") else w + "s" for w in READOUT_NOUNS)) + r")\b)",
    re.IGNORECASE)
#: words of a title that announce a meeting or a call (data/lexicons/function_words.tsv)
TITLE_MEETING_WORDS = function_words().title_meeting_words
#: "call": a meeting word only as a noun, right after one of TITLE_CALL_MARKS ("a phone
#: call with ..."), not the verb ("We call on Germany to ...")
TITLE_CALL_WORDS = function_words().title_call_words
TITLE_CALL_MARKS = function_words().title_call_marks
#: "call on", "call upon": the verb of an appeal
APPEAL_PREPS = function_words().appeal_preps


def sector_words(sector_nouns: Iterable[str]) -> re.Pattern[str]:
    """Sector nouns ("security forces", "protesters"): in a paragraph that has named one
    country only, such a sentence is about that country's people (parsed only then: common
    words, and parsing is what costs)."""
    words = sorted((w for w in sector_nouns if w.isascii()), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")s?\b",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    """Everything loaded once per process: model, compiled dictionaries, extractor."""

    settings: Settings
    nlp: Language
    splitter: Language
    cameo: CameoTable
    actors: ActorDictionary
    lexicon: Lexicon
    matcher: PhraseMatcher
    extractor: RulesExtractor
    coder: Coder
    data_version: str
    sector_words: re.Pattern[str] | None = None
    #: alias -> the codes it may stand for (any date): which countries a paragraph names
    alias_codes: dict[str, frozenset[str]] = field(default_factory=dict)
    #: time words for event dates, and the gazetteer for event locations
    time_words: TimeWords | None = None
    gazetteer: Gazetteer | None = None

    @property
    def extractor_version(self) -> str:
        return f"{coder_label(self.settings)}+{self.data_version}"


def _fit_gate(coder: Coder, settings: Settings) -> None:
    """An encoder gate reads the parse's token vectors: only those of the spaCy pipeline it
    was trained on mean what its weights expect (another one of the same width would be read
    silently wrong).  With another pipeline the gate is not used: the classifier reads every
    sentence that can change its events, as a model without a gate does -- slower, never
    wrong -- so that ``--model en_core_web_md`` works with the bundled, gated model.  The
    coding version keys the spaCy model, so those events never share a version with gated
    ones."""
    classifier = getattr(coder, "classifier", None)
    gate = getattr(classifier, "gate", None)
    if gate is not None and gate.spacy_model and gate.spacy_model != settings.model:
        classifier.gate = None  # type: ignore[union-attr]


def coder_label(settings: Settings) -> str:
    """The explicit version of the coder's logic: ``rules.v42`` or ``hybrid.v48``.  A change to
    the rules' code bumps ``VERSION`` in ``extract/rules/extractor.py`` by hand, a change to
    the hybrid's own logic or to the rules bumps ``HYBRID_VERSION`` in ``extract/coder.py``
    (a database coded by an older hybrid is then re-coded); data and model files are
    versioned by their hashes."""
    if settings.coder == "rules":
        return VERSION
    if settings.coder == "hybrid":
        return HYBRID_VERSION
    return f"{settings.coder}.{VERSION.split('.')[-1]}"


def model_dir(settings: Settings) -> Path:
    return Path(settings.model_dir) if settings.model_dir else default_model_dir()


def _coding_inputs(settings: Settings) -> list[Path]:
    """Every file whose content changes what the coder outputs: data files, the user's
    PETRARCH dictionaries and, for a learned coder, the model files.  Source code is not
    hashed: a comment edit must not re-version every event (the rules' own version is
    explicit)."""
    actors_dir = Path(settings.actors_dir) if settings.actors_dir else None
    lexicon_dir = Path(settings.lexicon_dir) if settings.lexicon_dir else None
    files = [*actor_files(actors_dir),
             *sorted((lexicon_dir or data_path("lexicons")).glob("*.tsv")),
             # read from the bundled lexicons whatever the lexicon directory
             *([data_path("lexicons", FUNCTION_WORDS)] if lexicon_dir else []),
             *sorted(data_path("cameo").glob("*.tsv")),
             *sorted(data_path("geo").glob("*.tsv"))]
    legacy = [settings.petrarch_verbs, *settings.petrarch_actors, settings.petrarch_agents]
    files += [Path(p) for p in legacy if p]
    if settings.coder != "rules":
        files += [model_dir(settings) / f for f in (*MODEL_FILES, GATE_FILE)
                  if (model_dir(settings) / f).is_file()]
    return files


def coding_version(settings: Settings) -> str:
    """The extractor version stamped on every event, computed without loading the model:
    ``rules.v42+<hash of data, dictionaries, model files, spaCy model and coding settings>``."""
    digest = sha256_of(_coding_inputs(settings))
    key = f"{digest}|{settings.model}|{settings.prefilter}|{settings.lexicon}|{settings.coder}"
    if settings.gazetteer_population != DEFAULT_GAZETTEER:
        key += f"|gazetteer{settings.gazetteer_population}"
    return f"{coder_label(settings)}+{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def load_context(settings: Settings) -> Context:
    nlp = load_pipeline(settings.model)
    cameo = load_cameo()
    actors_dir = Path(settings.actors_dir) if settings.actors_dir else None
    lexicon_dir = Path(settings.lexicon_dir) if settings.lexicon_dir else None
    actors = load_actors(actors_dir)
    lexicon = load_lexicon(cameo, lexicon_dir)
    actors, lexicon, _ = _with_petrarch(settings, actors, lexicon, cameo)
    matcher = build_matcher(nlp, actors)
    version = coding_version(settings).split("+", 1)[1]
    rules = RulesExtractor(lexicon, actors, matcher)
    coder = build_coder(settings.coder, rules,
                        model_dir(settings) if settings.coder != "rules" else None)
    _fit_gate(coder, settings)
    countries = {alias: entries[0].code for alias, entries in actors.aliases.items()
                 if entries and entries[0].kind in {"name", "short"} and len(entries[0].code) == 3}
    time_words = load_time_words(lexicon_dir)
    return Context(settings, nlp, load_splitter(nlp), cameo, actors, lexicon, matcher,
                   rules, coder, version,
                   sector_words(actors.sector_nouns),
                   {alias: frozenset(e.code for e in entries)
                    for alias, entries in actors.aliases.items()},
                   time_words,
                   load_gazetteer(settings.gazetteer_population, countries,
                                  not_places(actors, time_words)))


def not_places(actors: ActorDictionary, time_words: TimeWords) -> frozenset[str]:
    """Names the gazetteer must not read as a GeoNames place: people, organisations, groups
    and seats of government (the White House is no town in Tennessee), months and
    weekdays."""
    # an alias marked ambiguous may also be the place ("Brussels" for the EU)
    names = {alias for alias, entries in actors.aliases.items()
             if all(e.kind in {"person", "organisation", "group", "seat", "named"} and
                    not e.ambiguous for e in entries)}
    names |= {w.title() for w in (*time_words.months, *time_words.weekdays) if len(w) > 3}
    return frozenset(names)


def _with_petrarch(settings: Settings, actors: ActorDictionary, lexicon: Lexicon,
                   cameo: CameoTable) -> tuple[ActorDictionary, Lexicon, list[Path]]:
    """Merge user-given PETRARCH dictionaries into ours (ours win where both have a word)."""
    from foreshock.ontology.petrarch import (
        load_petrarch_actors,
        load_petrarch_agents,
        load_petrarch_verbs,
    )

    used: list[Path] = []
    if settings.petrarch_actors:
        paths = [Path(p) for p in settings.petrarch_actors]
        merged = {k: list(v) for k, v in actors.aliases.items()}
        for alias, entries in load_petrarch_actors(paths).items():
            merged.setdefault(alias, []).extend(entries)
        actors = replace(actors, aliases={k: tuple(v) for k, v in merged.items()})
        used += paths
    if settings.petrarch_agents:
        agents = load_petrarch_agents(Path(settings.petrarch_agents))
        actors = replace(actors, sector_nouns={**agents, **actors.sector_nouns})
        used.append(Path(settings.petrarch_agents))
    if settings.petrarch_verbs and settings.lexicon != "own":
        theirs = load_petrarch_verbs(Path(settings.petrarch_verbs), cameo.codes)
        verbs = dict(theirs) if settings.lexicon == "petrarch" else {**theirs, **lexicon.verbs}
        lexicon = Lexicon(verbs, lexicon.nouns, lexicon.modality, lexicon.intent,
                          lexicon.refusal, lexicon.lemmas)
        used.append(Path(settings.petrarch_verbs))
    return actors, lexicon, used


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence chosen for parsing, with where it sits in its article."""

    article: int
    index: int
    offset: int
    paragraph: int
    #: in a transcript, the label of the person speaking ("Kassym-Jomart Tokayev: ..."),
    #: "" before any label (the outlet's own voice)
    voice: str = ""


def _select(article: Article, ctx: Context, number: int) -> tuple[list[_Unit], list[str]]:
    """Split an article into sentences and keep those worth parsing.

    The split and the actor match run on the tokenizer alone (cheap); only the kept
    sentences go to the parser, as text, so the parse batches across articles.
    """
    text = article.text
    doc = ctx.splitter(text)
    sents = list(doc.sents)
    starts = [sent.start for sent in sents]
    strings = doc.vocab.strings
    codes: dict[int, set[str]] = {}
    for match_id, start, _end in ctx.matcher(doc):
        codes.setdefault(bisect_right(starts, start) - 1, set()).update(
            ctx.alias_codes.get(strings[match_id], ()))
    breaks = [m.start() for m in PARAGRAPH.finditer(text)]
    speaks = ctx.actors.speaker(article.url) is not None
    units: list[_Unit] = []
    texts: list[str] = []
    named_in: dict[int, set[str]] = {}  # paragraph -> codes its sentences so far may name
    voice = ""
    for index, sent in enumerate(sents):
        # a slice of the text the doc was made of (a Span rebuilds its text token by token)
        sentence = text[sent.start_char:sent.end_char]
        para = bisect_right(breaks, sent.start_char)
        if speaks:
            voice = _label(sentence) or voice
        keep = not ctx.settings.prefilter or index in codes or (
            speaks and FIRST_PERSON.search(sentence) is not None) or (
            # "The presidents exchanged views ..." opening a readout whose title names the
            # call: its pair is the title's, though no sentence before named anyone
            speaks and READOUT.search(sentence) is not None)
        if not keep and para in named_in:
            # a pronoun may refer back to an actor earlier in the paragraph, and in a
            # paragraph about one country "security forces" are that country's
            keep = PRONOUN.search(sentence) is not None or \
                READOUT.search(sentence) is not None or (
                len(named_in[para]) == 1 and ctx.sector_words is not None and
                ctx.sector_words.search(sentence) is not None)
        if index in codes:
            named_in.setdefault(para, set()).update(codes[index])
        if keep and len(sentence) <= MAX_SENTENCE_CHARS and sentence.strip():
            units.append(_Unit(number, index, sent.start_char, para, voice))
            texts.append(sentence)
    return units, texts


def _label(text: str) -> str | None:
    """The speaker label a transcript's sentence opens with, if any."""
    label = SPEAKER_LABEL.match(text) or GLUED_LABEL.match(text)
    return label.group(1) if label else None


Proposed = tuple[list[tuple["_Unit", Proposal]], list[CodingProblem]]


def propose_documents(articles: Sequence[Article], ctx: Context
                      ) -> tuple[list[Proposed], list[tuple[int, int]]]:
    """The coder's first step over a batch of articles: the parse is batched across all of
    them, then each article is read in order.  Also returns (sentences, words) per article."""
    units: list[_Unit] = []
    docs: list[str] = []
    counts: list[tuple[int, int]] = []
    for number, article in enumerate(articles):
        chosen, chosen_texts = _select(article, ctx, number)
        units += chosen
        docs += chosen_texts
        counts.append((article.text.count(". ") + 1, len(article.text.split())))
    parsed = ctx.nlp.pipe(docs, batch_size=ctx.settings.batch_size)
    per_article: list[list[tuple[_Unit, Doc]]] = [[] for _ in articles]
    for unit, sent_doc in zip(units, parsed, strict=True):
        per_article[unit.article].append((unit, sent_doc))
    return [_propose(article, per_article[n], ctx) for n, article in enumerate(articles)], counts


def code_documents(articles: Sequence[Article], ctx: Context) -> list[DocumentResult]:
    """Code a batch of articles: propose in reading order, decide in one batch (the
    classifier encodes every sentence of the batch together)."""
    proposed, counts = propose_documents(articles, ctx)
    flat = [proposal for found, _ in proposed for _, proposal in found]
    decided = iter(ctx.coder.decide(flat))
    results = []
    for n, (article, (found, problems)) in enumerate(zip(articles, proposed, strict=True)):
        pair = _title_pair(article, ctx)
        events = []
        paragraph, cited = -1, 0
        for unit, proposal in found:
            cands = next(decided)
            if pair is not None:  # a readout: its talk is between the title's two
                cands = readout_parties(cands, proposal.sentence, pair)
            if unit.paragraph != paragraph:
                paragraph, cited = unit.paragraph, 0
            events += [event for cand in cands
                       if (event := _event(article, unit, proposal.sentence, cand, ctx,
                                           cited > 0)) is not None]
            # "... will receive the Medal of Honor for service in Afghanistan on July 12th,
            # 2018. Sergeant Celiz led an operation ...": the next sentences tell the deeds
            cited = CITATION_SENTENCES if award_citation(proposal.sentence) else \
                max(cited - 1, 0)
        results.append(DocumentResult(article.article_id, tuple(events), tuple(problems),
                                      counts[n][0], counts[n][1]))
    return results


def code_document(article: Article, ctx: Context) -> DocumentResult:
    return code_documents([article], ctx)[0]


def iter_code(articles: Iterable[Article], ctx: Context, chunk: int = 64
              ) -> Iterator[tuple[Article, DocumentResult]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= chunk:
            yield from zip(batch, code_documents(batch, ctx), strict=True)
            batch = []
    if batch:
        yield from zip(batch, code_documents(batch, ctx), strict=True)


def _propose(article: Article, sentences: list[tuple[_Unit, Doc]], ctx: Context) -> Proposed:
    """The first coding step over one article, in reading order (pronouns and the
    paragraph's dyads carry from sentence to sentence)."""
    outlet = _outlet(article, ctx)
    discourse = Discourse(speaker=outlet)
    found: list[tuple[_Unit, Proposal]] = []
    problems: list[CodingProblem] = []
    paragraph = -1
    discourse.domestic = outlet is not None and _domestic_title(article.title, outlet.code, ctx)
    pair = _title_pair(article, ctx)
    if pair is not None:
        # "Telephone conversation with President of France Emmanuel Macron": the readout
        # below often never names the call again, and its "the parties" are these two
        discourse.introduce_pair(*pair, meeting=True)
    for unit, sent_doc in sentences:
        if unit.paragraph != paragraph:
            discourse.reset()
            paragraph = unit.paragraph
        discourse.speaker = _voice(unit.voice, ctx) if unit.voice else outlet
        try:
            found.append((unit, ctx.coder.propose(sent_doc, article.date, discourse)))
        except Exception as exc:
            problems.append(CodingProblem(article.article_id, "extract",
                                          f"sentence {unit.index}: {type(exc).__name__}: {exc}"))
    return found, problems


def _outlet(article: Article, ctx: Context) -> Actor | None:
    """The actor the article's outlet speaks for (its "I" and "we"), if any."""
    speaker = ctx.actors.speaker(article.url)
    return Actor(speaker[0], speaker[1], "", "speaker") if speaker else None


def _title_pair(article: Article, ctx: Context) -> tuple[Actor, Actor] | None:
    """The outlet's actor and the guest of the call or meeting its title announces."""
    outlet = _outlet(article, ctx)
    if outlet is None:
        return None
    guest = _title_guest(article.title, outlet.code, ctx)
    return (outlet, guest) if guest is not None else None


def _domestic_title(title: str | None, own: str, ctx: Context) -> bool:
    """Whether a title names no country but ``own`` ("Meeting with young scientists",
    "Meeting on developing road construction"); an unknown title says nothing."""
    if not title or not title.strip():
        return False
    doc = ctx.splitter(title)
    strings = doc.vocab.strings
    for match_id, _start, _end in ctx.matcher(doc):
        if ctx.alias_codes.get(strings[match_id], frozenset()) - {own}:
            return False
    return True


def _announces_meeting(title: Doc) -> bool:
    """Whether a title has a word of meeting, or "call" as a noun ("a phone call with
    ..."), not as a verb ("We call on Germany to provide tanks")."""
    for token in title:
        word = token.lower_
        if word in TITLE_MEETING_WORDS:
            return True
        if word not in TITLE_CALL_WORDS:
            continue
        if token.i > 0 and title[token.i - 1].lower_ in TITLE_CALL_MARKS:
            return True
        # "Call with President of Peru": a title's first word is a noun, unless an
        # appeal follows ("Call on ...")
        after = title[token.i + 1].lower_ if token.i + 1 < len(title) else ""
        if token.i == 0 and after not in APPEAL_PREPS:
            return True
    return False


def _title_guest(title: str | None, own: str, ctx: Context) -> Actor | None:
    """The other party of a meeting or a call the title announces ("Telephone conversation
    with President of France Emmanuel Macron", "Ihor Zhovkva had a phone conversation with
    the Adviser to the Prime Minister of the Czech Republic"): the one country the title
    names besides ``own``, if the title has a word of meeting."""
    if not title:
        return None
    doc = ctx.splitter(title)
    if not _announces_meeting(doc):
        return None
    strings = doc.vocab.strings
    # "... discussed European integration with the Adviser to the Prime Minister of
    # Croatia": the guest is named after the last "with", when the title has one
    company = max((t.i for t in doc if t.lower_ == "with"), default=-1)
    others: set[str] = set()
    named = ""
    for match_id, start, end in ctx.matcher(doc):
        if start > company:
            codes = ctx.alias_codes.get(strings[match_id], frozenset()) - {own}
            others |= codes
            named = named or (doc[start:end].text if codes else "")
    # the title's name is the evidence of an act the readout moves to the guest
    return Actor(next(iter(others)), "GOV", named, "title") if len(others) == 1 else None


def _voice(label: str, ctx: Context) -> Actor | None:
    """Who "I" and "we" are after a transcript's speaker label: the country of the named
    person ("President of Russia Vladimir Putin", "Kassym-Jomart Tokayev"), or no one
    when the label names no one the dictionaries know ("Question", a journalist, an
    official): their first person is not the outlet's."""
    words = label.split()
    for start in range(len(words)):
        codes = ctx.alias_codes.get(" ".join(words[start:]))
        if codes:
            return Actor(next(iter(codes)), "GOV", "", "speaker") if len(codes) == 1 else None
    return None


def event_id(article_id: str, sentence_index: int, cand: Candidate, version: str) -> str:
    """Stable: the same article coded by the same extractor gives the same ids.  The sectors
    are part of it: the two ways of a country's army and rebels clashing are two events of
    one trigger, one code and one country."""
    key = "|".join([article_id, str(sentence_index), cand.pattern, version,
                    str(cand.trigger_start), cand.source.code, cand.source.sector or "",
                    cand.target.code if cand.target else "",
                    (cand.target.sector or "") if cand.target else "", cand.code])
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def _trigger_token(sent: Doc, cand: Candidate) -> Token | None:
    span = sent.char_span(cand.trigger_start, cand.trigger_end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


#: how many parsed sentences after an award's may tell its citation's deeds (Kremlin releases
#: have no paragraph breaks: a whole release would otherwise be one citation)
CITATION_SENTENCES = 3


def situate(sent: Doc, cand: Candidate, published: dt.date, ctx: Context,
            cited: bool = False) -> tuple[EventTime, Place | None]:
    """When and where the text says the event happened (whatever coder proposed it);
    ``cited``: the sentence follows an award's, so an undated act it asserts in the simple
    past is a deed of the citation (background)."""
    token = _trigger_token(sent, cand)
    if token is None:
        return UNDATED, None
    when = UNDATED
    # an intention, a refusal or a disavowal is made now; its time phrase dates the act
    # intended ("will hold talks on Thursday")
    if ctx.time_words is not None and not cand.pattern.startswith(DERIVED_PATTERNS):
        when = event_time(token, published, ctx.time_words,
                          forward=cand.modality == Modality.FUTURE)
        if when == UNDATED and cited and cand.modality == Modality.ASSERTED and \
                narrated_past(token, ctx.time_words):
            when = EventTime(background=True, expression="award citation")
    year = _noun_year(token) if cand.pattern.startswith(MODEL_PATTERN) else None
    if not when.background and year is not None and 1900 <= year < published.year:
        # "the 2014 liberation of Mariupol": the classifier's event on an event noun dated
        # to an earlier year is history (the rules drop their year-dated nouns themselves)
        when = EventTime(dt.date(year, 1, 1), "year", True, str(year))
    place = None
    if ctx.gazetteer is not None and not when.background:
        codes = [cand.source.code] + ([cand.target.code] if cand.target else [])
        place = locate(token, cand.code, codes, _target_name(cand, ctx),
                       cand.target.kind if cand.target else "", ctx.gazetteer)
    return when, place


def _target_name(cand: Candidate, ctx: Context) -> str:
    """The target's text as a possible place name: not a sector noun, which says whose
    people acted, never where ("Police have beaten protesters" is not in Police, Poland)."""
    text = cand.target.text if cand.target else ""
    return "" if text.lower() in ctx.actors.sector_nouns else text


def _noun_year(token: Token) -> int | None:
    """The year a singular event noun is dated by ("the 2014 annexation"), if any; a
    plural's number is a count ("2000 shells")."""
    if token.pos_ not in {"NOUN", "PROPN"} or token.tag_ not in {"NN", "NNP"}:
        return None
    return noun_year(token)


def _event(article: Article, unit: _Unit, sent: Doc, cand: Candidate, ctx: Context,
           cited: bool = False) -> Event | None:
    """The stored event of a candidate; None for an act the text dates to the past (it is
    background, not news of the day)."""
    when, place = situate(sent, cand, article.date, ctx, cited)
    if when.background:
        return None
    entry = ctx.cameo.get(cand.code)
    return Event(
        event_id=event_id(article.article_id, unit.index, cand, ctx.extractor_version),
        article_id=article.article_id,
        date=article.date,
        sentence_index=unit.index,
        sentence=sent.text,
        start=unit.offset + cand.trigger_start,
        end=unit.offset + cand.trigger_end,
        source=cand.source.code,
        source_sector=cand.source.sector,
        target=cand.target.code if cand.target else None,
        target_sector=cand.target.sector if cand.target else None,
        code=cand.code,
        root=cand.code[:2],
        goldstein=entry.goldstein,
        quad_class=entry.quad_class,
        modality=cand.modality,
        reported_by=cand.reported_by,
        pattern=cand.pattern,
        extractor=ctx.extractor_version,
        trigger=cand.trigger,
        source_text=cand.source.text,
        target_text=cand.target.text if cand.target else "",
        event_date=when.date,
        event_date_precision=when.precision or None,
        place=place.name if place else None,
        place_type=place.type if place else None,
        place_adm1=(place.adm1 or None) if place else None,
        place_country=(place.country or None) if place else None,
        place_lat=place.lat if place else None,
        place_lon=place.lon if place else None,
        place_id=(place.feature_id or None) if place else None,
    )
