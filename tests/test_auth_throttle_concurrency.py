"""The login limits hold when many attempts arrive at the same moment.

Each attempt runs in its own thread with its own database connection, as parallel web
workers do; a barrier lines them up so that they all ask for the count together."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from meldcode.models import User
from meldcode.services.auth_throttle import ACCOUNT_LOGIN_LIMIT, ADDRESS_LOGIN_LIMIT, LOGIN_FAILED

ADDRESS = "10.0.0.1"
# The test suite hashes with MD5; a real hasher takes ~0.3 s, and the race lives in that gap.
HASH_SECONDS = 0.05


def _fire(usernames):
    """Post one wrong password per username, all at once; return the response codes."""
    start = threading.Barrier(len(usernames))
    statuses, errors = [], []

    def attempt(username):
        try:
            start.wait()
            response = Client().post(reverse("login"),
                                     {"username": username, "password": "verkeerd"},
                                     REMOTE_ADDR=ADDRESS)
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return statuses


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_for_one_account_verify_at_most_the_limit(personas):
    verified = []
    real_check = User.check_password

    def slow_check(user, raw_password):
        verified.append(user.username)
        time.sleep(HASH_SECONDS)
        return real_check(user, raw_password)

    with mock.patch.object(User, "check_password", slow_check):
        statuses = _fire(["af"] * 20)

    assert statuses == [200] * 20
    assert len(verified) <= ACCOUNT_LOGIN_LIMIT.attempts
    failed = AuditEvent.objects.filter(action=LOGIN_FAILED, ip_address=ADDRESS).count()
    blocked = AuditEvent.objects.filter(action="auth.login_blocked").count()
    assert failed == len(verified) == ACCOUNT_LOGIN_LIMIT.attempts
    assert failed + blocked == 20


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_at_many_accounts_stop_at_the_address_limit(personas):
    already = ADDRESS_LOGIN_LIMIT.attempts - 2
    AuditEvent.objects.bulk_create(
        AuditEvent(action=LOGIN_FAILED, ip_address=ADDRESS, data={"username": f"oud{n}"})
        for n in range(already))
    real_set = User.set_password

    def slow_set(user, raw_password):
        # An unknown username still costs one hash (Django's defence against timing).
        time.sleep(HASH_SECONDS)
        return real_set(user, raw_password)

    with mock.patch.object(User, "set_password", slow_set):
        statuses = _fire([f"gok{n}" for n in range(10)])

    assert statuses == [200] * 10
    assert (AuditEvent.objects.filter(action=LOGIN_FAILED, ip_address=ADDRESS).count()
            == ADDRESS_LOGIN_LIMIT.attempts)
