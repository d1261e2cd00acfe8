"""Runners: the same per-document coding on different executors."""
