"""Matrix rows for the inspection app: giving access, the inspecteur's pages (404 for
everyone outside a current grant), the figures and the yearly evaluation."""

from datetime import timedelta

from django.utils import timezone

from inspection.selectors.cases import case_code
from inspection.services.grants import inspection_grant_create
from meldcode.workdays import school_year_of
from tests.matrix.rows import Row, everyone


def _grant(p):
    today = timezone.localdate()
    grant = inspection_grant_create(
        actor=p.bestuur, board=p.school.board, inspector=p.inspecteur, schools=[p.school],
        purpose="Onderzoek naar de meldcode", valid_from=today,
        valid_until=today + timedelta(days=14), period_start=today - timedelta(days=90),
        period_end=today)
    return {"grant": grant}


def _g(p):
    return {"grant_id": p.extra["grant"].pk}


def _gs(p):
    return {**_g(p), "school_id": p.school.pk}


def _year(p):
    return {"school_id": p.school.pk, "year": school_year_of(timezone.localdate())}


def _new_grant(p):
    today = timezone.localdate()
    return {"inspecteur": p.inspecteur.pk, "scholen": [p.school.pk], "doel": "Onderzoek",
            "toegang_van": today.isoformat(),
            "toegang_tot": (today + timedelta(days=7)).isoformat(),
            "periode_van": (today - timedelta(days=90)).isoformat(),
            "periode_tot": today.isoformat()}


GRANTERS = everyone(403, bestuur=200, beheerder=200)
GRANTERS_POST = everyone(403, bestuur=302, beheerder=302)
# Only the inspecteur of the grant, and only while it is current; everyone else: 404.
INSPECTOR = everyone(404, inspecteur=200)
# An export first asks for the password and code again.
INSPECTOR_REAUTH = everyone(404, inspecteur=302)
FIGURES = everyone(403, directie=200, bestuur=200)

ROWS = [
    Row("inspection_grant_list", GRANTERS),
    Row("inspection_grant_list", GRANTERS_POST, method="post", data=_new_grant),
    Row("inspection_grant_end", GRANTERS_POST, method="post", kwargs=_g, setup=_grant),
    Row("inspection_grant_home", INSPECTOR, kwargs=_g, setup=_grant),
    Row("inspection_school", INSPECTOR, kwargs=_gs, setup=_grant),
    Row("inspection_case", INSPECTOR, setup=_grant,
        kwargs=lambda p: {**_gs(p), "code": case_code(p.case.pk)}),
    Row("inspection_case", everyone(404), setup=_grant,
        kwargs=lambda p: {**_gs(p), "code": "K-00000-00000"},
        label="GET inspection_case (unknown code)"),
    Row("inspection_trail", INSPECTOR, kwargs=_g, setup=_grant),
    Row("inspection_trail", INSPECTOR, kwargs=_g, setup=_grant,
        query="rol=aandachtsfunctionaris&van=2030-01-01&tot=2020-01-01&na=garbage",
        label="GET inspection_trail (filtered, bad input)"),
    Row("inspection_trail_export", INSPECTOR, kwargs=_g, setup=_grant, recent_auth=True),
    Row("inspection_trail_export", INSPECTOR, kwargs=_g, setup=_grant, recent_auth=True,
        query="formaat=pdf&rol=directie", label="GET inspection_trail_export (pdf)"),
    Row("inspection_trail_export", INSPECTOR_REAUTH, kwargs=_g, setup=_grant,
        label="GET inspection_trail_export (no recent confirmation)"),
    Row("inspection_school_export", INSPECTOR, kwargs=_gs, setup=_grant, recent_auth=True),
    Row("inspection_school_export", INSPECTOR, kwargs=_gs, setup=_grant, recent_auth=True,
        query="formaat=pdf", label="GET inspection_school_export (pdf)"),
    Row("inspection_school_export", INSPECTOR_REAUTH, kwargs=_gs, setup=_grant,
        label="GET inspection_school_export (no recent confirmation)"),
    Row("inspection_figures", INSPECTOR, kwargs=_g, setup=_grant),
    Row("inspection_figures", INSPECTOR, kwargs=_g, setup=_grant, recent_auth=True,
        query="formaat=csv", label="GET inspection_figures (csv)"),
    Row("figures", FIGURES),
    Row("figures", FIGURES, query="scope=onzin&schooljaar=abc", label="GET figures (bad input)"),
    Row("figures_export", FIGURES),
    Row("evaluation_edit", everyone(403, directie=200), kwargs=_year),
    Row("evaluation_edit", everyone(403, directie=302), kwargs=_year, method="post",
        data=lambda p: {"evaluatie": "Goed verlopen.", "acties": "Scholing."}),
    Row("evaluation_pdf", FIGURES, kwargs=_year),
]
