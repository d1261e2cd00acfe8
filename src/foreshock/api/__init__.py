"""The web API and dashboard: ``create_app(db)`` builds the FastAPI app that
``foreshock serve`` runs."""

from foreshock.api.app import create_app

__all__ = ["create_app"]
