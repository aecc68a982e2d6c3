"""Stamps, counters and clock times by shape: noise in every form, real edits still count."""

import pytest

from crawler.sources import Source
from extract import PageRecord
from pipeline.changes import fingerprint, mask_volatile
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Stamps with seconds, "kl." and 12-hour times.
        ("Teksti\nMuokattu 3.2.2021 klo 14.05.33", "Teksti\nMuokattu 3.2.2021 klo 14.06.01"),
        ("Teksti\nMuokattu 3.2.2021 klo 14.05.33", "Teksti\nMuokattu 4.2.2021 klo 09.10.12"),
        ("Text\nSenast ändrad 3.2.2021 kl. 14.05", "Text\nSenast ändrad 5.2.2021 kl. 8.15"),
        (
            "Text\nLast updated February 3, 2021 at 2:05 pm",
            "Text\nLast updated March 4, 2021 at 11:40 am",
        ),
        (
            "Text\nLast modified: 3 Feb 2021 2:05:33 PM",
            "Text\nLast modified: 4 Feb 2021 9:01:10 AM",
        ),
        (
            "Teksti\nSivu päivitetty maanantaina 1.2.2021",
            "Teksti\nSivu päivitetty tiistaina 2.2.2021",
        ),
        ("Teksti\nPäivitetty 31. tammikuuta 2021", "Teksti\nPäivitetty 1. helmikuuta 2021"),
        ("Teksti\nPäivitetty:\n3.2.2021 klo 14.05.33", "Teksti\nPäivitetty:\n4.2.2021 klo 9.01.02"),
        # Counters in other words than the listed ones.
        ("Strategia\nKatselukertoja: 340", "Strategia\nKatselukertoja: 351"),
        ("Strategia\nLukukertoja 12", "Strategia\nLukukertoja 13"),
        ("Strategia\nSivua on katsottu 1 204 kertaa", "Strategia\nSivua on katsottu 1 210 kertaa"),
        ("Strategi\nVisningar: 77", "Strategi\nVisningar: 80"),
        ("Strategy\n1,234 views", "Strategy\n1,240 views"),
        ("Strategia\nNäyttökerrat 5 | Jaa", "Strategia\nNäyttökerrat 6 | Jaa"),
        # Clock times anywhere.
        ("Sivu haettu 14:05:33", "Sivu haettu 09:12:44"),
        ("Strategia hyväksyttiin. 3.2.2021 14.05.33", "Strategia hyväksyttiin. 3.2.2021 15.00.00"),
        ("Page generated in 0.034 seconds", "Page generated in 0.051 seconds"),
    ],
)
def test_stamps_counters_and_clock_times_are_noise(before, after):
    assert fingerprint(before) == fingerprint(after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Budjetti 340 000 euroa", "Budjetti 500 000 euroa"),
        ("Hakuaika päättyy 31.3.2025", "Hakuaika päättyy 30.4.2025"),
        ("Hankkeessa on luotu 40 työpaikkaa", "Hankkeessa on luotu 55 työpaikkaa"),
        ("Seminaari 12.3.2025 Kotkassa", "Seminaari 19.3.2025 Kotkassa"),
        ("Osallistujia 40", "Osallistujia 45"),
        ("Kärjet: logistiikka", "Kärjet: energia"),
        ("Muokattu 3.2.2021\nKärjet: logistiikka", "Muokattu 4.2.2021\nKärjet: energia"),
    ],
)
def test_real_edits_still_change_the_fingerprint(before, after):
    assert fingerprint(before) != fingerprint(after)


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("Muokattu 3.2.2021 klo 14.05.33", "Muokattu #.#.# klo #.#.#"),
        ("Katselukertoja: 340", "Katselukertoja: #"),
        ("Päivitetty 1. helmikuuta 2021", "Päivitetty #. # #"),
        ("Budjetti 340 000 euroa", "Budjetti 340 000 euroa"),
        ("Muokattu viimeksi", "Muokattu viimeksi"),
    ],
)
def test_only_stamp_and_counter_lines_are_masked(line, masked):
    assert mask_volatile(line) == masked


def test_a_hash_from_older_rules_is_no_change(tmp_path):
    """A page stored when "Katselukertoja" was not yet noise is not "changed" by the release
    that knows it: the latest version is fingerprinted again under today's rules."""
    source = Source("s", "S", "R", "regional_council", ("https://liitto.fi/",))
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, [source])
    url = "https://liitto.fi/alustat"

    def save(text: str, at: str) -> str:
        record = PageRecord(url, "Alustat", text, "fi", None, None, None, True, 1.0)
        fetch = Fetch(url=url, source_id="s", status=200, fetched_at=at, final_url=url)
        return store.save_page(start_run(store.db, ["s"]), fetch, record)

    assert save("Kasvun alustat.\nKatselukertoja: 340", "2026-11-30T01:00:00+00:00") == "new"
    # What an older release stored: a hash of the text with the counter in it.
    store.db.execute("UPDATE pages SET content_hash = 'made-by-older-rules'")
    assert save("Kasvun alustat.\nKatselukertoja: 351", "2026-12-01T01:00:00+00:00") == "unchanged"
    assert save("Kasvun alustat ja TKI.\nKatselukertoja: 352", "2026-12-02T01:00:00+00:00") == (
        "changed"
    )
    store.close()
