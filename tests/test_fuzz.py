"""Random and hostile input never gives a 500 (issue "Bad input and abuse"): hypothesis
feeds every form and the main services random text, NUL bytes, overlong strings and odd
dates; every POST of the permission matrix is sent NUL bytes and overlong text; forged ids
give 404; a POST without CSRF token gets the Dutch 403 page.

The runs are short (few examples, no deadline) so the suite stays fast."""

import inspect
import uuid
from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.errors import DomainError
from cases.models import Consultation, Observation, Phase
from cases.services import consent as consent_services
from cases.services import workflow as wf
from meldcode.models import Board, School, User
from tests.factories import CarerFactory, walk_to
from tests.matrix import ALL_ROWS
from tests.test_input_limits import first_party_forms
from tests.two_factor import TwoFactorClient

pytestmark = pytest.mark.django_db

SHORT = settings(max_examples=8, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])

hostile_text = st.one_of(
    st.text(max_size=50),
    st.just("\x00"), st.just("a\x00b"), st.just("x" * 20_000),
    st.just("2026-02-30"), st.just("-1"), st.just(str(uuid.uuid4())), st.just("<script>"),
)
values = st.one_of(hostile_text, st.lists(hostile_text, max_size=3))


def _form_kwargs(form_class, case=None):
    """Keyword arguments a form needs to be built, with neutral values."""
    sig = inspect.signature(form_class.__init__)
    needed = [p.name for p in sig.parameters.values()
              if p.kind == p.KEYWORD_ONLY and p.default is p.empty]
    kwargs = {"case": case} if "case" in _init_parameters(form_class) else {}
    for name in needed:
        if name in ("kinds", "authors", "headers", "board_ids"):
            kwargs[name] = []
        elif name == "initial_columns":
            kwargs[name] = {}
        elif name == "observations":
            kwargs[name] = Observation.objects.all()
        elif name == "consultations":
            kwargs[name] = Consultation.objects.all()
        elif name in ("with_vt",):
            kwargs[name] = False
        elif name == "schools":
            kwargs[name] = School.objects.all()
        elif name == "boards":
            kwargs[name] = Board.objects.all()
        elif name in ("user", "request", "question", "observation", "signal_list",
                      "categories", "grant"):
            return None
        else:
            kwargs[name] = User.objects.all()
    return kwargs


def _init_parameters(form_class) -> set[str]:
    names = set()
    for klass in form_class.__mro__:
        if "__init__" in vars(klass):
            names |= set(inspect.signature(klass.__init__).parameters)
    return names


BUILDABLE = [cls for cls in first_party_forms() if _form_kwargs(cls) is not None]


def test_nearly_every_form_is_fuzzed():
    skipped = set(first_party_forms()) - set(BUILDABLE)
    # Forms bound to one object (a user's code, an observation, a question) are fuzzed
    # through their pages below instead.
    assert len(skipped) <= 8, sorted(cls.__qualname__ for cls in skipped)


@pytest.mark.parametrize("form_class", BUILDABLE,
                         ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_random_input_to_every_form_is_a_validation_result(form_class, personas):
    fields = list(form_class.base_fields)

    @SHORT
    @given(data=st.fixed_dictionaries({}, optional={name: values for name in fields}))
    def check(data):
        posted = QueryDict(mutable=True)
        for name, value in data.items():
            posted.setlist(name, value if isinstance(value, list) else [value])
        form = form_class(data=posted, **_form_kwargs(form_class, personas.case))
        # Valid or not, never an exception; an invalid form names its errors.
        if not form.is_valid():
            assert form.errors

    check()


@pytest.fixture
def consulting(personas):
    walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    return personas


def test_random_consultations_are_recorded_or_refused_in_dutch(consulting):
    p = consulting

    @SHORT
    @given(kind=st.sampled_from(["af", "zorgteam", "veilig_thuis", "jeugdarts", "anders",
                                 "x\x00"]),
           text=hostile_text, anonymous=st.one_of(st.none(), st.booleans()),
           held_on=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    def check(kind, text, anonymous, held_on):
        try:
            wf.consultation_record(actor=p.af, case=p.case, kind=kind, held_on=held_on,
                                   advice=text, participants=text, kind_other=text,
                                   anonymous=anonymous)
        except DomainError as error:
            assert error.message

    check()


def test_random_consents_are_recorded_or_refused_in_dutch(personas):
    p = personas
    carer = CarerFactory(student=p.case.student)

    @SHORT
    @given(institution=st.sampled_from(["jeugdarts", "anders", "veilig_thuis", ""]),
           text=hostile_text,
           given_on=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    def check(institution, text, given_on):
        try:
            consent_services.consent_record(actor=p.af, case=p.case, carer=carer,
                                            given_on=given_on, institution=institution,
                                            institution_name=text[:200], purpose=text,
                                            how=text[:300])
        except DomainError as error:
            assert error.message

    check()


POSTS = [row for row in ALL_ROWS if row.method == "post"]


@pytest.mark.parametrize("row", POSTS, ids=[row.id for row in POSTS])
def test_every_post_answers_nul_bytes_and_overlong_text_without_a_500(client, personas,
                                                                      row):
    personas.extra = row.setup(personas) if row.setup else {}
    client.force_login(personas.af)
    client.confirm_recent_auth()
    data = {key: "a\x00" + "x" * 12_000 for key in row.data(personas)}
    data["onbekend_veld"] = "\x00"
    response = client.post(reverse(row.name, kwargs=row.kwargs(personas)), data=data)
    assert response.status_code < 500, f"{row.id}: {response.status_code}"


UUID_ROWS = [row for row in ALL_ROWS if row.method == "get"]


@pytest.mark.parametrize("row", UUID_ROWS, ids=[row.id for row in UUID_ROWS])
def test_forged_ids_in_urls_are_404(client, personas, row):
    personas.extra = row.setup(personas) if row.setup else {}
    kwargs = row.kwargs(personas)
    forged = {key: uuid.uuid4() if isinstance(value, uuid.UUID) else value
              for key, value in kwargs.items()}
    if forged == kwargs:
        pytest.skip("no id in this URL")
    client.force_login(personas.af)
    client.confirm_recent_auth()
    response = client.get(reverse(row.name, kwargs=forged))
    # Dossier URLs say "not found"; beheer URLs refuse an AF before looking anything up.
    assert response.status_code in (403, 404), f"{row.id}: {response.status_code}"


def test_a_post_without_csrf_token_gets_the_dutch_403_page(personas):
    client = TwoFactorClient(enforce_csrf_checks=True)
    client.force_login(personas.af)
    response = client.post(reverse("consent_add", args=[personas.case.pk]),
                           {"purpose": "x", "given_on": timezone.localdate().isoformat()})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()
