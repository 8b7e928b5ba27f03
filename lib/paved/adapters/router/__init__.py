"""A router (load balancer) whose server weights and states change at run time."""

from paved.adapters.router.interface import MAX_WEIGHT, AdminState, Router, ServerSlot

__all__ = ["MAX_WEIGHT", "AdminState", "Router", "ServerSlot"]
