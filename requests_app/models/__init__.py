"""Forces, campaigns, requests, their events and the closure-day calendar."""

from .calendar import ClosureDay
from .campaigns import Campaign
from .events import RequestEvent
from .feeds import CalendarFeed
from .forces import Force
from .outbox import OutboundMessage
from .requests import FoiRequest
from .retention import PurgeRecord
from .send_runs import SendRun
from .teams import Membership, Role, Team

__all__ = [
    "CalendarFeed",
    "Campaign",
    "ClosureDay",
    "FoiRequest",
    "Force",
    "Membership",
    "OutboundMessage",
    "PurgeRecord",
    "RequestEvent",
    "Role",
    "SendRun",
    "Team",
]
