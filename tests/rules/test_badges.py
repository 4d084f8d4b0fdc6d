"""Badge QR tokens: signed, versioned, readable after what scanners and IMEs do to them."""
import re

import pytest
from hypothesis import given, strategies as st

from server.rules.badges import BadgeError, make_badge_token, normalise_scanned, read_badge_token
from server.rules.errors import RuleError

SECRET = "badge-secret"
TOKEN_CHARS = re.compile(r"^[A-Z0-9.\-]+$")
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789."}

refs = st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True)
versions = st.integers(0, 999_999)
secrets_ = st.text(min_size=1, max_size=40)


def _code(secret, raw, purpose="badge"):
    with pytest.raises(BadgeError) as info:
        read_badge_token(secret, raw, purpose)
    return info.value.code


@pytest.fixture
def token():
    return make_badge_token(SECRET, "V000042", 3)


def test_shape(token):
    prefix, ref, version, sig = token.split(".")
    assert (prefix, ref, version) == ("LF1", "V000042", "3")
    assert re.fullmatch(r"[A-Z2-7]{26}", sig)
    assert read_badge_token(SECRET, token) == ("V000042", 3)


def test_badge_error_is_a_rule_error():
    assert issubclass(BadgeError, RuleError)
    with pytest.raises(BadgeError) as info:
        read_badge_token(SECRET, "hello")
    assert info.value.zh and info.value.en


def test_deterministic(token):
    assert make_badge_token(SECRET, "V000042", 3) == token
    assert make_badge_token(SECRET, "V000042", 4) != token
    assert make_badge_token(SECRET, "V000043", 3) != token


# --- refused --------------------------------------------------------------------------------

def test_forged_with_other_secret(token):
    forged = make_badge_token("another-secret", "V000042", 3)
    assert forged != token
    assert _code(SECRET, forged) == "bad_signature"


def test_other_purpose_refused(token):
    other = make_badge_token(SECRET, "V000042", 3, purpose="device")
    assert other != token
    assert _code(SECRET, other) == "bad_signature"
    assert read_badge_token(SECRET, other, purpose="device") == ("V000042", 3)
    assert _code(SECRET, token, purpose="device") == "bad_signature"


def test_tampered_ref_refused(token):
    assert _code(SECRET, token.replace("V000042", "V000043")) == "bad_signature"


def test_tampered_version_refused(token):
    prefix, ref, _version, sig = token.split(".")
    for v in ("2", "4", "03", "30"):
        assert _code(SECRET, f"{prefix}.{ref}.{v}.{sig}") == "bad_signature"


def test_tampered_signature_refused(token):
    for i in range(len(token) - 26, len(token)):
        c = token[i]
        swapped = "A" if c != "A" else "B"
        assert _code(SECRET, token[:i] + swapped + token[i + 1:]) == "bad_signature"


def test_truncated_refused(token):
    for n in (0, 3, 4, 12, len(token) - 1, len(token) - 5):
        assert _code(SECRET, token[:n]) == "malformed"


def test_extended_refused(token):
    assert _code(SECRET, token + "A") == "malformed"
    assert _code(SECRET, token + ".X") == "malformed"
    assert _code(SECRET, "X" + token) == "malformed"


@pytest.mark.parametrize("garbage", [
    None, "", " ", "hello", "https://example.com/?v=V000042", "LF1", "LF1...",
    "LF2.V000042.3.AAAAAAAAAAAAAAAAAAAAAAAAAA", "LF1.V000042.X.AAAAAAAAAAAAAAAAAAAAAAAAAA",
    "LF1.V0000420000000.3.AAAAAAAAAAAAAAAAAAAAAAAAAA",      # ref longer than 12
    "LF1.V000042.1234567.AAAAAAAAAAAAAAAAAAAAAAAAAA",       # version longer than 6
    "LF1.V000042.3.AAAAAAAAAAAAAAAAAAAAAAAAA1",             # 1 is not base32
    "LF1.张三.3.AAAAAAAAAAAAAAAAAAAAAAAAAA", "\x00\x01", "LF1.V000042.3." + "A" * 1000,
    "' OR 1=1 --", "<script>alert(1)</script>",
])
def test_garbage_refused(garbage):
    assert _code(SECRET, garbage) == "malformed"


def test_valid_shape_wrong_signature_refused():
    assert _code(SECRET, "LF1.V000042.3." + "A" * 26) == "bad_signature"


# --- still read after scanners and input methods --------------------------------------------

def test_lower_case_reads(token):
    assert read_badge_token(SECRET, token.lower()) == ("V000042", 3)


def test_full_width_reads(token):
    full = "".join(FULLWIDTH.get(c, c) for c in token)
    assert full != token
    assert read_badge_token(SECRET, full) == ("V000042", 3)
    assert read_badge_token(SECRET, full.lower()) == ("V000042", 3)


