"""Foreshock in a notebook: code a paragraph, ingest a corpus, get DataFrames (run by
tests/integration/test_notebook.py; needs `pip install foreshock[pandas]`)."""
import foreshock

coder = foreshock.load()  # the spaCy model and the dictionaries, loaded once
paragraph = ("Russia massed troops near the border with Ukraine on Tuesday. NATO warned "
             "Moscow that an invasion would bring severe sanctions.")
print(coder.code(paragraph, "2022-02-15").to_pandas()[["source", "code", "code_label",
                                                       "target", "modality"]])

db = foreshock.open("crisis.duckdb", create=True)  # a new database in this folder
db.ingest(foreshock.demo_corpus())  # 283 dated articles; bad ones go to db.quarantine()
db.code_pending(coder=coder)  # codes what is new, then stores stories and alerts

events = db.events(dyad="RUS-UKR", quad=4).to_pandas()  # material conflict, with evidence
series = db.series("RUS-UKR", freq="week").to_pandas()  # story-weighted, with volume
alerts = db.alerts(since="2021-11-01").to_pandas()  # early warnings and their evidence
print(events[["date", "source", "code", "target", "sentence"]].head(), series.tail(),
      f"{len(alerts)} alerts", sep="\n\n")
