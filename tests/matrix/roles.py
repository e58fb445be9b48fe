"""Matrix rows for confirming roles: only the directie and the bestuur confirm anything.

A directie reaches the roles of its own school (404 elsewhere); the bestuur those of its
board, where the service then says whose turn it is (a message, no change).
"""

from meldcode.models import Membership, Role
from tests.factories import member
from tests.matrix.rows import Row, everyone

CONFIRMERS_ONLY = everyone(403, directie=200, bestuur=200)


def _waiting(school_of):
    def setup(p):
        newcomer = member(Role.LEERKRACHT, school_of(p), confirmed=False)
        return {"membership": Membership.objects.get(user=newcomer)}
    return setup


def _rows(name):
    return [
        Row(name, everyone(403, directie=302, bestuur=302), method="post",
            kwargs=lambda p: {"membership_id": p.extra["membership"].pk},
            setup=_waiting(lambda p: p.school), label=f"POST {name} (own school)"),
        Row(name, everyone(403, directie=404, bestuur=302), method="post",
            kwargs=lambda p: {"membership_id": p.extra["membership"].pk},
            setup=_waiting(lambda p: p.other_school),
            label=f"POST {name} (school without directie)"),
    ]


ROWS = [
    Row("role_confirmation_list", CONFIRMERS_ONLY),
    *_rows("role_confirm"),
    *_rows("role_refuse"),
]
