"""Early warning: pure detectors over dyad series, their parameters, and the alerts table."""

from foreshock.alerts.config import AnalysisConfig, load_config
from foreshock.alerts.run import Alert, EvidenceItem, compute_alerts, detect, refresh_alerts

__all__ = ["Alert", "AnalysisConfig", "EvidenceItem", "compute_alerts", "detect",
           "load_config", "refresh_alerts"]
