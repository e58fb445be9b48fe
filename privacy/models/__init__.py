"""Models of the right of access (AVG art. 15); import them from `privacy.models`."""

from privacy.models.requests import (  # noqa: F401
    WORKNOTES_KIND,
    WORKNOTES_PK,
    AccessRequest,
    ParentResponse,
    WithheldItem,
)
