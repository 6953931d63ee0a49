"""The administrators' register of queue services (#24) as the settings dialog and the
command line see it: a service point's services, named in three languages, counted as a
service area, served at the area's own desks or at a partner organisation's.

`service_area` is a ServiceArea value (app/rules/codes.py); the views label it with
LABELS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfferedServiceRow:
    id: str
    service_point_id: str
    point_name: str
    code: str  # the stable key tickets and desk duties name: never changes
    name_fi: str
    name_sv: str
    name_en: str
    name: str  # in the user's language (Finnish when that name is empty)
    service_area: str  # ServiceArea value: how its visits are counted
    partner_org_id: str | None  # None: served at the area's own desks
    partner_name: str | None
    position: int
    active: bool


@dataclass(frozen=True)
class OfferedServiceInput:
    """The queue service form as typed. An edit never changes `code` or the point."""

    service_point_id: str = ""
    code: str = ""
    name_fi: str = ""
    name_sv: str = ""
    name_en: str = ""
    service_area: str = ""
    partner_org_id: str | None = None
    active: bool = True
