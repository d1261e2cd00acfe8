"""Event extraction: the ``EventExtractor`` plug-in point and its implementations."""
