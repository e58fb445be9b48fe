from inspection.models.evaluations import SchoolYearEvaluation
from inspection.models.grants import InspectionGrant

__all__ = ["InspectionGrant", "SchoolYearEvaluation"]
