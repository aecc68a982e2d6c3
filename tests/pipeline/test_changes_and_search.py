import pytest

from pipeline.changes import fingerprint, normalise_text, text_diff, word_changes


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Strategia\nOsumia: 12", "Strategia\nOsumia: 1234"),
        ("Strategia  ja   kärjet", "Strategia ja kärjet"),
        ("Teksti\nPäivitetty 12.01.2021 klo 14.02", "Teksti\nPäivitetty 13.01.2021 klo 09.10"),
        ("Teksti\nLast updated 3.2.2021", "Teksti\nLast updated 4.2.2021"),
    ],
)
def test_noise_does_not_change_the_fingerprint(a, b):
    assert fingerprint(a) == fingerprint(b)


def test_real_edit_changes_the_fingerprint_and_source_ignore_patterns_apply():
    assert fingerprint("Kärjet: logistiikka") != fingerprint("Kärjet: energia")
    assert fingerprint("Sessio abc123 teksti", [r"Sessio \w+"]) == fingerprint(
        "Sessio zz9 teksti", [r"Sessio \w+"]
    )
    assert normalise_text("a\n\n  b  ") == "a\nb"


def test_diff_and_word_counts():
    diff = text_diff("a\nb\nc", "a\nB\nc", "u")
    assert "-b" in diff and "+B" in diff
    assert word_changes("yksi kaksi kolme", "yksi neljä kolme viisi") == (2, 1)
