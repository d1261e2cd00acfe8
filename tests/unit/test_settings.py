"""Settings: defaults, a TOML file, overrides; unknown keys are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from foreshock.errors import SettingsError
from foreshock.settings import Settings, load_settings


def test_layers(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text('[foreshock]\nbatch_size = 16\nmodel = "en_core_web_md"\n', encoding="utf-8")
    settings = load_settings(str(path), batch_size=8, model=None)
    assert (settings.batch_size, settings.model) == (8, "en_core_web_md")
    assert Settings().fingerprint() != settings.fingerprint()


def test_unknown_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text("[foreshock]\nbatchsize = 16\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting 'batchsize'"):
        load_settings(str(path))
    with pytest.raises(SettingsError, match="batch_size must be >= 1"):
        load_settings(batch_size=0)
    with pytest.raises(SettingsError, match="needs a PETRARCH verb dictionary"):
        load_settings(lexicon="petrarch")
