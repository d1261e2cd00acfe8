"""``foreshock eval``: scoring predictions against gold events, per the annotation guide."""
