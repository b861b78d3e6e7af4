"""Recompute open requests' deadlines when an administrator changes a calendar."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ClosureDay
from .services.state import refresh_regime


@receiver([post_save, post_delete], sender=ClosureDay)
def calendar_changed(sender, instance: ClosureDay, **kwargs) -> None:
    regime = instance.regime
    transaction.on_commit(lambda: refresh_regime(regime))
