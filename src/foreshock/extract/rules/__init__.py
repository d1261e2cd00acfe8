"""The dictionary-and-dependency rules extractor."""
