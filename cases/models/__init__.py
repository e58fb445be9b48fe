"""Models of the leerlingdossier, split by subdomain; import them from `cases.models`."""

from cases.models.cases import (  # noqa: F401
    Case,
    CaseUserObjectPermission,
    Notification,
    Phase,
    Route,
    Student,
)
from cases.models.consent import (  # noqa: F401
    Consent,
    ConsentWithdrawal,
    Institution,
    ThirdPartyDisclosure,
)
from cases.models.documents import DocumentJob  # noqa: F401
from cases.models.families import Carer, ConversationCarer  # noqa: F401
from cases.models.observations import *  # noqa: F401,F403
from cases.models.pupils import (  # noqa: F401
    GroupPlacement,
    ImportMapping,
    PupilImport,
    SchoolGroup,
    Source,
)
from cases.models.tasks import *  # noqa: F401,F403
from cases.models.workflow import *  # noqa: F401,F403
