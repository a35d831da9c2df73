"""Medical-review metadata: reviewer, review dates, audience, and the overdue check."""

from .model import Review, evaluate
from .plugin import register

__all__ = ["Review", "evaluate", "register"]
