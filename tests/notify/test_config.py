"""The notification file is refused, with its file and line, before anything is crawled."""

import pytest

from pipeline.notify.config import NotifyConfigError, load_notify_config

GOOD = """datasette_url = "https://ris3watch.example.org/"

[[channels]]
url = "mailto://user:pass@smtp.example.org?to=analyst@example.org"
tags = ["changes"]
format = "text"
language = "fi"

[[channels]]
url = "workflows://prod-01.westeurope.logic.azure.com:443/abc123/SIGsecret"
tags = ["ops", "vety"]

[[watches]]
name = "vetytalous"
query = "vetytaloudesta OR vety*"
sources = ["kymenlaakso"]
tags = ["vety"]
"""


def write(tmp_path, text):
    path = tmp_path / "notify.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file(tmp_path):
    config = load_notify_config(write(tmp_path, GOOD), known_sources=["kymenlaakso"])
    assert config.datasette_url == "https://ris3watch.example.org"
    mail, teams = config.channels
    assert mail.tags == {"changes"} and mail.format == "text" and mail.language == "fi"
    assert teams.format == "markdown" and teams.language == "fi+en"
    assert len(mail.hash) == 16 and mail.hash != teams.hash
    [watch] = config.watches
    assert watch.sources == {"kymenlaakso"} and watch.tags == {"vety"}
    assert watch.covers("kymenlaakso", None) and not watch.covers("lappi", None)


CHANNEL = '[[channels]]\nurl = "json://127.0.0.1:9/hook"\ntags = ["changes"]\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n" + CHANNEL, ":1: unknown top-level key 'colour'"),
        ("", ": no [[channels]] tables"),
        (CHANNEL + "colour = 2\n", ":4: unknown key 'colour' in [[channels]]"),
        (
            '[[channels]]\nurl = "bogus://secret-token@x"\ntags = ["changes"]\n',
            ":1: channel url (bogus://…)",
        ),
        ('[[channels]]\nurl = "json://127.0.0.1:9/x"\n', ":1: 'tags' is empty"),
        (CHANNEL + 'format = "html"\n', ":1: format 'html' must be one of"),
        (CHANNEL + 'language = "sv"\n', ":1: language 'sv' must be one of"),
        ('datasette_url = "ftp://x"\n' + CHANNEL, ":1: datasette_url must be an http(s) URL"),
        (CHANNEL + '\n[[watches]]\nname = "w"\nquery = "vety)"\n', ":7: bad query 'vety)'"),
        (CHANNEL + '\n[[watches]]\nname = "w"\nquery = "\\"vety"\n', ":7: bad query"),
        (CHANNEL + '\n[[watches]]\nname = "w"\nquery = "OR"\n', ":7: bad query"),
        (CHANNEL + '\n[[watches]]\nname = "w"\nquery = "!!"\n', ":7: bad query '!!': no words"),
        (CHANNEL + '\n[[watches]]\nname = "w"\nquery = "x"\nhue = 1\n', ":8: unknown key 'hue'"),
        (CHANNEL + '\n[[watches]]\nquery = "x"\n', ":5: [[watches]] needs a non-empty 'name'"),
        (
            CHANNEL + '\n[[watches]]\nname = "w"\nquery = "x"\nsources = ["atlantis"]\n',
            ":5: unknown source id(s): atlantis",
        ),
        (
            CHANNEL + '\n[[watches]]\nname = "w"\nquery = "x"\nregions = ["Atlantis"]\n',
            ":5: unknown region(s): Atlantis",
        ),
        (
            CHANNEL + '\n[[watches]]\nname = "w"\nquery = "x"\nsources = ["lappi"]\n'
            'regions = ["Lappi"]\n',
            ":5: give 'sources' or 'regions', not both",
        ),
        (
            CHANNEL + '\n[[watches]]\nname = "w"\nquery = "x"\n\n[[watches]]\nname = "w"\n'
            'query = "y"\n',
            ":9: duplicate watch 'w'",
        ),
        ("[[channels]\n", ": Expected"),
    ],
)
def test_bad_files_are_refused_with_file_and_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(NotifyConfigError) as error:
        load_notify_config(path, known_sources=["lappi"], known_regions=["Lappi"])
    assert f"{path}{message}" in str(error.value)
    assert "secret-token" not in str(error.value)  # a channel URL is never quoted


def test_a_missing_file(tmp_path):
    with pytest.raises(NotifyConfigError, match="cannot read notification file"):
        load_notify_config(tmp_path / "nope.toml")


def test_the_readme_example_is_a_valid_file(tmp_path):
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Notifications", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config = load_notify_config(write(tmp_path, example), known_sources=["kymenlaakso"])
    assert [c.scheme for c in config.channels] == ["mailtos", "workflows", "slack", "jsons"]
    assert config.watches[0].name == "vetytalous"
