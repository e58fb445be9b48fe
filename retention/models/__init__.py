from retention.models.destruction import DestructionItem, HoldReason, LegalHold, RecordClass
from retention.models.policies import RetentionPolicy

__all__ = ["DestructionItem", "HoldReason", "LegalHold", "RecordClass", "RetentionPolicy"]
