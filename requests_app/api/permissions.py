"""DRF permission classes over requests_app/permissions.py: the same rules as the pages.

Every API view keeps ``IsAuthenticated`` (the API is exempt from the site's
LoginRequiredMiddleware so tokens work). Querysets are narrowed with
``visible_*`` / ``campaign_q`` / ``request_q`` so an object the user may not see
is a 404; these classes then check the role an action needs on what they can see:

    class FigureViewSet(...):
        permission_classes = [IsAuthenticated, ObjectRole]
        action_roles = {"approve": Role.RESEARCHER, "publish": Role.COORDINATOR}

Reads need ``viewer``, writes ``researcher`` unless ``action_roles`` says otherwise.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from requests_app import permissions as rules
from requests_app.models import Role

__all__ = ["CanCreateCampaign", "IsAuthenticated", "ObjectRole", "needed_role"]


def needed_role(request, view) -> str:
    """The role the view's current action needs: ``view.action_roles``, else by method."""
    roles = getattr(view, "action_roles", {}) or {}
    action = getattr(view, "action", None)
    if action in roles:
        return roles[action]
    return Role.VIEWER if request.method in SAFE_METHODS else Role.RESEARCHER


class ObjectRole(BasePermission):
    """The user's role on the object (campaign, request, or anything leading to one) suffices."""

    message = "Your role does not allow this here."

    def has_object_permission(self, request, view, obj) -> bool:
        needed = needed_role(request, view)
        allowed = rules.has_role(rules.role_for_object(request.user, obj), needed)
        if not allowed:
            self.message = f"Your role does not allow this here: it needs {needed}."
        return allowed


class CanCreateCampaign(BasePermission):
    """Creating a campaign needs the researcher role in some team."""

    message = "Creating a campaign needs the researcher role in a team."

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        return rules.can_create_campaign(request.user)
