"""The user's own werkaantekeningen on a case: private notes, never part of the dossier.

Pages here carry private notes, so browsers are told not to keep them (`never_cache`):
school computers are shared.
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from cases.errors import DomainError
from cases.forms.worknotes import WorkNoteForm
from cases.models import WorkNote
from cases.services import worknotes as services_worknotes

# Saving a note sets both times; only a later change counts as an edit.
EDIT_GRACE = timedelta(seconds=1)


def _own_note(request, case, note_id) -> WorkNote:
    # Someone else's note is indistinguishable from a note that does not exist.
    return get_object_or_404(WorkNote, pk=note_id, case=case, author=request.user)


def _render_notes(request, case, *, form=None, editing=None, edit_form=None):
    notes = list(WorkNote.objects.filter(case=case, author=request.user).order_by("-created_at"))
    for note in notes:
        note.was_edited = note.updated_at - note.created_at > EDIT_GRACE
        if editing is not None and note.pk == editing.pk:
            note.form = edit_form
        else:
            note.form = WorkNoteForm(initial={"text": note.text}, auto_id=f"id_%s_{note.pk}")
    return render(request, "cases/worknotes/worknote_list.html", {
        "case": case, "notes": notes, "form": form or WorkNoteForm(),
        "editing": editing,
    })


@require_GET
@never_cache
def worknote_list(request, case_id):
    # The notes are the user's own, but the page shows whose case it is.
    case = permissions.get_case_for_user(request.user, case_id, "view")
    access_log(user=request.user, what="worknote.list", case=case)
    return _render_notes(request, case)


@require_POST
def worknote_add(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    access_log(user=request.user, what="worknote.add", kind=AccessKind.CREATE, case=case)
    form = WorkNoteForm(request.POST)
    if form.is_valid():
        try:
            services_worknotes.work_note_add(author=request.user, case=case,
                                             text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, _("Uw werkaantekening is bewaard."))
            return redirect("worknote_list", case_id=case.pk)
    return _render_notes(request, case, form=form)


@require_POST
def worknote_update(request, case_id, note_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    note = _own_note(request, case, note_id)
    form = WorkNoteForm(request.POST, auto_id=f"id_%s_{note.pk}")
    if form.is_valid():
        try:
            services_worknotes.work_note_update(author=request.user, note=note,
                                                text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, _("Uw werkaantekening is gewijzigd."))
            return redirect("worknote_list", case_id=case.pk)
    return _render_notes(request, case, editing=note, edit_form=form)


@require_POST
def worknote_delete(request, case_id, note_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    note = _own_note(request, case, note_id)
    try:
        services_worknotes.work_note_delete(author=request.user, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uw werkaantekening is verwijderd."))
    return redirect("worknote_list", case_id=case.pk)
