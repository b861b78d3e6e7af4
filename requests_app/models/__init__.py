"""Forces, campaigns, requests, their events and the closure-day calendar."""

from .calendar import ClosureDay
from .campaigns import Campaign
from .events import RequestEvent
from .forces import Force
from .outbox import OutboundMessage
from .requests import FoiRequest

__all__ = ["Campaign", "ClosureDay", "FoiRequest", "Force", "OutboundMessage", "RequestEvent"]
