"""Matrix rows for the login steps and a person's own sessions and recovery codes."""

from meldcode.models import UserSession
from tests.matrix.rows import Row, everyone


def _someone_elses_session(p):
    return {"session": UserSession.objects.create(user=p.af, session_key="x" * 32)}


ROWS = [
    # A verified session has nothing left to verify; without a pending login: to the login.
    Row("two_factor_verify", everyone(302)),
    Row("two_factor_enrol", everyone(302)),
    Row("reauth", everyone(200)),
    Row("account_security", everyone(200)),
    Row("recovery_codes_renew", everyone(200), method="post", recent_auth=True),
    Row("recovery_codes_renew", everyone(302), method="post",
        label="POST recovery_codes_renew (not confirmed)"),
    # Someone else's session (here the AF's) "does not exist" for everyone else.
    Row("session_end", everyone(302), method="post",
        kwargs=lambda p: {"session_id": p.extra["session"].pk}, setup=_someone_elses_session),
]
