"""Workstation setup without Qt: addresses, the preset ticket letter, settings files."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import config
from app.services.setup import (
    CentralAddress,
    CentralCheckFailed,
    Failure,
    central_url,
    split_central_url,
)

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)


@given(user=text.filter(str.strip), password=text)
def test_any_user_name_and_password_survive_the_url(user, password):
    # (A password needs a user name in a URL; libpq's default user is the OS account.)
    address = CentralAddress("db.example", 5433, "area", user.strip(), password)
    back = split_central_url(central_url(address))
    assert (back.user, back.password) == (user.strip(), password)


@pytest.mark.parametrize("url", ["", "not a url", "sqlite:///x.db", "postgresql://host"])
def test_unusable_addresses_are_refused(url):
    with pytest.raises(CentralCheckFailed) as caught:
        split_central_url(url)
    assert caught.value.failure is Failure.ADDRESS


def test_plain_postgresql_urls_use_the_applications_driver():
    assert split_central_url("postgres://u@h/db") == CentralAddress("h", 5432, "db", "u", "")


def test_preset_letter_never_overrides_the_workstations_choice(services):
    assert services.setup.preset_letter("x")
    assert services.queue.workstation()[1] == "X"
    assert not services.setup.preset_letter("B")  # already has one
    assert services.queue.workstation()[1] == "X"


def test_preset_letter_ignores_what_is_not_a_ticket_letter(services):
    assert not services.setup.preset_letter("Q")
    assert not services.setup.preset_letter("AB")


def test_deployed_file_is_read_first_and_the_users_overrides(tmp_path, monkeypatch):
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    site, user = tmp_path / "site.ini", tmp_path / "user" / "desk.ini"
    monkeypatch.setenv("DESK_SITE_CONFIG", str(site))
    monkeypatch.setattr(config, "config_file", lambda: user)
    assert config.needs_first_run()
    site.write_text("[desk]\nlanguage = sv\nservice_point = ROV\nticket_letter = C\n",
                    encoding="utf-8")
    user.parent.mkdir()
    user.write_text("[desk]\nservice_point = RAN\n", encoding="utf-8")
    loaded = config.load()
    assert (loaded.language, loaded.service_point, loaded.ticket_letter) == ("sv", "RAN", "C")
    assert not config.needs_first_run()


def test_desk_config_names_the_only_file_and_never_asks(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_CONFIG", str(tmp_path / "none.ini"))
    monkeypatch.setenv("DESK_SITE_CONFIG", str(tmp_path / "site.ini"))
    (tmp_path / "site.ini").write_text("[desk]\nlanguage = sv\n", encoding="utf-8")
    assert config.config_files() == [tmp_path / "none.ini"]
    assert not config.needs_first_run()
    assert config.load().language == "fi"
