"""Index and query terms of single words, per cause of a past miss or false hit (#15)."""

import pytest

from query import lemmas
from query.lemmas import finnish_terms, page_terms, query_terms, word_terms

# A vocabulary with every kind of word the analysis treats apart: compounds ([Bc] and
# "="), inflected last parts, participles, -minen nouns, derivations, names, unknown words.
WORDS = [
    "kiertotalous",
    "kiertotaloudessa",
    "hyvinvoinnin",
    "hyvinvointi",
    "ilmastoriskit",
    "maakuntaohjelmaa",
    "erikoistumisstrategia",
    "erikoistumisen",
    "kehittänyt",
    "kehitetty",
    "kehittämä",
    "kehittyvä",
    "perustettu",
    "olemisen",
    "työpaikkojen",
    "työllisyys",
    "kaupallinen",
    "suomalainen",
    "suomalaisyritys",
    "eläinlääkärin",
    "valokuvaa",
    "eurooppaan",
    "kärjet",
    "strategiassa",
    "älykkään",
    "kuin",
    "silloin",
    "elämä",
    "tehtävää",
    "jäävänsä",
    "käyttämät",
    "teltsu",
    "evira",
    "teltsukylässä",
    "maakuntien",
    "kunnat",
    "kymmenennen",  # a numeral compound whose first part has no word class
    "viisikymmentä",
    "partaansa",  # pyvoikko's transducer also gives parta+ansa, which needs a hyphen
    "katuuki",  # a guess: its spellings must be analysed alike too
]


@pytest.fixture(params=["libvoikko", "pyvoikko"])
def backend(request):
    lemmas.use_backend(request.param)
    yield request.param
    lemmas.use_backend(None)


@pytest.mark.parametrize(
    ("word", "base", "indexed_also"),
    [
        ("kiertotaloudessa", "kiertotalous", {"kierto", "talous"}),
        ("hyvinvoinnin", "hyvinvointi", {"hyvin", "vointi"}),  # "=" inside Voikko's base
        ("ilmastoriskit", "ilmastoriski", {"ilmasto", "riski"}),  # +riskit(riski)
        ("maakuntaohjelmaa", "maakuntaohjelma", {"maa", "maakunta", "kunta", "ohjelma"}),
        ("työpaikkojen", "työpaikka", {"työ", "paikka"}),  # short parts are words too
        ("kehittänyt", "kehittänyt", {"kehittää"}),  # a participle's verb
        ("kehitetty", "kehitetty", {"kehittää"}),
        ("kehittyvä", "kehittyvä", {"kehittyä"}),
        ("jäävänsä", "jäävä", {"jäädä"}),  # [Ll] after [Lt] without an [R] tag
        ("olemisen", "oleminen", set()),  # not olla: that would match every page
        ("erikoistumisen", "erikoistuminen", set()),
        ("eurooppaan", "eurooppa", set()),  # not euro+opas
        ("kuin", "kuin", set()),  # not kuu's plural instructive
        ("etteivät", "ettei", {"ei"}),  # että + eivät: UD splits it, a search for ei finds it
    ],
)
def test_base_forms_and_index_only_terms(backend, word, base, indexed_also):
    terms = finnish_terms(word)
    assert base in terms.bases
    assert indexed_also <= set(terms.extra)


@pytest.mark.parametrize(
    ("word", "never"),
    [
        ("työllisyys", {"llisyys", "lli", "työ"}),  # derivations are not compound parts
        ("kaupallinen", {"llinen", "lli", "nen", "kauppa"}),
        ("suomalainen", {"lainen", "suomi"}),
        ("elämä", {"elää"}),  # a word of its own, not elää's participle
        ("tehtävää", {"tehdä"}),
        ("kehitys", {"kehittää"}),  # a noun made from a verb is not the verb
        ("nainen", {"naida"}),  # the potential mood is rare next to any other reading
        ("tilanne", {"tilata", "tila"}),
    ],
)
def test_no_derivational_parts(backend, word, never):
    terms = finnish_terms(word)
    assert not never & {*terms.bases, *terms.extra}


def test_queries_never_include_compound_parts():
    bases, guesses = query_terms("kiertotaloudessa")
    assert "kiertotalous" in bases
    assert not {"kierto", "talous"} & set(bases)
    assert "kehittää" not in query_terms("kehitetty")[0]  # a participle is not its verb


