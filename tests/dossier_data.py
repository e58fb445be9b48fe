"""A case with one record of every kind the dossier knows, each with its own text, for the
tests of the printed dossier, the record pages and the chronology."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.models import (
    AbuseClassification,
    ActionPlanItem,
    AcuteReport,
    Attachment,
    CaseReopening,
    Consent,
    ConsentWithdrawal,
    ConversationExemption,
    DepartureDuty,
    Evaluation,
    InjuryMark,
    MeldplichtRecord,
    NazorgOffer,
    Phase,
    Statement,
    StudentDeparture,
    ThirdPartyDisclosure,
)
from decisions.models import Answer, HelpPlan, HelpResult, HelpTask, ObservationPeriod
from privacy.models import AccessRequest, ParentResponse
from tests.factories import (
    CarerFactory,
    FollowUpFactory,
    ObservationFactory,
    WorkNoteFactory,
    freeze,
    walk_to,
)

WORK_NOTE = "Geheime werkaantekening over de vader"


def full_dossier(personas):
    """The personas' case walked to monitoring after a melding, plus every other kind of
    record written directly. Returns the case."""
    case, af, teacher = personas.case, personas.af, personas.teacher_on_case
    observation = ObservationFactory(
        case=case, author=teacher, status="concept", submitted_at=None,
        situation="Noah vertelde in de kring over de ruzie thuis.",
        origin="verteld_door_ander", source_name="Buurvrouw Klaasen", source_role="buurvrouw",
        observed_at=timezone.now() - timedelta(days=30))
    Statement.objects.create(observation=observation, kind="feit", position=0,
                             text="Noah had een blauwe plek op de arm.")
    Statement.objects.create(observation=observation, kind="hypothese", position=1,
                             text="Misschien is hij thuis geslagen.")
    InjuryMark.objects.create(observation=observation, side="voor", region="linkerarm",
                              kind="blauwe_plek", description="Blauwe plek zo groot als een munt")
    Attachment.objects.create(observation=observation, file="attachments/x/foto",
                              original_name="foto_arm_noah.jpg", content_type="image/jpeg",
                              size=100, sha256="0" * 64, uploaded_by=teacher)
    freeze(observation)
    FollowUpFactory(observation=observation, text="Aanvulling: de plek was groen geworden.")
    WorkNoteFactory(case=case, author=teacher, text=WORK_NOTE)
    walk_to(case, Phase.MONITOREN, actor=af)
    now = timezone.now()
    today = timezone.localdate()
    common = {"case": case, "recorded_by": af}
    AbuseClassification.objects.create(**common, phase=Phase.CONSULTATIE,
                                       forms=["fysieke_mishandeling"], specific_forms=[],
                                       note="Toelichting bij de vorm van mishandeling.")
    ConversationExemption.objects.create(**common, reason="veiligheid_kind",
                                         explanation="Vader dreigde de school.")
    ActionPlanItem.objects.create(**common, description="Gesprek met de jeugdarts plannen",
                                  owner=af, due_on=today)
    AcuteReport.objects.create(**common, phase_before=Phase.GESPREK, called_at=now,
                               called_by=af, vt_contact="Dhr. Bakker",
                               reason="Noah durfde niet naar huis.", police_called=True,
                               police_reference="POL-4711")
    MeldplichtRecord.objects.create(**common, phase_before=Phase.GESPREK,
                                    reason="Een stagiair zou over de grens zijn gegaan.")
    Evaluation.objects.create(**common, held_on=today, participants="AF en ouders",
                              outcome="De hulp loopt goed.",
                              monitoring_agreements="Elke maand kort contact.")
    NazorgOffer.objects.create(**common, offered_to="Juf Anna", offered_on=today)
    CaseReopening.objects.create(**common, reason="Opnieuw blauwe plekken gezien.")
    StudentDeparture.objects.create(**common, left_on=today, new_school="De Vlinder")
    DepartureDuty.objects.create(**common, duty="overdracht", done_on=today,
                                 notes="Warme overdracht aan de IB'er.")
    answers = list(Answer.objects.filter(weighing__case=case).order_by("answered_at"))
    plan = HelpPlan.objects.create(
        case=case, answer=answers[0], help_description="Opvoedondersteuning door het wijkteam",
        provided_by="Wijkteam Noord", casemanager=af, termijn=today + timedelta(days=60),
        expected_results="Rust in huis.", accepted=True,
        parents_informed="Ouders zijn uitgenodigd door de directie.", recorded_by=af)
    HelpTask.objects.create(plan=plan, who="OKA", task="Huisbezoek afleggen")
    HelpResult.objects.create(plan=plan, answer=answers[-1], reached=False,
                              monitoring_agreements="Geen verbetering gezien.", recorded_by=af)
    ObservationPeriod.objects.create(case=case, observer=teacher, what="Gedrag in de gymles",
                                     until=today + timedelta(days=14), recorded_by=af)
    consent = Consent.objects.create(
        case=case, carer=CarerFactory(student=case.student, name="Fatima el Amrani"),
        given_on=today, institution="jeugdarts", purpose="Overleg over de groei",
        how="Mondeling in het gesprek", recorded_by=af)
    ConsentWithdrawal.objects.create(consent=consent, withdrawn_on=today,
                                     note="Moeder wil eerst zelf bellen", recorded_by=af)
    ThirdPartyDisclosure.objects.create(case=case, recipient="veilig_thuis",
                                        document="Kopie van het gespreksverslag",
                                        sent_on=today, basis="veilig_thuis", recorded_by=af)
    inzage = AccessRequest.objects.create(
        case=case, requester="leerling", relation="leerling", identity_checked="Bekend",
        received_on=today, pupil_age=12, position="leerling_12_16", due_on=today,
        status="verstrekt", recorded_by=af)
    ParentResponse.objects.create(request=inzage, kind="verklaring",
                                  text="Wij herkennen ons niet in het verslag.", recorded_by=af)
    return case
