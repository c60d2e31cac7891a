import pytest

from conformance import settings
from conformance.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in (settings.ENV_BASE_URL, settings.ENV_TOKEN, settings.ENV_TOKEN_B):
        monkeypatch.delenv(name, raising=False)


def resolve(**kwargs):
    values = {"base_url": None, "token": None, "token_b": None, "profile": None}
    values.update(kwargs)
    return settings.resolve(**values)


def test_no_base_url_means_sandbox_and_needs_no_token():
    resolved = resolve()
    assert resolved.base_url is None
    assert resolved.profile.name == settings.DEFAULT_PROFILE


def test_base_url_loses_trailing_slash_and_keeps_prefix():
    resolved = resolve(base_url="https://staging.example.test/shop/", token="t")
    assert resolved.base_url == "https://staging.example.test/shop"


@pytest.mark.parametrize(
    "url", ["staging.example.test", "ftp://h/", "http://", "http://h:99999", "http://h/?a=1"]
)
def test_malformed_base_url_is_a_config_error(url):
    with pytest.raises(ConfigError, match="base URL"):
        resolve(base_url=url, token="t")


def test_base_url_with_api_prefix_is_refused_with_a_hint():
    with pytest.raises(ConfigError, match="server root"):
        resolve(base_url="http://127.0.0.1:8080/rest/V1/external", token="t")


def test_remote_target_needs_a_token():
    with pytest.raises(ConfigError, match=settings.ENV_TOKEN):
        resolve(base_url="http://127.0.0.1:8080")


def test_environment_supplies_what_flags_do_not(monkeypatch):
    monkeypatch.setenv(settings.ENV_BASE_URL, "http://127.0.0.1:9")
    monkeypatch.setenv(settings.ENV_TOKEN, "env-token")
    monkeypatch.setenv(settings.ENV_TOKEN_B, "env-token-b")
    resolved = resolve()
    assert (resolved.base_url, resolved.token, resolved.token_b) == (
        "http://127.0.0.1:9",
        "env-token",
        "env-token-b",
    )
    assert resolve(token="flag-token").token == "flag-token"


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ConfigError, match="quick, standard, thorough"):
        resolve(profile="fast")


def test_seed_is_kept_when_given_and_drawn_otherwise():
    assert resolve(seed=7).seed == 7
    assert isinstance(resolve().seed, int)


@pytest.mark.parametrize("token", ["abc\n", "a b", "tok\x00en"])
def test_a_token_with_spaces_or_control_characters_is_refused(token):
    with pytest.raises(ConfigError, match="control characters"):
        resolve(base_url="http://127.0.0.1:9", token=token)


def test_token_b_must_be_another_customers():
    with pytest.raises(ConfigError, match="same as token A"):
        resolve(base_url="http://127.0.0.1:9", token="same", token_b="same")


@pytest.mark.parametrize(
    ("base_url", "assume_remote", "local"),
    [(None, False, True), ("http://127.0.0.1:8080", False, True),
     ("http://localhost:8080", False, True), ("http://127.0.0.1:8080", True, False),
     ("https://staging.example.test", False, False)],
)
def test_only_the_sandbox_and_loopback_are_local(base_url, assume_remote, local):
    resolved = resolve(base_url=base_url, token="t", assume_remote=assume_remote)
    assert resolved.target_is_local is local
    assert resolved.writes_allowed()[0] is local
    assert (resolved.effective_rate() is None) is local
    assert resolve(base_url=base_url, token="t", assume_remote=assume_remote,
                   allow_writes=True).writes_allowed()[0]
