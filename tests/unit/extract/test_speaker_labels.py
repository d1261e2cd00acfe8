"""Transcript speaker labels (pipeline.SPEAKER_LABEL): after "Name: ", "I" and "we" are
the named speaker's, not the outlet's."""

from __future__ import annotations

import datetime as dt

from foreshock.pipeline import SPEAKER_LABEL, Context, code_document
from foreshock.records import Article


def _code(ctx: Context, text: str) -> set[tuple[str, str | None, str]]:
    day = dt.date(2022, 5, 20)
    article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), text,
                      url="http://en.kremlin.ru/events/president/news/1")
    return {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
            if e.modality.value == "asserted"}


def test_labels_are_matched_at_the_start_of_a_sentence() -> None:
    assert SPEAKER_LABEL.match("Vladimir Putin: Colleagues, good afternoon.").group(1) == \
        "Vladimir Putin"
    assert SPEAKER_LABEL.match(
        "President of the Republic of Kazakhstan Kassym-Jomart Tokayev: Thank you.").group(1)
    assert SPEAKER_LABEL.match("Imagine: a city without light.") is None
    assert SPEAKER_LABEL.match("We agreed on this: the talks go on.") is None
    # an interpreter's note before the colon, with or without a space
    assert SPEAKER_LABEL.match(
        "President of Chile Gabriel Boric (retranslated): Thank you.").group(1) == \
        "President of Chile Gabriel Boric"
    assert SPEAKER_LABEL.match("Prime Minister Nguyen Van An(retranslated): Thanks.")


def test_a_retranslated_guest_speaks_for_his_country(ctx: Context) -> None:
    # invented: a guest's words come through an interpreter; his "I" is not Russia's
    events = _code(ctx, "Vladimir Putin: Welcome to Moscow. "
                        "President of Chile Gabriel Boric (retranslated): Thank you. "
                        "I thank Peru for its help.")
    assert ("CHL", "PER", "05") in events
    assert ("RUS", "PER", "05") not in events


def test_first_person_follows_the_speaker_label(ctx: Context) -> None:
    text = ("Vladimir Putin: We welcome the decision of Kazakhstan. "
            "Kassym-Jomart Tokayev: We thank Russia for its help. "
            "Margarita Simonyan: We thank Armenia for its help. Imagine: we thank Japan.")
    events = _code(ctx, text)
    assert ("RUS", "KAZ", "05") in events
    assert ("KAZ", "RUS", "05") in events
    assert not any(target == "ARM" for _, target, _ in events)  # an unknown voice


def test_first_person_quoted_from_someone_named_is_theirs(ctx: Context) -> None:
    events = _code(ctx, '"We will cooperate with Poland," the Latvian foreign minister said. '
                        "We will cooperate with Finland.")
    assert ("LVA", "POL", "03") in events
    assert ("RUS", "POL", "03") not in events
    assert ("RUS", "FIN", "03") in events  # unquoted: the outlet's voice


def test_a_domestic_title_keeps_the_speakers_undirected_acts_at_home(ctx: Context) -> None:
    day = dt.date(2022, 5, 20)
    text = "I ask you to analyse this matter. We will help Kazakhstan."
    for title, expect_appeal in (("Meeting on road construction", False),
                                 ("Talks with President of Kazakhstan", True)):
        article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), text,
                          title=title, url="http://en.kremlin.ru/events/president/news/1")
        events = {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
                  if e.modality.value == "asserted"}
        assert (("RUS", None, "02") in events) is expect_appeal, title
        assert ("RUS", "KAZ", "03") in events, title


def test_a_speakers_forecast_about_others_is_no_intention(ctx: Context) -> None:
    events = _code(ctx, "The Americans are arming Kiev. They will supply missiles to Ukraine. "
                        "We will supply gas to China.")
    assert not any(code == "03" and target == "UKR" for _, target, code in events)
    assert ("RUS", "CHN", "03") in events  # the speaker's own announcement


