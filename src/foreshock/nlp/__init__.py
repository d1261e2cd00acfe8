"""Loading the spaCy pipeline."""
