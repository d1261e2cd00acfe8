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


@pytest.mark.parametrize(("key", "value", "message"), [
    ("prefilter", "no", "prefilter must be true or false, got 'no'"),
    ("batch_size", "64", "batch_size must be an integer, got '64'"),
    ("batch_size", True, "batch_size must be an integer, got True"),
    ("coder", "neural", "coder must be rules or hybrid"),
    ("petrarch_actors", "a.txt", "petrarch_actors must be a list of strings"),
])
def test_types_are_checked_in_files_and_overrides(tmp_path: Path, key: str, value: object,
                                                  message: str) -> None:
    with pytest.raises(SettingsError, match=f"^E001 {message}"):
        load_settings(**{key: value})
    with pytest.raises(SettingsError, match="E001"):
        Settings(**{key: value})  # type: ignore[arg-type]
    if not isinstance(value, bool):
        path = tmp_path / "f.toml"
        literal = f'"{value}"' if isinstance(value, str) else str(value)
        path.write_text(f"[foreshock]\n{key} = {literal}\n", encoding="utf-8")
        with pytest.raises(SettingsError, match=message):
            load_settings(str(path))


def test_error_codes_name_the_kind(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^E002 unknown setting 'modle'"):
        load_settings(modle="x")
    with pytest.raises(SettingsError, match=r"^E003 .*cannot read settings"):
        load_settings(str(tmp_path / "missing.toml"))
    assert Settings().with_overrides(coder="rules", model=None).coder == "rules"
    assert Settings().coder == "hybrid"  # the default since session 7 (BENCHMARKS.md)


def test_the_hybrid_has_its_own_version() -> None:
    # a change of the hybrid's own logic (candidates, merge) must re-code databases coded by
    # an older hybrid: its label is its own constant, not derived from the rules' version
    from foreshock.pipeline import coder_label
    assert coder_label(Settings(coder="hybrid")) == "hybrid.v48"
    assert coder_label(Settings(coder="rules")) == "rules.v42"
