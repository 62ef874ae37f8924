"""The official report format as data: sections, tables, merges and arithmetic rules."""

from .gb2021 import FORMAT_NAME, SECTIONS, SUPERSEDED_2019, SUPERSEDED_2019_SINGLE_ROW, TABLES, section
from .shapes import Balance, CellForm, CellKey, Layout, LayoutCell, SectionForm, TableForm, Total, normalize_label

__all__ = [
    "FORMAT_NAME", "SECTIONS", "SUPERSEDED_2019", "SUPERSEDED_2019_SINGLE_ROW", "TABLES", "section",
    "Balance", "CellForm", "CellKey", "Layout", "LayoutCell", "SectionForm", "TableForm", "Total", "normalize_label",
]
