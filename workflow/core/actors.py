"""Who acts: roles, and an actor with their grants (role, unit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from models import User


class Role(str, Enum):
    """Who acts. Unit roles are scoped to one unit."""

    UNIT_STAFF = "unit_staff"
    UNIT_HEAD = "unit_head"
    OFFICE_REVIEWER = "office_reviewer"
    COUNCIL_SECRETARY = "council_secretary"
    COUNCIL_MEMBER = "council_member"
    ADMIN = "admin"


UNIT_SCOPED_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})

ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.UNIT_STAFF: ("Cán bộ thi đua đơn vị", "Unit emulation officer"),
    Role.UNIT_HEAD: ("Thủ trưởng đơn vị", "Head of unit"),
    Role.OFFICE_REVIEWER: ("Chuyên viên Văn phòng Sở", "Department Office reviewer"),
    Role.COUNCIL_SECRETARY: ("Thư ký Hội đồng TĐKT ngành", "Council secretary"),
    Role.COUNCIL_MEMBER: ("Thành viên Hội đồng", "Council member"),
    Role.ADMIN: ("Quản trị", "Administrator"),
}


# Department-level roles see every dossier a unit has sent to the Department.
DEPARTMENT_ROLES = frozenset(
    {Role.OFFICE_REVIEWER, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.ADMIN}
)


@dataclass(frozen=True)
class Actor:
    """A person acting, with their grants as (role, unit id or None) pairs."""

    user_id: int
    grants: frozenset[tuple[Role, int | None]]
    name: str = ""

    @classmethod
    def from_user(cls, user: User) -> Actor:
        """Build the actor of a loaded ``User``."""
        return cls(
            user.id, frozenset((Role(g.role), g.unit_id) for g in user.grants), user.full_name
        )

    # The grants never change, and a list asks these of every row: each worked out once.
    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(role for role, _ in self.grants)

    def has(self, role: Role, unit_id: int | None = None) -> bool:
        """True when the actor holds ``role`` (in ``unit_id`` for unit roles)."""
        if role in UNIT_SCOPED_ROLES:
            return (role, unit_id) in self.grants
        return any(r == role for r, _ in self.grants)

    def unit_ids(self, roles: Iterable[Role] = UNIT_SCOPED_ROLES) -> frozenset[int]:
        """Units in which the actor holds one of ``roles``."""
        if roles is UNIT_SCOPED_ROLES:
            return self._member_units
        return self._units_of(roles)

    @cached_property
    def _member_units(self) -> frozenset[int]:
        return self._units_of(UNIT_SCOPED_ROLES)

    def _units_of(self, roles: Iterable[Role]) -> frozenset[int]:
        wanted = set(roles)
        return frozenset(u for r, u in self.grants if r in wanted and u is not None)

    @property
    def is_department(self) -> bool:
        return bool(self.roles & DEPARTMENT_ROLES)