@pytest.mark.parametrize(
    ("word", "bases", "guesses"),
    [
        ("lienee", {"olla"}, ()),  # a potential mood with no other reading stays
        ("vanha", set(), ()),  # a known word is its own base: no Swedish stem "vanh"
        ("nainen", set(), ()),
        ("eviran", set(), ("evir",)),  # unknown everywhere: a guess
    ],
)
def test_query_terms(word, bases, guesses):
    found_bases, found_guesses = query_terms(word)
    assert bases <= set(found_bases)
    assert found_guesses == guesses


def test_unknown_words_get_a_guess_not_a_lemma():
    assert finnish_terms("evira").bases == ()
    assert finnish_terms("evira").guesses == finnish_terms("eviran").guesses == ("evir",)
    assert finnish_terms("teltsukylässä").guesses == finnish_terms("teltsukylä").guesses
    assert query_terms("eviran") == ((), ("evir",))
    assert "tulla" in finnish_terms("tullu").guesses  # tullut, spoken
    assert "kauhea" in finnish_terms("kauheeta").guesses
    assert "maito" in finnish_terms("maitoo").guesses  # maitoa
    assert "olla" in finnish_terms("olis").guesses  # olisi
    assert page_terms("Evira", "Eviran ohje", "fi").guess_lemmas.split() == ["evir", "evir"]
    assert "evir" not in page_terms("Evira", "Eviran ohje", "fi").lemmas.split()


@pytest.mark.parametrize(
    ("word", "base"), [("gjort", "göra"), ("namnet", "namn"), ("pappan", "pappa")]
)
def test_swedish_lemmas(word, base):
    assert word_terms(word, "sv").bases == (base,)


def test_both_backends_index_the_same_terms():
    """A database indexed with one backend is queried with the other without losses."""
    text = " ".join(WORDS)
    found = {}
    for name in ("libvoikko", "pyvoikko"):
        lemmas.use_backend(name)
        assert lemmas.backend() == name
        found[name] = (page_terms("", text, "fi"), [query_terms(w) for w in WORDS])
    lemmas.use_backend(None)
    assert found["libvoikko"] == found["pyvoikko"]


def test_libvoikko_is_the_default():
    lemmas.use_backend(None)
    assert lemmas.backend() == "libvoikko", "make test installs Debian's libvoikko1, voikko-fi"


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("kymmenennen", "kymmenes"),  # "[Lu][Bc][Xp]kymmenes[X]…": pyvoikko kept "[Lu]"
        ("kymmenennessä", "kymmenes"),
        ("viisikymmentä", "viisikymmentä"),
        ("partaansa", "parta"),  # not parta+ansa: a|a needs a hyphen
        ("työpaikkaansa", "työpaikka"),
        ("saarnaansa", "saarna"),
    ],
)
def test_numerals_and_possessives(backend, word, base):
    assert base in finnish_terms(word).bases


@pytest.mark.parametrize(
    ("fstoutput", "well_formed"),
    [
        ("[Ln][Xp]parta[X]part[Sp][Ny]aa[O3]nsa", True),  # no compound
        ("[Ln][Xp]parta[X]part[Sn][Ny]a[Bh][Bc][Ln][Xp]ansa[X]ans[Sn][Ny]a", False),  # a|a
        ("[Ln][Xp]katu[X]katu[Sn][Ny]-[Bh][Bc][Ln][Xp]ukki[X]uk[Sn][Nm]it", True),  # katu-ukit
        ("[Ln][Xp]työ[X]työ[Sn][Ny][Bh][Bc][Ln][Xp]paikka[X]paikk[Sn][Ny]a", True),
        ("[Ln][Xp]työ[X]työ[Sn][Ny]-[Bh][Bc][Ln][Xp]paikka[X]paikk[Sn][Ny]a", False),
        ("[Lu][Bc][Xp]kymmenes[X][Sg][Ny]kymmenennen", True),
        ("[Lep][Xp]Helsinki[X]helsin[Sg][Ny]gin[Bh][Bc][Ln][Xp]kirja[X]kirj[Sn][Ny]a", False),
        ("[Lep][Xp]Helsinki[X]helsin[Sg][Ny]gin[Bh][Bc][Ln][Ica][Xp]katu[X]katu[Sn][Ny]", True),
    ],
)
def test_pure_backend_spells_compounds_as_libvoikko(fstoutput, well_formed):
    from query import voikko_pure

    assert voikko_pure.well_formed(fstoutput) is well_formed
