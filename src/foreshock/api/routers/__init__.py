"""One router per resource of the web API; ``build(state)`` makes each, so that limits
such as the page size come from the app's settings."""

from foreshock.api.routers import alerts, code, dyads, events, health, network, series, stories

ROUTERS = (health, events, series, alerts, dyads, network, stories, code)

__all__ = ["ROUTERS"]
