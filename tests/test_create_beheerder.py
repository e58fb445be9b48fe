"""`manage.py create_beheerder`: the first beheerder of a board, audited, without the admin."""

import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from meldcode import permissions
from meldcode.models import Board, Membership, Role, User
from tests.factories import BoardFactory, member


def _run(*args, **options):
    out = StringIO()
    call_command("create_beheerder", *args, stdout=out, no_input=True, **options)
    return out.getvalue()


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_creates_board_beheerder_and_invitation(db, client, mailoutbox, settings,
                                                django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://meldcode.example.nl"
    with django_capture_on_commit_callbacks(execute=True):
        output = _run(board="Stichting Nieuw", username="jan.beheer", email="Jan@Example.NL",
                      first_name="Jan", last_name="de Beheerder")

    board = Board.objects.get(name="Stichting Nieuw")
    user = User.objects.get(username="jan.beheer")
    assert user.email == "Jan@example.nl" and not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    (membership,) = Membership.objects.filter(user=user)
    assert (membership.role, membership.board, membership.school) == (Role.BEHEERDER, board,
                                                                     None)
    assert permissions.managed_board_ids(user) == {board.pk}
    assert _actions() == ["board.created", "beheerder.created", "membership.added",
                          "user.invited"]
    assert all(e.actor is None for e in AuditEvent.objects.all())

    (mail,) = mailoutbox
    link = re.search(r"https://meldcode\.example\.nl(/wachtwoord/instellen/\S+/)", output)
    assert link and "https://meldcode.example.nl/wachtwoord/instellen/" in mail.body
    response = client.get(link.group(1))
    page = client.get(response["Location"])
    assert "jan.beheer" in page.content.decode()


def test_an_existing_board_is_reused(db, mailoutbox):
    board = BoardFactory(name="Stichting Bestaand")
    member(Role.BEHEERDER, board=board)
    _run(board="Stichting Bestaand", username="tweede", email="tweede@example.nl")
    assert Board.objects.filter(name="Stichting Bestaand").count() == 1
    assert "board.created" not in _actions()
    assert Membership.objects.get(user__username="tweede").board == board


def test_an_existing_username_is_refused_and_nothing_is_written(db, mailoutbox):
    User.objects.create_user("bezet", "bezet@example.nl")
    with pytest.raises(CommandError, match="gebruikersnaam"):
        _run(board="Stichting X", username="Bezet", email="x@example.nl")
    assert not Board.objects.filter(name="Stichting X").exists()
    assert _actions() == [] and mailoutbox == []


@pytest.mark.parametrize("missing", ["board", "username", "email"])
def test_without_input_every_value_is_required(db, missing):
    values = {"board": "Stichting Y", "username": "y", "email": "y@example.nl"}
    values.pop(missing)
    with pytest.raises(CommandError):
        _run(**values)
    assert not User.objects.exists()


def test_a_password_can_be_typed_instead_of_an_invitation(db, mailoutbox):
    with mock.patch("getpass.getpass", side_effect=["Lange-Zin-Met-Koffie-7",
                                                    "Lange-Zin-Met-Koffie-7"]):
        output = _run(board="Stichting Z", username="zee", email="zee@example.nl",
                      password=True)
    user = User.objects.get(username="zee")
    assert user.check_password("Lange-Zin-Met-Koffie-7")
    assert mailoutbox == [] and "wachtwoord/instellen" not in output
    assert _actions() == ["board.created", "beheerder.created", "membership.added",
                          "beheerder.password_set"]


def test_a_weak_typed_password_is_refused(db):
    with mock.patch("getpass.getpass", side_effect=["kort", "kort"]), \
            pytest.raises(CommandError):
        _run(board="Stichting W", username="w", email="w@example.nl", password=True)
    assert not User.objects.exists() and not Board.objects.exists()


def test_interactive_questions_fill_in_what_is_missing(db, mailoutbox):
    answers = iter(["Stichting Vraag", "vraag", "vraag@example.nl", "Vera", "Vragen"])
    out = StringIO()
    with mock.patch("builtins.input", lambda prompt="": next(answers)):
        call_command("create_beheerder", stdout=out)
    user = User.objects.get(username="vraag")
    assert (user.first_name, user.last_name) == ("Vera", "Vragen")
    assert Membership.objects.get(user=user).board.name == "Stichting Vraag"
