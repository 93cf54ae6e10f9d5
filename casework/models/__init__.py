"""Database models. Every row belongs to an organization, so one deployment can host several."""

from casework.models import rowids  # noqa: F401  (random ids for a tip's rows)
from casework.models.attachment import Attachment
from casework.models.audit import AuditEntry, AuditHead
from casework.models.case import Case, CaseCounter, CaseEvent, CaseMessage
from casework.models.held import HeldUpload
from casework.models.identity import ReporterIdentity
from casework.models.line import LineChat, LineEvent, LineLink
from casework.models.organization import Category, DeclaredHoliday, Department, Organization
from casework.models.outbox import OutboxMessage
from casework.models.publishing import Open311Key, SummaryReport, SurveyAnswer
from casework.models.rollup import CaseFigure  # kept in step with cases on every flush
from casework.models.staff import AccountChange, StaffSession, User
from casework.models.tipcare import RetaliationKind, RetaliationReport, TipStageDays
from casework.models.tips import (
    ConflictExclusion,
    CustodianKey,
    CustodyCeremony,
    PenaltyKind,
    Referral,
    RevealApproval,
    RevealRequest,
    TipAssignment,
    TipClaim,
    TipClosure,
    TipDetails,
    TipFollowUpCheck,
    TipIdentity,
    TipRecordCorrection,
)

__all__ = [
    "AccountChange",
    "Attachment",
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseFigure",
    "CaseMessage",
    "Category",
    "DeclaredHoliday",
    "HeldUpload",
    "Department",
    "LineChat",
    "LineEvent",
    "LineLink",
    "Organization",
    "PenaltyKind",
    "Open311Key",
    "OutboxMessage",
    "ReporterIdentity",
    "RetaliationKind",
    "RetaliationReport",
    "StaffSession",
    "SummaryReport",
    "SurveyAnswer",
    "User",
    "ConflictExclusion",
    "CustodianKey",
    "CustodyCeremony",
    "Referral",
    "RevealApproval",
    "RevealRequest",
    "TipAssignment",
    "TipClosure",
    "TipClaim",
    "TipDetails",
    "TipFollowUpCheck",
    "TipRecordCorrection",
    "TipIdentity",
    "TipStageDays",
]
