"""SQLAlchemy models and database setup for Vinh Danh. Knows nothing of Flask."""

import models.search_terms  # noqa: F401  (the public list's word table and its events)
from models.audit import (
    GENESIS_HASH,
    AuditCheckpoint,
    AuditEvent,
    AuditHead,
    AuditRequired,
    AuditTreeNode,
    append_only_ddl,
)
from models.awards import AwardRecord, AwardRule, AwardType, BaseSalary, HigherReferral, Hold
from models.base import Base
from models.campaigns import Campaign, CampaignAward, CampaignUnit, ReportFigure, Target
from models.certificates import CertificateLayout
from models.clock import utcnow
from models.council import (
    Ballot,
    BallotCard,
    BallotKey,
    BallotList,
    BallotVoter,
    CouncilAgendaClaim,
    CouncilAttendance,
    CouncilConflict,
    CouncilItem,
    CouncilMembership,
    CouncilSession,
)
from models.db import (
    database_url,
    instance_dir,
    make_engine,
    make_read_sessionmaker,
    make_sessionmaker,
    only_read,
)
from models.decisions import Decision, DecisionItem, Revocation
from models.dossiers import (
    Attachment,
    Dossier,
    Nomination,
    Plan,
    Proposal,
    Report,
    ReturnPoint,
    ReturnRequest,
)
from models.notice import NoticeComment
from models.notifications import Notification, OutboxEmail, ReminderSent
from models.org import PasswordResetToken, RoleGrant, Unit, User
from models.people import (
    Collective,
    Discipline,
    Evaluation,
    Initiative,
    Issuer,
    Membership,
    Person,
)
from models.practices import Practice
from models.settings import Setting, get_setting, set_setting

__all__ = [
    "AwardRecord",
    "AwardRule",
    "BaseSalary",
    "CertificateLayout",
    "HigherReferral",
    "Hold",
    "Ballot",
    "BallotCard",
    "BallotKey",
    "BallotList",
    "BallotVoter",
    "CouncilConflict",
    "Decision",
    "DecisionItem",
    "Revocation",
    "GENESIS_HASH",
    "AuditEvent",
    "AuditCheckpoint",
    "AuditHead",
    "AuditTreeNode",
    "AuditRequired",
    "append_only_ddl",
    "Base",
    "utcnow",
    "AwardType",
    "Campaign",
    "CouncilAgendaClaim",
    "CouncilAttendance",
    "CouncilItem",
    "CouncilMembership",
    "CouncilSession",
    "database_url",
    "instance_dir",
    "make_engine",
    "make_read_sessionmaker",
    "make_sessionmaker",
    "only_read",
    "Attachment",
    "Dossier",
    "Nomination",
    "Plan",
    "Proposal",
    "Report",
    "ReturnPoint",
    "ReturnRequest",
    "RoleGrant",
    "Unit",
    "User",
    "PasswordResetToken",
    "Setting",
    "get_setting",
    "set_setting",
    "CampaignAward",
    "CampaignUnit",
    "Practice",
    "ReportFigure",
    "Target",
    "Notification",
    "OutboxEmail",
    "ReminderSent",
    "NoticeComment",
    "Collective",
    "Discipline",
    "Evaluation",
    "Initiative",
    "Issuer",
    "Membership",
    "Person",
]
