"""Who did something: a signed-in person, or nobody (a command, a task, an anonymous visitor).

Services take ``user=None`` from commands and tasks and a request's user from
pages and the API; rows record the person only when there is one.
"""


def is_signed_in(user) -> bool:
    """True for a signed-in person; False for None, AnonymousUser or anything else."""
    return bool(getattr(user, "is_authenticated", False))


def acting_user(user):
    """``user`` when it is a signed-in person, else None: what ``created_by`` and the like store."""
    return user if is_signed_in(user) else None
