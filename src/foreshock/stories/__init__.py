"""Stories: near-duplicate articles clustered with MinHash and LSH, so a story reprinted
by many outlets counts once.  ``cluster`` is the pure algorithm, ``store`` keeps the
assignment in the database (or computes it in memory for a reader)."""

from foreshock.stories.cluster import StoryIndex, StoryParams, assign_stories, signature
from foreshock.stories.store import current_members, stored_members, update_stories

__all__ = ["StoryIndex", "StoryParams", "assign_stories", "current_members", "signature",
           "stored_members", "update_stories"]
