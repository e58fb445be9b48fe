"""Matrix rows for functioneel beheer and the set-password e-mail flow.

Only the beheerder reaches /beheer/; everyone, logged in or not, reaches the password-reset
pages (they are how a person without a password gets one).
"""

from meldcode.models import Membership, Role
from tests.factories import add_role
from tests.matrix.rows import Row, everyone

ONLY_BEHEERDER = everyone(403, beheerder=200)
PUBLIC = everyone(200, anonymous=200)


def _second_role(p):
    """Give the teacher a second role, so removing one is allowed (not their last)."""
    add_role(p.teacher_not_on_case, Role.OKA, school=p.other_school)
    membership = Membership.objects.get(user=p.teacher_not_on_case, role=Role.OKA)
    return {"membership": membership}


ROWS = [
    Row("beheer_user_list", ONLY_BEHEERDER, query="q=leerkracht&rol=leerkracht"),
    Row("beheer_user_create", ONLY_BEHEERDER, recent_auth=True),
    # Without a fresh password + code the beheerder is sent to confirm first.
    Row("beheer_user_create", everyone(403, beheerder=302),
        label="GET beheer_user_create (not confirmed)"),
    Row("beheer_user_create", everyone(403, beheerder=302), method="post", recent_auth=True,
        data=lambda p: {
            "first_name": "Sanne", "last_name": "Bakker", "username": "sanne.bakker",
            "email": "sanne@school.example",
            "rollen-TOTAL_FORMS": "1", "rollen-INITIAL_FORMS": "0",
            "rollen-MIN_NUM_FORMS": "1", "rollen-MAX_NUM_FORMS": "10",
            "rollen-0-role": Role.LEERKRACHT, "rollen-0-place": f"school:{p.school.pk}",
        },
        label="POST beheer_user_create"),
    Row("beheer_user_edit", ONLY_BEHEERDER, kwargs=lambda p: {"user_id": p.teacher_on_case.uuid}),
    Row("beheer_user_edit", everyone(403, beheerder=302), method="post",
        kwargs=lambda p: {"user_id": p.teacher_on_case.uuid},
        data=lambda p: {"first_name": "Fatima", "last_name": "el Amrani",
                        "email": p.teacher_on_case.email, "is_active": "on"},
        label="POST beheer_user_edit"),
    Row("beheer_user_invite", everyone(403, beheerder=302), method="post",
        kwargs=lambda p: {"user_id": p.teacher_on_case.uuid}),
    Row("beheer_membership_add", everyone(403, beheerder=302), method="post", recent_auth=True,
        kwargs=lambda p: {"user_id": p.teacher_not_on_case.uuid},
        data=lambda p: {"role": Role.OKA, "place": f"school:{p.school.pk}"}),
    Row("beheer_membership_remove", everyone(403, beheerder=302), method="post",
        recent_auth=True,
        kwargs=lambda p: {"user_id": p.teacher_not_on_case.uuid,
                          "membership_id": p.extra["membership"].pk},
        setup=_second_role),
    Row("beheer_user_two_factor_reset", everyone(403, beheerder=302), method="post",
        recent_auth=True, kwargs=lambda p: {"user_id": p.teacher_on_case.uuid}),
    Row("beheer_user_two_factor_reset", everyone(403, beheerder=302), method="post",
        kwargs=lambda p: {"user_id": p.teacher_on_case.uuid},
        label="POST beheer_user_two_factor_reset (not confirmed)"),
    Row("beheer_school_list", ONLY_BEHEERDER),
    Row("beheer_school_create", ONLY_BEHEERDER),
    Row("beheer_school_create", everyone(403, beheerder=302), method="post",
        data=lambda p: {"name": "De Vlinder", "brin": "12AB", "vt_phone": "0800-2000",
                        "police_phone": "0900-8844"},
        label="POST beheer_school_create"),
    Row("beheer_school_edit", ONLY_BEHEERDER, kwargs=lambda p: {"school_id": p.school.pk}),
    Row("beheer_school_edit", everyone(403, beheerder=302), method="post",
        kwargs=lambda p: {"school_id": p.school.pk},
        data=lambda p: {"name": "De Regenboog", "vt_region": "Veilig Thuis Utrecht",
                        "vt_phone": "0800-2000", "police_phone": "0900-8844"},
        label="POST beheer_school_edit"),
    Row("password_reset", PUBLIC),
    Row("password_reset_done", PUBLIC),
    # An invalid link renders the "link werkt niet" page; a valid one is tested separately.
    Row("password_reset_confirm", PUBLIC,
        kwargs=lambda p: {"uidb64": "MQ", "token": "ongeldig-token"}),
    Row("password_reset_complete", PUBLIC),
]
