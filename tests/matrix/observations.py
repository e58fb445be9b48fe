"""Matrix rows for observations (step 1): the form, autosave, the observation page,
follow-ups and attachments."""

from django.core.files.base import ContentFile

from cases.models import Attachment, Observation
from cases.services.cases import case_open
from tests.factories import submitted_observation
from tests.matrix.rows import Row, everyone
from tests.observation_data import observation_post

# Outside the case team nothing exists (404); the OKA of the fixture is not on the team.
OUTSIDE = {
    "teacher_not_on_case": 404, "oka": 404, "beheerder": 404, "bestuur": 404,
    "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}
# A draft is its author's alone: for the rest of the team it does not exist either.
AUTHOR_ONLY = {**OUTSIDE, "af": 404, "directie": 404}


def _draft(p):
    return {"draft": Observation.objects.create(case=p.case, author=p.teacher_on_case,
                                                place="Klas", situation="Concept")}


def _submitted(p):
    observation = submitted_observation(p.case, statements=[("hypothese", "Thuis onrustig")],
                                        place="Klas", situation="Vastgelegd")
    return {"observation": observation}


def _attachment(observation, user):
    attachment = Attachment(observation=observation, original_name="verslag.pdf",
                            content_type="application/pdf", size=9, sha256="0" * 64,
                            uploaded_by=user)
    attachment.file.save("upload", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def _submitted_attachment(p):
    draft = Observation.objects.create(case=p.case, author=p.teacher_on_case, place="Klas",
                                       situation="Met bijlage")
    attachment = _attachment(draft, p.teacher_on_case)
    Observation.objects.filter(pk=draft.pk).update(status=Observation.Status.SUBMITTED)
    return {"attachment": attachment}


def _draft_attachment(p):
    extra = _draft(p)
    extra["attachment"] = _attachment(extra["draft"], p.teacher_on_case)
    return extra


def _contributor(p):
    """The teacher not on the team reported a concern: write-only on this case."""
    case_open(actor=p.teacher_not_on_case, student=p.case.student)
    return {}


def _contributor_and_submitted(p):
    return {**_contributor(p), **_submitted(p)}


def _contributor_draft_attachment(p):
    """The write-only contributor attached a file to their own draft observation."""
    _contributor(p)
    draft = Observation.objects.create(case=p.case, author=p.teacher_not_on_case,
                                       place="Gang", situation="Tweede zorg")
    return {"attachment": _attachment(draft, p.teacher_not_on_case)}


def _contributor_and_submitted_attachment(p):
    return {**_contributor(p), **_submitted_attachment(p)}


# Write-only: the contributor may add observations but reads nothing (403, not 404: they
# were sent to the case, so its existence is no secret to them).
CONTRIBUTOR_WRITES = {**OUTSIDE, "teacher_not_on_case": 200}
CONTRIBUTOR_READS = {**OUTSIDE, "teacher_not_on_case": 403}

ROWS = [
    Row("observation_new", everyone(200, **CONTRIBUTOR_WRITES), setup=_contributor,
        kwargs=lambda p: {"case_id": p.case.pk},
        label="GET observation_new (write-only contributor)"),
    Row("observation_autosave", everyone(200, **CONTRIBUTOR_WRITES), setup=_contributor,
        method="post", kwargs=lambda p: {"case_id": p.case.pk},
        data=lambda p: observation_post(),
        label="POST observation_autosave (write-only contributor)"),
    Row("observation_detail", everyone(200, **CONTRIBUTOR_READS),
        setup=_contributor_and_submitted,
        kwargs=lambda p: {"case_id": p.case.pk,
                          "observation_id": p.extra["observation"].pk},
        label="GET observation_detail (write-only contributor reads nothing)"),
    Row("case_detail", everyone(200, **CONTRIBUTOR_READS), setup=_contributor,
        kwargs=lambda p: {"case_id": p.case.pk},
        label="GET case_detail (write-only contributor reads nothing)"),
    Row("case_chronology", everyone(200, **CONTRIBUTOR_READS), setup=_contributor,
        kwargs=lambda p: {"case_id": p.case.pk},
        label="GET case_chronology (write-only contributor reads nothing)"),
    # C-20: the file of their own draft comes back to them, nothing else of the case.
    Row("attachment_download", everyone(404, anonymous=302, teacher_not_on_case=200),
        setup=_contributor_draft_attachment,
        kwargs=lambda p: {"case_id": p.case.pk, "attachment_id": p.extra["attachment"].pk},
        label="GET attachment_download (write-only contributor, own draft)"),
    Row("attachment_download", everyone(200, **CONTRIBUTOR_READS),
        setup=_contributor_and_submitted_attachment,
        kwargs=lambda p: {"case_id": p.case.pk, "attachment_id": p.extra["attachment"].pk},
        label="GET attachment_download (write-only contributor, the case's files)"),
    Row("attachment_download", everyone(200, **AUTHOR_ONLY),
        setup=lambda p: {**_contributor(p), **_draft_attachment(p)},
        kwargs=lambda p: {"case_id": p.case.pk, "attachment_id": p.extra["attachment"].pk},
        label="GET attachment_download (write-only contributor, another's draft)"),
    Row("observation_new", everyone(200, **OUTSIDE),
        kwargs=lambda p: {"case_id": p.case.pk}),
    Row("observation_new", everyone(302, **OUTSIDE), method="post",
        kwargs=lambda p: {"case_id": p.case.pk}, data=lambda p: observation_post(),
        label="POST observation_new (concept)"),
    Row("observation_autosave", everyone(200, **OUTSIDE), method="post",
        kwargs=lambda p: {"case_id": p.case.pk}, data=lambda p: observation_post()),
    Row("observation_edit", everyone(200, **AUTHOR_ONLY), setup=_draft,
        kwargs=lambda p: {"case_id": p.case.pk, "observation_id": p.extra["draft"].pk}),
    Row("observation_edit", everyone(302, **AUTHOR_ONLY), setup=_draft, method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "observation_id": p.extra["draft"].pk},
        data=lambda p: observation_post(), label="POST observation_edit (concept)"),
    Row("observation_detail", everyone(200, **OUTSIDE), setup=_submitted,
        kwargs=lambda p: {"case_id": p.case.pk,
                          "observation_id": p.extra["observation"].pk}),
    Row("observation_detail", everyone(302, **AUTHOR_ONLY), setup=_draft,
        kwargs=lambda p: {"case_id": p.case.pk, "observation_id": p.extra["draft"].pk},
        label="GET observation_detail (draft: the author goes to the form)"),
    Row("observation_follow_up_add", everyone(302, **OUTSIDE), setup=_submitted,
        method="post",
        kwargs=lambda p: {"case_id": p.case.pk,
                          "observation_id": p.extra["observation"].pk},
        data=lambda p: {"kind": "correctie", "text": "Aanvulling"}),
    Row("attachment_download", everyone(200, **OUTSIDE), setup=_submitted_attachment,
        kwargs=lambda p: {"case_id": p.case.pk, "attachment_id": p.extra["attachment"].pk}),
    Row("attachment_download", everyone(200, **AUTHOR_ONLY), setup=_draft_attachment,
        kwargs=lambda p: {"case_id": p.case.pk, "attachment_id": p.extra["attachment"].pk},
        label="GET attachment_download (draft)"),
    Row("observation_draft_delete", everyone(302, **AUTHOR_ONLY), setup=_draft, method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "observation_id": p.extra["draft"].pk}),
    Row("attachment_remove", everyone(302, **AUTHOR_ONLY), setup=_draft_attachment,
        method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "attachment_id": p.extra["attachment"].pk}),
]
