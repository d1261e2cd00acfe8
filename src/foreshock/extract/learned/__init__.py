"""The learned event classifier: one encoder pass per sentence, a small head per pair."""
