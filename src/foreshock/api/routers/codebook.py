"""``GET /api/codebook``: what the codes and numbers on the dashboard mean."""


from dataclasses import asdict

from fastapi import APIRouter

from foreshock.api import explain
from foreshock.api import models as m
from foreshock.api.state import AppState


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["meta"])

    @router.get("/api/codebook", response_model=m.CodebookResponse)
    def codebook() -> m.CodebookResponse:
        """The CAMEO codes with their names, Goldstein scores and QuadClasses; what the
        QuadClasses, modalities and the Goldstein scale mean; and the alert detectors with
        their settings (those of this server's analysis file)."""
        config = state.config
        series = asdict(config.series)
        return m.CodebookResponse(
            cameo=[m.CameoEntry(code=c.code, name=c.name, root=c.code[:2],
                                goldstein=c.goldstein, quad_class=c.quad_class)
                   for c in sorted(state.cameo.codes.values(), key=lambda c: c.code)],
            quad_classes=[m.Term(key=k, name=n, meaning=t) for k, n, t in explain.QUAD_CLASSES],
            modalities=[m.Term(key=k, name=n, meaning=t) for k, n, t in explain.MODALITIES],
            goldstein=explain.GOLDSTEIN,
            detectors=[m.DetectorInfo(name=name, summary=explain.detector_summary(name),
                                      parameters=explain.detector_parameters(config, name))
                       for name in explain.DETECTOR_SUMMARIES],
            series=series)

    return router
