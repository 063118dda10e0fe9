"""ragboard's store: the only code that touches the SQLite file. Imports no UI library."""
from store.errors import (ConflictError, CorruptFileError, InUseError, NewerSchemaError, NotFoundError,
                          NotRagboardError, ReadOnlyError, StoreError, UnusableFileError, ValidationError)
from store.records import (Change, Hit, Milestone, Portfolio, Programme, ProgrammeSummary, Project,
                           ProjectSummary, Risk, Saving, UndoResult)
from store.store import Store, open_store
from store.validate import (MILESTONE_STATUSES, RAGS, RISK_STATUSES, SAVING_BANDS, SAVING_KINDS, STAGES,
                            financial_year_of)

__all__ = [
    "Change", "ConflictError", "CorruptFileError", "Hit", "InUseError", "MILESTONE_STATUSES", "Milestone",
    "NewerSchemaError", "NotFoundError", "NotRagboardError", "Portfolio", "Programme", "ProgrammeSummary",
    "Project", "ProjectSummary", "RAGS", "RISK_STATUSES", "ReadOnlyError", "Risk", "SAVING_BANDS",
    "SAVING_KINDS", "STAGES", "Saving", "Store", "StoreError", "UndoResult", "UnusableFileError",
    "ValidationError", "financial_year_of", "open_store",
]
