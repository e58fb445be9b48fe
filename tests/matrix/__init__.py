"""The permission matrix: every URL × every persona → expected status.

Each area of the product contributes its rows in its own module; ALL_ROWS gathers them.
"""

from tests.matrix import (
    account,
    beheer,
    catalog,
    chronology,
    consent,
    core,
    decisions,
    documents,
    inspection,
    observations,
    privacy,
    pupils,
    retention,
    roles,
    workflow,
)
from tests.matrix import audit as audit_rows
from tests.matrix import tasks as tasks_rows
from tests.matrix.rows import PERSONAS, Row

ALL_ROWS: list[Row] = [
    *core.ROWS,
    *account.ROWS,
    *beheer.ROWS,
    *roles.ROWS,
    *catalog.ROWS,
    *observations.ROWS,
    *workflow.ROWS,
    *chronology.ROWS,
    *tasks_rows.ROWS,
    *pupils.ROWS,
    *audit_rows.ROWS,
    *decisions.ROWS,
    *inspection.ROWS,
    *retention.ROWS,
    *consent.ROWS,
    *privacy.ROWS,
    *documents.ROWS,
]

__all__ = ["ALL_ROWS", "PERSONAS", "Row"]
