"""The official report format as data: sections, tables, merges and arithmetic rules."""

from .gb2021 import CARRY_OVER, FORMAT_NAME, SECTIONS, STOCK_FLOWS, SUPERSEDED_2019, SUPERSEDED_2019_SINGLE_ROW, TABLES, section
from .shapes import Balance, CarryOver, CellForm, CellKey, Layout, LayoutCell, SectionForm, TableForm, Total, normalize_label

__all__ = [
    "CARRY_OVER", "FORMAT_NAME", "STOCK_FLOWS", "CarryOver", "SECTIONS", "SUPERSEDED_2019", "SUPERSEDED_2019_SINGLE_ROW", "TABLES", "section",
    "Balance", "CellForm", "CellKey", "Layout", "LayoutCell", "SectionForm", "TableForm", "Total", "normalize_label",
]
