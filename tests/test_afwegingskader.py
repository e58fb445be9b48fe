"""The afwegingskader as data: the loaded texts are the seed's, word for word, and every
path through the five questions leads where 004 says, in every framework version."""

import copy
import re
from pathlib import Path

import pytest
from django.apps import apps

from decisions.afwegingskader import ONDERWIJS_2019, load
from decisions.models import Definition, Framework, Option, Question
from decisions.selectors.weighing import current_framework, framework_questions, walk

# The seed (004); a fresh clone carries the two excerpts the framework is taken from.
SEED = Path("/work/shared/seeds/004_26cac19923816e06.txt")
LOCAL_SEED = Path(__file__).resolve().parent / "data" / "004_afwegingskader.txt"


def _normal(text: str) -> str:
    text = re.sub(r"</?(b|p)>|\*\*|\*", " ", text)
    text = re.sub(r"^#+", " ", text, flags=re.M)
    return " ".join(text.split())


def _seed_text() -> str:
    source = SEED if SEED.exists() else LOCAL_SEED
    return _normal(source.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_loaded_texts_are_the_seeds_word_for_word():
    seed = _seed_text()
    framework = Framework.objects.get(code="onderwijs-amos", version=2019)
    questions = Question.objects.filter(framework=framework)
    assert [q.theme for q in questions] == ["Vermoeden", "Veiligheid", "Hulp", "Hulp aanvaard",
                                            "Resultaat"]
    for question in questions:
        assert _normal(question.heading) in seed, question.heading
        assert _normal(question.text) in seed, question.number
        for option in question.options.all():
            assert _normal(f"{option.code}: {option.text}") in seed, str(option)
    definitions = Definition.objects.filter(framework=framework)
    assert [d.code for d in definitions] == ["A", "B", "C", "acuut", "structureel",
                                             "disclosure"]
    for definition in definitions:
        for part in [definition.text, definition.explanation, *definition.example_list]:
            assert _normal(part) in seed, (definition.code, part[:40])


def test_the_local_copy_of_the_seed_is_the_seed():
    if not SEED.exists():
        pytest.skip("shared seed not present")
    # Two excerpts: "Stap 4 … en Stap 5" and bijlage 3 (a fresh clone has only this copy).
    local, seed = LOCAL_SEED.read_text(encoding="utf-8"), SEED.read_text(encoding="utf-8")
    steps, appendix = local.split("## Bijlage 3")
    assert steps in seed and "## Bijlage 3" + appendix in seed


# Every path through the five questions → (new meldingen with their norm, help, closes).
PATHS = [
    ({1: "A"}, [], False, "close", None),
    ({1: "B"}, [], False, None, 2),
    ({1: "B", 2: "B"}, ["A"], False, None, 3),
    ({1: "B", 2: "B", 3: "A"}, ["A"], False, None, None),
    ({1: "B", 2: "B", 3: "B", 4: "A"}, ["A"], False, None, None),
    ({1: "B", 2: "B", 3: "B", 4: "B"}, ["A"], True, None, 5),
    ({1: "B", 2: "B", 3: "B", 4: "B", 5: "A"}, ["A", "C"], True, None, None),
    ({1: "B", 2: "B", 3: "B", 4: "B", 5: "B"}, ["A"], True, "close_help", None),
    ({1: "B", 2: "A"}, [], False, None, 3),
    ({1: "B", 2: "A", 3: "A"}, ["B"], False, None, None),
    ({1: "B", 2: "A", 3: "B", 4: "A"}, ["B"], False, None, None),
    ({1: "B", 2: "A", 3: "B", 4: "B"}, [], True, None, 5),
    ({1: "B", 2: "A", 3: "B", 4: "B", 5: "A"}, ["C"], True, None, None),
    ({1: "B", 2: "A", 3: "B", 4: "B", 5: "B"}, [], True, "close_help", None),
]


class _Answer:
    def __init__(self, option):
        self.option = option
        self.pk = id(self)


def _run(framework, choices):
    questions = framework_questions(framework)
    answers = {n: _Answer(next(o for o in questions[n].options.all() if o.code == code))
               for n, code in choices.items()}
    return walk(questions, answers)


def _check(path, norms, helps, closing, next_number):
    assert [norm for _answer, norm in path.meldingen] == norms
    assert (path.help is not None) == helps
    if closing == "close":
        assert path.close is not None and path.close_help is None
    elif closing == "close_help":
        assert path.close_help is not None and path.close is None
    else:
        assert path.close is None and path.close_help is None
    assert (path.next_question.number if path.next_question else None) == next_number


@pytest.mark.django_db
@pytest.mark.parametrize(("choices", "norms", "helps", "closing", "next_number"), PATHS,
                         ids=["-".join(f"{n}{c}" for n, c in p[0].items()) for p in PATHS])
def test_every_path_leads_where_the_seed_says(choices, norms, helps, closing, next_number):
    _check(_run(current_framework(), choices), norms, helps, closing, next_number)


def _newer_version():
    """A later version: question 4 "no" now implies norm C, and a sixth question (a
    nazorg check) follows a reached result."""
    data = copy.deepcopy(ONDERWIJS_2019)
    data["version"] = 2027
    data["questions"][3]["options"][0]["norm"] = "C"
    data["questions"][4]["options"][1].update({"leads": "next", "next": 6})
    data["questions"].append({
        "number": 6, "theme": "Nazorg", "heading": "6. NAZORG", "text": "Blijft het veilig?",
        "options": [{"code": "A", "leads": "melding", "norm": "C", "text": "NEE → melden"},
                    {"code": "B", "leads": "close_help", "text": "JA → afsluiten"}]})
    return load(data, apps.get_model)


NEWER_PATHS = [
    ({1: "B", 2: "A", 3: "B", 4: "A"}, ["C"], False, None, None),
    ({1: "B", 2: "A", 3: "B", 4: "B", 5: "B"}, [], True, None, 6),
    ({1: "B", 2: "A", 3: "B", 4: "B", 5: "B", 6: "B"}, [], True, "close_help", None),
    ({1: "B", 2: "A", 3: "B", 4: "B", 5: "B", 6: "A"}, ["C"], True, None, None),
    ({1: "A"}, [], False, "close", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("choices", "norms", "helps", "closing", "next_number"), NEWER_PATHS)
def test_a_newer_version_is_followed_as_its_own_data(choices, norms, helps, closing,
                                                     next_number):
    newer = _newer_version()
    assert current_framework() == newer
    _check(_run(newer, choices), norms, helps, closing, next_number)
    # The 2019 version is untouched.
    old = Framework.objects.get(version=2019)
    assert Option.objects.get(question__framework=old, question__number=4, code="A").norm == "B"


@pytest.mark.django_db
def test_doubt_at_question_2_is_the_yes_answer():
    question = Question.objects.get(framework__version=2019, number=2)
    [doubt] = [o for o in question.options.all() if o.includes_doubt]
    assert (doubt.code, doubt.leads, doubt.norm) == ("B", "melding", "A")
