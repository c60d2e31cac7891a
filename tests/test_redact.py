from conformance.redact import MASK, Redactor


def test_masks_configured_secrets_everywhere_in_text():
    redactor = Redactor(["tok-123456", None, ""])
    assert redactor.text("a tok-123456 b tok-123456") == f"a {MASK} b {MASK}"


def test_masks_any_bearer_credential_even_unknown_ones():
    redactor = Redactor()
    assert redactor.text("Authorization: Bearer abc.def") == f"Authorization: Bearer {MASK}"


def test_longer_secret_masked_whole_when_it_contains_a_shorter_one():
    redactor = Redactor(["abc", "abcdef"])
    assert redactor.text("xabcdefx") == f"x{MASK}x"


def test_headers_keep_scheme_and_hide_credential():
    redactor = Redactor(["s3cret"])
    cleaned = redactor.headers({"Authorization": "Bearer s3cret", "X-Echo": ["s3cret", "ok"]})
    assert cleaned == {"Authorization": f"Bearer {MASK}", "X-Echo": f"{MASK}, ok"}


def test_data_walks_nested_structures():
    redactor = Redactor(["s3cret"])
    data = {"a": ["s3cret", {"s3cret": 1}], "n": 2}
    assert redactor.data(data) == {"a": [MASK, {MASK: 1}], "n": 2}


def test_echoed_spellings_of_a_token_are_masked():
    token = "TOKSECRET/4242+abcdef="
    redactor = Redactor([token])
    for spelling in ("TOKSECRET%2F4242%2Babcdef%3D", "TOKSECRET\\/4242+abcdef=",
                     "VE9LU0VDUkVULzQyNDIrYWJjZGVmPQ"):
        assert "4242" not in redactor.text(f"echo: {spelling} end"), spelling


def test_a_shortened_token_is_masked():
    redactor = Redactor(["TOKSECRET-4242-abcdef"])
    assert redactor.text('"debug": "TOKSECRET-4242-ab ... is not"') == '"debug": "*** ... is not"'
