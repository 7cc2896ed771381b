"""Payer profiles: data with sources, the most specific profile wins, admins extend."""

from __future__ import annotations

from pathlib import Path

import pytest

from rxassist.payers import PayerProfiles, ProfileError


def test_payers_most_specific_profile_wins() -> None:
    profiles = PayerProfiles.load()
    medicare = profiles.terms("medicare")
    assert medicare.get("progress_visits") == 10
    assert medicare.get("progress_days") == 90
    assert "220.3.D" in medicare.source("progress_visits")
    assert profiles.terms("commercial").get("progress_days") == 30
    assert profiles.terms("workers_comp", "WA").get("progress_visits") == 6
    assert profiles.terms("workers_comp", "OR").get("progress_visits") is None


def test_payers_match_by_state_and_by_name() -> None:
    profiles = PayerProfiles.load()
    assert profiles.terms("auto_pip", "FL").has("fl-pip")
    assert not profiles.terms("auto_pip", "GA").has("fl-pip")
    assert profiles.terms("commercial", "", "Aetna (eviCore)").get("minutes_cap") == 60
    assert profiles.terms("commercial", "", "Aetna").get("minutes_cap") is None


def test_payers_every_value_has_a_source() -> None:
    for profile in PayerProfiles.load().profiles:
        assert set(profile.values) <= set(profile.sources), profile.id


def test_payers_an_administrators_file_adds_and_replaces(tmp_path: Path) -> None:
    extra = tmp_path / "ours.toml"
    extra.write_text(
        '[[profile]]\nid = "medicare"\nname = "Medicare (ours)"\n'
        'payer_type = "medicare"\nprogress_visits = 8\n'
        'source_progress_visits = "Our MAC\'s LCD"\n'
        '[[profile]]\nid = "ny-nf"\nname = "New York no-fault"\n'
        'payer_type = "auto_pip"\nstate = "ny"\nminutes_cap = 45\n'
        'source_minutes_cap = "NY fee schedule"\n'
    )
    profiles = PayerProfiles.load(extra)
    assert profiles.terms("medicare").get("progress_visits") == 8
    assert profiles.terms("medicare").source("progress_visits") == "Our MAC's LCD"
    assert profiles.terms("auto_pip", "NY").get("minutes_cap") == 45


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[profile]]\nname = "x"\npayer_type = "medicare"\n', "id is required"),
        ('[[profile]]\nid = "x"\nname = "x"\npayer_type = "medicare"\nminutes = 3\n',
         "unknown fields ['minutes']"),
        ('[[profile]]\nid = "x"\nname = "x"\npayer_type = "medicare"\n'
         "minutes_cap = 0\n", "whole number above 0"),
        ("[[profile]\n", "Expected"),
    ],
)  # fmt: skip
def test_payers_a_bad_file_says_what_is_wrong(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(
        ProfileError, match=words.replace("[", r"\[").replace("]", r"\]")
    ):
        PayerProfiles.load(path)
