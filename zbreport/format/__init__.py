"""The official report format as data: sections, tables, merges and arithmetic rules.

A `Format` is a value: the command line picks one (`GB2021` today) and passes it down; no
reader, check or writer imports a particular revision.
"""

from .gb2021 import GB2021
from .shapes import (
    Balance,
    CarryOver,
    CellForm,
    CellKey,
    Format,
    Layout,
    LayoutCell,
    NarrativeFigure,
    SectionForm,
    StockFlow,
    TableForm,
    Total,
    normalize_label,
)

__all__ = [
    "GB2021", "Balance", "CarryOver", "CellForm", "CellKey", "Format", "Layout", "LayoutCell",
    "NarrativeFigure", "SectionForm", "StockFlow", "TableForm", "Total", "normalize_label",
]