def test_a_titles_call_is_the_pair_of_the_readouts_parties(ctx: Context) -> None:
    # invented: the readout names the call only in its title, and a pair of other countries
    # in passing before "The parties agreed"
    day = dt.date(2022, 5, 20)
    text = ("The presidents exchanged views on the energy market. The mediation of Chile, "
            "Brazil and Peru was supported. The parties agreed to stay in contact.")
    article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), text,
                      title="Telephone conversation with President of Argentina",
                      url="http://en.kremlin.ru/events/president/news/1")
    events = {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
              if e.modality.value == "asserted"}
    assert ("RUS", "ARG", "03") in events
    assert not any(code == "03" and {source, target} <= {"CHL", "BRA", "PER"}
                   for source, target, code in events)


def test_a_titles_guest_is_named_after_with(ctx: Context) -> None:
    # invented: the title names the topic's organisation before "with" and the guest after
    day = dt.date(2022, 5, 20)
    text = "The situation in Chile and Peru was reviewed. The parties agreed to stay in contact."
    article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), text,
                      title="The President discussed NATO enlargement with the Foreign "
                            "Minister of Argentina",
                      url="http://en.kremlin.ru/events/president/news/1")
    events = {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
              if e.modality.value == "asserted"}
    assert ("RUS", "ARG", "03") in events


def test_they_who_abduct_are_not_the_voices_own_side(ctx: Context) -> None:
    # invented: in a country's own voice its side is "we"; "they" who capture officials
    # are the other side, or no one the text names
    events = _code(ctx, "Wherever the militants come in Russia, they search for local "
                        "officials. They capture representatives of local self-government.")
    assert not any(source == "RUS" and code == "17" for source, _, code in events)


def test_a_readouts_first_sentence_takes_the_titles_pair(ctx: Context) -> None:
    # invented: the readout's opening sentence names no one; the title names the call
    day = dt.date(2022, 5, 20)
    article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC),
                      "The presidents exchanged views on the copper market.",
                      title="Telephone conversation with President of Chile",
                      url="http://en.kremlin.ru/events/president/news/1")
    events = {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
              if e.modality.value == "asserted"}
    assert ("RUS", "CHL", "04") in events


def test_a_titles_verb_call_announces_no_call(ctx: Context) -> None:
    # invented: "call" in a title is a call only as a noun; "We call on Peru" is an appeal
    day = dt.date(2022, 5, 20)
    for title, pair in (("We call on Peru to open the border", False),
                        ("A phone call with President of Peru", True),
                        ("Call with President of Peru", True)):
        article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC),
                          "The parties agreed to stay in contact.", title=title,
                          url="http://en.kremlin.ru/events/president/news/1")
        events = {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
                  if e.modality.value == "asserted"}
        assert (("RUS", "PER", "03") in events) is pair, title


def test_a_glued_guest_label_gives_the_guest_his_voice(ctx: Context) -> None:
    # invented, in the Kremlin's markup: a name block glued to a position block, longer than
    # a plain label and with a comma; the guest's "I" is his country's
    events = _code(ctx, "Vladimir Putin: Welcome to Moscow. President of the Republic of "
                        "Chile, Gabriel Boric Boric GabrielPresident of Chile: Thank you. "
                        "I thank Peru for its help.")
    assert ("CHL", "PER", "05") in events
    assert ("RUS", "PER", "05") not in events


def test_a_glued_word_or_a_country_before_a_colon_is_no_label(ctx: Context) -> None:
    # invented: neither a camel-case word nor a country named before a colon is a speaker;
    # the outlet keeps its voice for the rest of the text
    for text in ("We have expanded eService: the elderly can now buy medicines online. "
                 "We thank Peru for its help.",
                 "We share the same view with the United States: democracy must win. "
                 "We thank Peru for its help.",
                 "The forum was themed Energy Security in the Era of Global Change: "
                 "we thank Peru for its help."):
        assert ("RUS", "PER", "05") in _code(ctx, text), text
