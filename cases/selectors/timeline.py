"""Which field-level histories belong on a case's timeline (audit/selectors/timeline.py).

Registered at ready(): the case itself, its team grants, and the pupil and carers it is
about."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.selectors.timeline import register_history
from cases.models import Carer, Case, CaseUserObjectPermission, Student

register_history("casus", _("Wijzigingen in de casus"), Case,
                 lambda case_id, student_id: Q(id=case_id),
                 field_labels={"phase": _("de fase"), "route": _("de route"),
                               "coordinator": _("de coördinator"),
                               "closed_at": _("de sluitingsdatum")},
                 skip={"phase_changed_at", "opened_at"})
register_history("team", _("Wijzigingen in het casusteam"), CaseUserObjectPermission,
                 lambda case_id, student_id: Q(content_object_id=case_id),
                 skip={"granted_at"})
register_history("leerling", _("Wijzigingen in de leerlinggegevens"), Student,
                 lambda case_id, student_id: Q(id=student_id))
register_history("verzorgers", _("Wijzigingen bij ouders en verzorgers"), Carer,
                 lambda case_id, student_id: Q(student_id=student_id))
