"""Rules over the model: the official arithmetic, values, and last year's figures, as findings."""

from .rules import check_report, has_errors

__all__ = ["check_report", "has_errors"]
