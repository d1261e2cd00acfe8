"""Loading and validating the versioned data files (ontology, actors, lexicons)."""
