"""The backtest suite: many cases (corpora cut to date windows, an onset, the dyads that
matter, the kind of case) run on one cached coded database, measured and reported.

``spec`` loads the suite file, ``corpora`` cuts the sources, ``prepare`` ingests and codes
what is new, ``run`` replays each case and measures it, ``report`` writes the table, the
Markdown, the JSON and one plot per case (``foreshock suite``, ``bench/suite.py``).
"""
