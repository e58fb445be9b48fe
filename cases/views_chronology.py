"""The case chronology (screen and print) and the user's own werkaantekeningen.

Pages here carry dossier content or private notes, so browsers are told not to keep them
(`never_cache`): school computers are shared.
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.services import access_log, audit
from cases import services_worknotes
from cases.chronology import chronology, sources
from cases.errors import DomainError
from cases.forms_chronology import ChronologyFilterForm, authors_of
from cases.forms_worknotes import WorkNoteForm
from cases.models import WorkNote
from meldcode import permissions


def _filtered_chronology(request, case):
    # Every source runs once; the filters work on the result, so the person list offers
    # everyone who appears in the whole chronology, whatever kinds are ticked.
    entries = chronology(case)
    form = ChronologyFilterForm(
        request.GET, kinds=[(source.kind, source.label) for source in sources()],
        authors=authors_of(entries),
    )
    return form, form.apply(entries)


def _anchors(entries) -> set[str]:
    return {entry.anchor for entry in entries if entry.anchor}


@require_GET
@never_cache
def case_chronology(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    access_log(user=request.user, what="case.chronology", case=case)
    form, entries = _filtered_chronology(request, case)
    return render(request, "cases/chronology/chronology.html", {
        "case": case, "form": form, "entries": entries, "anchors": _anchors(entries),
        "query": request.GET.urlencode(),
    })


@require_GET
@never_cache
def case_chronology_print(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    form, entries = _filtered_chronology(request, case)
    author_id = form.selected_author_id()
    access_log(user=request.user, what="case.chronology.print", case=case)
    # A print leaves the system: it is recorded as an export, with what was selected.
    audit("case.chronology.printed", actor=request.user, subject=case, case=case,
          actor_role=",".join(sorted(case.acting_roles)),
          data={"kinds": form.selected_kinds(), "author": author_id,
                "entries": len(entries)})
    labels = dict(form.fields["soort"].choices)
    person_label = dict(form.fields["persoon"].choices)[str(author_id)] if author_id else ""
    return render(request, "cases/chronology/print.html", {
        "case": case, "form": form, "entries": entries, "anchors": _anchors(entries),
        "printed_at": timezone.now(),
        "filtered": form.is_filtered(),
        "kind_labels": [labels[kind] for kind in form.selected_kinds()],
        "person_label": person_label,
        "query": request.GET.urlencode(),
    })


# --- Werkaantekeningen -------------------------------------------------------------------


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
    # No access-log entry: the page shows the user's own notes, not dossier content.
    case = permissions.get_case_for_user(request.user, case_id, "view")
    return _render_notes(request, case)


@require_POST
def worknote_add(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
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