@pytest.mark.parametrize("dot", ["。", "．", "｡", ">", "/"])
def test_ime_dots_read(token, dot):
    assert read_badge_token(SECRET, token.replace(".", dot)) == ("V000042", 3)


def test_whitespace_and_newlines_read(token):
    assert read_badge_token(SECRET, f"  {token}\r\n") == ("V000042", 3)
    assert read_badge_token(SECRET, token[:10] + " \u3000" + token[10:]) == ("V000042", 3)


def test_normalise_scanned():
    assert normalise_scanned("lf1。v000001．1｡abc") == "LF1.V000001.1.ABC"
    assert normalise_scanned("a－b—c–dーe_f") == "A-B-C-D-E-F"
    assert normalise_scanned(None) == ""


# --- properties -----------------------------------------------------------------------------

@given(secrets_, refs, versions)
def test_every_token_reads_back(secret, ref, version):
    token = make_badge_token(secret, ref, version)
    assert TOKEN_CHARS.match(token)
    assert read_badge_token(secret, token) == (ref, version)


@given(secrets_, refs, versions, st.sampled_from(["lower", "full", "ideographic_dot", "spaces"]))
def test_mangled_tokens_read_back(secret, ref, version, how):
    token = make_badge_token(secret, ref, version)
    mangled = {
        "lower": token.lower(),
        "full": "".join(FULLWIDTH.get(c, c) for c in token),
        "ideographic_dot": token.replace(".", "。"),
        "spaces": " ".join(token),
    }[how]
    assert read_badge_token(secret, mangled) == (ref, version)


@given(secrets_, secrets_, refs, versions)
def test_other_secret_never_reads(secret, other, ref, version):
    if secret == other:
        return
    token = make_badge_token(other, ref, version)
    with pytest.raises(BadgeError):
        read_badge_token(secret, token)


@given(refs, versions, st.integers(0, 60), st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
def test_any_one_character_change_refused(ref, version, pos, replacement):
    token = make_badge_token(SECRET, ref, version)
    pos = pos % len(token)
    if token[pos] == replacement or token[pos] == ".":
        return
    changed = token[:pos] + replacement + token[pos + 1:]
    with pytest.raises(BadgeError):
        read_badge_token(SECRET, changed)


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(raw):
    try:
        ref, version = read_badge_token(SECRET, raw)
    except BadgeError:
        return
    # only a genuine token reads
    assert make_badge_token(SECRET, ref, version) == normalise_scanned(raw)


# --- what make_badge_token refuses to make ----------------------------------------------------

@pytest.mark.parametrize("ref", ["v000042", "", "V0000420000000", "V-42", "V.42", "张三", None, 42])
def test_unreadable_refs_not_made(ref):
    with pytest.raises(ValueError):
        make_badge_token(SECRET, ref, 1)


@pytest.mark.parametrize("version", [-1, 1_000_000, "3", 3.0, True, None])
def test_unreadable_versions_not_made(version):
    with pytest.raises(ValueError):
        make_badge_token(SECRET, "V000042", version)


def test_version_bounds_read_back():
    for version in (0, 999_999):
        assert read_badge_token(SECRET, make_badge_token(SECRET, "V1", version)) == ("V1", version)


def test_bytes_secret_same_as_text():
    assert make_badge_token(b"badge-secret", "V000042", 3) == make_badge_token(SECRET, "V000042", 3)


def test_revoked_version_is_a_different_token():
    # the engine refuses an old version by comparing it; the token itself must carry it faithfully
    old, new = make_badge_token(SECRET, "V000042", 1), make_badge_token(SECRET, "V000042", 2)
    assert read_badge_token(SECRET, old) == ("V000042", 1)
    assert read_badge_token(SECRET, new) == ("V000042", 2)
    assert old.rsplit(".", 1)[1] != new.rsplit(".", 1)[1]


def test_non_text_input_is_malformed():
    for raw in (b"LF1.V1.1.AAAA", 12345, ["LF1"]):
        assert _code(SECRET, raw) == "malformed"


@pytest.mark.parametrize("dash", ["－", "—", "–", "‐", "−", "ー", "_"])
def test_ime_dashes_normalised(dash):
    assert normalise_scanned(f"a{dash}b") == "A-B"


def test_ime_typed_whole_token_reads(token):
    # a scanner typing into a Chinese IME in full-width mode: letters, digits and 。 all wide
    typed = "".join(FULLWIDTH.get(c, c) for c in token.lower()).replace("．", "。")
    assert read_badge_token(SECRET, typed + "\r\n") == ("V000042", 3)


def test_alphabet_fits_qr_alphanumeric_mode():
    qr_alnum = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert set(make_badge_token(SECRET, "V000042", 3)) <= qr_alnum


@given(secrets_, refs, versions)
def test_tokens_use_only_the_badge_alphabet(secret, ref, version):
    token = make_badge_token(secret, ref, version)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
    assert normalise_scanned(token) == token
