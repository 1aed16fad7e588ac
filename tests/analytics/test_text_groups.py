"""Theme suggestions on a small realistic corpus of resident comments, in English and Spanish."""

from __future__ import annotations

import pytest

from roundtable.analytics.text_groups import suggest_groups, tokens

CORPUS: dict[tuple[str, str], list[str]] = {
    ("speeding", "en"): [
        "Cars speeding down Elm Street every night, someone will get hurt",
        "Drivers speed past the school on Elm Street in the morning",
        "Speeding traffic on Oak Avenue, we need speed bumps",
        "People drive way too fast and speeding is constant near the park entrance",
        "Please do something about speeding cars on Oak Avenue, kids cross there",
    ],
    ("speeding", "es"): [
        "Los coches pasan a mucha velocidad por la calle Olmo",
        "Exceso de velocidad frente a la escuela, los coches no paran",
        "Necesitamos reductores de velocidad, los coches corren mucho",
        "La velocidad de los coches en la avenida Roble es peligrosa",
    ],
    ("break-ins", "en"): [
        "Our car was broken into last week, window smashed and bag stolen",
        "Car break-in on Pine Street overnight, third this month",
        "Someone broke into my garage and stole tools, second break-in this month",
        "Car break-ins keep happening in the parking lot behind the library",
        "Garage break-in last night, bikes stolen",
    ],
    ("break-ins", "es"): [
        "Robaron en mi casa mientras estábamos en el trabajo",
        "Hubo un robo en la casa de mi vecina, entraron por la ventana",
        "Muchos robos en casas del barrio este mes",
        "Entraron a robar en dos casas de la calle Pino",
    ],
    ("lighting", "en"): [
        "The street lights on Maple Court have been out for weeks",
        "Broken street lights make the walk home from the bus stop scary",
        "Please fix the street lights near the underpass, it is completely dark",
        "Dark alley, no lights, people feel unsafe walking at night",
    ],
    ("lighting", "es"): [
        "No hay luz en la calle Arce, las farolas están apagadas",
        "Las farolas del parque no funcionan y está muy oscuro",
        "Faltan farolas cerca de la parada del autobús, todo está oscuro",
    ],
    ("youth", "en"): [
        "Teenagers hanging out at the skate park need something to do after school",
        "Youth programs closed and now teenagers have nowhere to go",
        "More youth programs please, the teenagers are bored in the summer",
        "The youth centre shut down and teenagers gather outside the shops",
    ],
    ("youth", "es"): [
        "Los jóvenes no tienen actividades después de la escuela",
        "Faltan programas para jóvenes en el barrio",
        "Los jóvenes se juntan en la plaza porque no hay actividades",
    ],
    ("other", "en"): [
        "Thank you to the officers who came to the community meeting",
        "Noise from the bar on Friday nights",
    ],
    ("other", "es"): ["Quiero saber cuándo es la próxima reunión"],
}


def flatten():
    texts, languages, labels = [], [], []
    for (topic, language), items in CORPUS.items():
        texts += items
        languages += [language] * len(items)
        labels += [(topic, language)] * len(items)
    return texts, languages, labels


@pytest.fixture(scope="module")
def grouped():
    texts, languages, labels = flatten()
    return suggest_groups(texts, languages), labels


def test_no_suggested_group_mixes_topics(grouped):
    groups, labels = grouped

    for group in groups:
        assert len({labels[i] for i in group.members}) == 1, group


@pytest.mark.parametrize("topic", ["speeding", "break-ins", "lighting", "youth"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_obvious_theme_comes_out_in_each_language(grouped, topic, language):
    groups, labels = grouped

    found = [g for g in groups if labels[g.members[0]] == (topic, language)]

    assert len(found) == 1
    assert len(found[0].members) >= 3


def test_an_english_and_a_spanish_text_on_the_same_problem_stay_apart(grouped):
    # Honest limit: nothing is translated, so "speeding" and "velocidad" do not meet.
    groups, labels = grouped

    assert all(len({labels[i][1] for i in g.members}) == 1 for g in groups)


def test_one_off_comments_fit_no_group(grouped):
    groups, labels = grouped
    grouped_members = {i for g in groups for i in g.members}

    others = {i for i, label in enumerate(labels) if label[0] == "other"}

    assert not others & grouped_members


def test_groups_are_named_by_readable_words_not_stems(grouped):
    groups, labels = grouped
    terms = {labels[g.members[0]]: g.terms for g in groups}

    assert "speeding" in terms[("speeding", "en")]
    assert "velocidad" in terms[("speeding", "es")]
    assert "jóvenes" in terms[("youth", "es")]  # the word, accent and all
    assert "farolas" in terms[("lighting", "es")]
    assert all(1 <= len(t) <= 5 for t in terms.values())


def test_groups_come_largest_first_with_cohesion_between_0_and_1(grouped):
    groups, _ = grouped
    sizes = [len(g.members) for g in groups]

    assert sizes == sorted(sizes, reverse=True)
    assert all(0 < g.cohesion <= 1 for g in groups)


def test_suggestions_are_reproducible():
    texts, languages, _ = flatten()

    assert suggest_groups(texts, languages, seed=3) == suggest_groups(texts, languages, seed=3)


def test_max_groups_keeps_the_largest():
    texts, languages, _ = flatten()
    everything = suggest_groups(texts, languages)

    assert suggest_groups(texts, languages, max_groups=2) == everything[:2]


def test_min_size_drops_smaller_groups():
    texts, languages, _ = flatten()

    groups = suggest_groups(texts, languages, min_size=4)

    assert groups and all(len(g.members) >= 4 for g in groups)


def test_nothing_to_group():
    assert suggest_groups([], []) == []
    assert suggest_groups(["Speeding on Elm", "Speeding on Elm"], ["en", "en"]) == []
    assert suggest_groups(["the and of"] * 4, ["en"] * 4) == []
    assert suggest_groups(["apples", "bridges", "clouds", "doors"], ["en"] * 4) == []


def test_identical_texts_make_one_perfectly_cohesive_group():
    groups = suggest_groups(["Speeding cars on Elm Street"] * 4, ["en"] * 4)

    assert len(groups) == 1
    assert groups[0].members == [0, 1, 2, 3]
    assert groups[0].cohesion == pytest.approx(1.0)


def test_stems_follow_each_texts_language_and_drop_stop_words_of_both():
    assert [s for s, _ in tokens("The lights are broken", "en")] == ["light", "broken"]
    assert [s for s, _ in tokens("Las luces de la policía", "es")] == ["luc", "polic"]
    # A Spanish stop word in an English text is dropped too: people mix languages.
    assert [w for _, w in tokens("Speeding cars pero nobody cares", "en")] == [
        "speeding",
        "cars",
        "cares",
    ]


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="same length"):
        suggest_groups(["a text"], [])
    with pytest.raises(ValueError, match="min_size"):
        suggest_groups(["a", "b"], ["en", "en"], min_size=1)
