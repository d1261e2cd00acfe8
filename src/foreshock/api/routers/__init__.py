"""One router per resource of the web API; ``build(state)`` makes each, so that limits
such as the page size come from the app's settings."""

from foreshock.api.routers import (
    alerts,
    articles,
    code,
    codebook,
    dyads,
    events,
    export,
    health,
    map,
    network,
    reviews,
    series,
    stories,
)

ROUTERS = (health, events, series, alerts, dyads, network, map, stories, articles, reviews,
           export, codebook, code)

__all__ = ["ROUTERS"]
