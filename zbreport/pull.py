"""Editors' changes written back into the project the report was built from.

A changed paragraph is rewritten at its lines in its Markdown file (or in report.yaml's 导语),
from the edited text traced back to the paragraph's nodes (reword.py): placeholders whose value
the editor left alone stay placeholders, marks that still cover text stay. A paragraph split in
two becomes two paragraphs, two joined become one, an added one is inserted after the paragraph
it follows, a removed one is removed. A retyped table figure replaces the value in the table's
YAML where it stands. What cannot be written back is said, with the reason: a figure changed
inside a placeholder's value (the tables are its source), a computed total, the official titles
and table headers, the template's own text, code.

The result is a plan: each file's new text, and what was not written. Writing is the caller's.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .records import field, record
from .compare import Comparison, Origin, ParagraphChange
from .diagnostics import Location
from .document import Document, OfficialTable
from .figures import FigureError, Scope, fill
from .model import (
    CodeBlock,
    Container,
    Heading,
    Image,
    Inline,
    LineBreak,
    Note,
    Paragraph,
    Placeholder,
    Report,
    inline_text,
    plain_inlines,
)
from .read.markdown import parse_markdown
from .reword import BODY, LEAD, SPLIT, Atom, FigureEdit, Piece, block_pieces, nodes_of, pieces_of, reword
from .words import INTRO, ISSUER, SECTION_TITLE, SECTIONS, TITLE, YEAR
from .write.changes import where
from .write.markdown import inline_markdown
from .write.sources import MarkdownText, SourceFile, YamlText, _Block, yaml_block, yaml_string


@record
class NotWritten:
    """An editor's change pull does not write, and why."""

    where: str
    message: str


@record(frozen=False)
class FileChange:
    source: SourceFile
    text: str
    what: list[str]

    @property
    def data(self) -> bytes:
        return self.source.encoded(self.text)


@record(frozen=False)
class Plan:
    files: list[FileChange] = field(default_factory=list)
    not_written: list[NotWritten] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # written, but worth knowing (a placeholder's text deleted)


def plan_pull(report: Report, document: Document, comparison: Comparison, scope: Scope) -> Plan:
    planner = _Planner(report, document, scope)
    for change in comparison.paragraphs:
        planner.paragraph(change)
    for cell in comparison.cells:
        planner.cell(cell)
    return planner.finish()


class _Container:
    """A Markdown text pull edits: a section file, or report.yaml's 导语."""

    def __init__(self, markdown: MarkdownText, path: Path, label: str) -> None:
        self.markdown = markdown
        self.path = path
        self.label = label
        self.what: list[str] = []


class _Planner:
    def __init__(self, report: Report, document: Document, scope: Scope) -> None:
        self.report = report
        self.document = document
        self.scope = scope
        self.plan = Plan()
        self.sources: dict[Path, SourceFile] = {}
        self.markdowns: dict[Path, _Container] = {}
        self.yamls: dict[Path, tuple[YamlText, list[str]]] = {}
        self.intro: _Container | None = None
        self.grid_edits: dict[tuple[_Container, int], dict[int, str]] = {}  # a Markdown table row's new cells
        self.intro_written = report.meta.intro is not None

    # ------------------------------------------------------------ files

    def source(self, path: Path) -> SourceFile:
        if path not in self.sources:
            self.sources[path] = SourceFile.read(path)
        return self.sources[path]

    def yaml(self, path: Path) -> tuple[YamlText, list[str]]:
        if path not in self.yamls:
            self.yamls[path] = (YamlText(self.source(path).text, path), [])
        return self.yamls[path]

    def report_yaml(self) -> Path:
        from .read.project import REPORT_FILE

        return self.report.project_dir / REPORT_FILE

    def container(self, origin: Origin | None) -> _Container | None:
        """Where a paragraph of this origin is written: its section file, or the 导语."""
        if origin is None:
            return None
        if origin.part in ("intro", "title"):
            return self.intro_container()
        if origin.part == "section-title" and origin.section is not None:
            path = origin.section.source
        elif origin.part == "narrative" and origin.location is not None:
            path = origin.location.path
        else:
            return None
        if path is None:
            return None
        if path not in self.markdowns:
            source = self.source(path)
            self.markdowns[path] = _Container(MarkdownText(source.text, 1, source.newline), path, _relative(path))
        return self.markdowns[path]

    def intro_container(self) -> _Container:
        if self.intro is None:
            path = self.report_yaml()
            yaml_text, _ = self.yaml(path)
            if self.intro_written and INTRO in yaml_text.keys:
                key, node = yaml_text.keys[INTRO]
                block = node.style in ("|", ">")
                first_line = node.start_mark.line + 1 + (1 if block else 0)
                text = str(node.value).strip()
            else:  # the generated one, as Markdown with its placeholders, a paragraph every other line
                text = "\n\n".join(inline_markdown(getattr(b, "content", ())) for b in self.document.intro)
                first_line = 1
            self.intro = _Container(MarkdownText(text, first_line, "\n"), path, f"{_relative(path)} 的{INTRO}")
        return self.intro

    def line_of(self, origin: Origin, at: Location | None = None) -> int | None:
        """The line a paragraph starts at, or `at`'s (a change's place in a run-in heading's paragraph)."""
        if at is not None and at.line:
            return at.line
        if origin.location is not None and origin.location.line:
            return origin.location.line
        if origin.part == "intro" and not self.intro_written:
            index = next((i for i, b in enumerate(self.document.intro) if b is origin.block), None)
            return None if index is None else 1 + 2 * index
        return None

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, change: ParagraphChange) -> None:
        origin = change.origin
        shown = where(origin, change.location)
        reason = _not_writable(change, origin)
        if reason:
            self.plan.not_written.append(NotWritten(shown, reason))
            return
        if origin is not None and origin.part == "title" and change.kind == "changed":
            self.title(change, shown)
            return
        if origin is not None and origin.part == "section-title" and change.kind == "changed":
            self.section_title(change, shown)
            return
        container = self.container(origin)
        if container is None:
            self.plan.not_written.append(NotWritten(shown, "找不到这段文字在项目中的位置，请手动修改"))
            return
        if change.kind == "added":
            self.added(change, container, shown)
            return
        slots = [self.slot(container, u.origin) for u in change.olds]
        if any(s is None for s in slots) or any(self.container(u.origin) is not container for u in change.olds):
            self.plan.not_written.append(NotWritten(shown, f"在 {container.label} 中找不到这一段（文件在生成报告后改动过？），请手动修改"))
            return
        if change.kind == "removed":
            for slot in slots:
                container.markdown.remove_block(slot[0], slot[1])  # type: ignore[index]
            container.what.append(f"第 {self.line_of(change.olds[0].origin)} 行：删除段落")  # type: ignore[arg-type]
            return
        self.rewritten(change, container, slots, shown)  # type: ignore[arg-type]

    def slot(self, container: _Container, origin: Origin | None) -> tuple[_Block, _Block | None] | None:
        """The block a paragraph is written at, and a run-in heading's paragraph."""
        if origin is None or not isinstance(origin.block, (Heading, Paragraph)):
            return None
        line = self.line_of(origin)
        block = container.markdown.block_at(line) if line else None
        if block is None:
            return None
        if isinstance(origin.block, Paragraph) and origin.block.lead is not None:
            content = container.markdown.following(block)
            if block.kind != "heading" or content is None or content.kind != "paragraph":
                return None
            return block, content
        wanted = "heading" if isinstance(origin.block, Heading) else "paragraph"
        return (block, None) if block.kind == wanted else None

    def rewritten(self, change: ParagraphChange, container: _Container, slots: list[tuple[_Block, _Block | None]], shown: str) -> None:
        pieces: list[Piece] = []
        for i, unit in enumerate(change.olds):
            if i:
                pieces.append(Piece(SPLIT, None, (), (BODY, i)))
            pieces += block_pieces(unit.origin.block, i)  # type: ignore[union-attr,arg-type]
        result = reword(pieces, change.old, change.new)
        for edit in result.figures:
            self.plan.not_written.append(NotWritten(shown, _figure_message(edit)))
        for typed in result.unplaced:
            self.plan.not_written.append(
                NotWritten(shown, f"“{typed}”写在列表编号、链接地址或脚注里，不会写回；请在 Markdown 中修改")
            )
        for placeholder in result.dropped:
            self.plan.notes.append(f"{shown}：编辑删去了 {placeholder.source}（{placeholder.text}）所在的文字，写回后不再引用它")
        parts = result.parts()
        markdown = container.markdown
        line = self.line_of(change.olds[0].origin, change.location)  # type: ignore[arg-type]
        for i, (unit, slot) in enumerate(zip(change.olds, slots)):
            if i >= len(parts):
                markdown.remove_block(slot[0], slot[1])
                continue
            self.write_part(markdown, unit.origin, slot, parts[i], shown)  # type: ignore[arg-type]
        last_block, last_origin = (slots[-1][1] or slots[-1][0]), change.olds[-1].origin
        for part in reversed(parts[len(slots) :]):
            text = self.written(part, shown)
            markdown.insert_after(last_block, text, inside=bool(last_origin and last_origin.quoted))
        action = {"changed": "改写段落", "split": f"改写段落（拆分为 {len(parts)} 段）", "merged": f"把 {len(slots)} 段合并为一段"}[change.kind]
        container.what.append(f"第 {line} 行：{action}")

    def write_part(self, markdown: MarkdownText, origin: Origin, slot: tuple[_Block, _Block | None], atoms: list[Atom], shown: str) -> None:
        block, content = slot
        if isinstance(origin.block, Heading):
            heading = [a for a in atoms if not isinstance(a.node, LineBreak)]
            markdown.replace_block(block, self.written(heading, shown, heading=True))
            return
        if content is None:
            markdown.replace_block(block, self.written(atoms, shown))
            return
        last_lead = max((i for i, a in enumerate(atoms) if isinstance(a.owner, tuple) and a.owner[0] == LEAD), default=-1)
        lead = [a for a in atoms[: last_lead + 1] if not isinstance(a.node, LineBreak)]
        body = atoms[last_lead + 1 :]
        if lead:
            markdown.replace_block(block, self.written(lead, shown, heading=True))
        else:
            markdown.remove_block(block)
        if body:
            markdown.replace_block(content, self.written(body, shown))
        else:
            markdown.remove_block(content)

    def added(self, change: ParagraphChange, container: _Container, shown: str) -> None:
        """New paragraphs after the one they follow: text as typed, a heading where the editor used a heading style."""
        anchor = change.after
        texts = []
        for paragraph in change.news:
            level = _heading_level(paragraph.style)
            text = inline_markdown(plain_inlines(paragraph.text.strip()))
            texts.append(("#" * level + " " + text) if level else text)
        markdown = container.markdown
        origin = anchor.origin if anchor is not None else None
        block = origin.block if origin is not None else None
        if origin is None or origin.part == "title":
            index = markdown.top() if container is not self.intro else 0
            for text in texts:
                markdown.insert_at(index, text)
            container.what.append("开头：新增段落")
            return
        if origin.part == "section-title":
            table = _has_default_table(origin)
            index = markdown.top()
            marker = table and markdown.after_table_marker() is None
            for text in texts:
                markdown.insert_at(index, text + ("\n\n<!-- 表格 -->" if marker and text is texts[-1] else ""))
            container.what.append("开头：新增段落" + ("（并在其后写上 <!-- 表格 -->，使统计表仍在其后）" if marker else ""))
            return
        if isinstance(block, OfficialTable):
            index = markdown.after_table_marker()
            for text in texts:
                markdown.insert_at(index if index is not None else markdown.top(), text)
            container.what.append("统计表之后：新增段落")
            return
        slot = self.slot(container, origin)
        if slot is None:
            self.plan.not_written.append(NotWritten(f"{where(origin, change.location)} 之后", "新增的段落找不到写入的位置，请手动添加：" + change.new))
            return
        for paragraph, text in reversed(list(zip(change.news, texts))):
            # Enter at the end of a list item in Word makes another item of the list.
            if not (_LIST_STYLE.fullmatch(paragraph.style.strip()) and markdown.insert_item_after(slot[0], text)):
                markdown.insert_after(slot[1] or slot[0], text)
        container.what.append(f"第 {self.line_of(origin, change.location)} 行之后：新增段落")

    def title(self, change: ParagraphChange, shown: str) -> None:
        """A title line: a line of report.yaml's 标题 where it has one, else 机关全称 over the generated title."""
        meta = self.report.meta
        line = int(change.olds[0].origin.block or 0)  # type: ignore[union-attr]
        new = change.new.replace(SPLIT, "").strip()
        yaml_text, what = self.yaml(self.report_yaml())
        if meta.written_title:
            lines = list(meta.title_lines)
            found = yaml_text.keys.get(TITLE)
            if found is None or not new or line >= len(lines):
                self.plan.not_written.append(NotWritten(shown, f"无法写回标题，请手动修改 report.yaml 的“{TITLE}”"))
                return
            lines[line] = new
            value = yaml_block("\n".join(lines), found[0].start_mark.column + 2) if len(lines) > 1 else yaml_string(new)
            yaml_text.replace(found[1], value)
            what.append(f"第 {found[1].start_mark.line + 1} 行：{TITLE}第 {line + 1} 行改为“{new}”")
            return
        if line != 0:
            self.plan.not_written.append(
                NotWritten(shown, f"这一行由“{YEAR}”生成，不会写回；如要用本机关自己的标题，请在 report.yaml 中写“{TITLE}”")
            )
            return
        found = yaml_text.keys.get(ISSUER)
        if found is None or not new:
            self.plan.not_written.append(NotWritten(shown, f"无法写回{ISSUER}，请手动修改 report.yaml"))
            return
        yaml_text.replace(found[1], yaml_string(new))
        what.append(f"第 {found[1].start_mark.line + 1} 行：{ISSUER}改为“{new}”")

    def section_title(self, change: ParagraphChange, shown: str) -> None:
        """A section's own title (report.yaml's 章节) is written there; an official one is not."""
        sections = self.document.sections
        section = change.olds[0].origin.section  # type: ignore[union-attr]
        index = next((i for i, s in enumerate(sections) if s is section), None)
        yaml_text, what = self.yaml(self.report_yaml())
        found = yaml_text.keys.get(SECTIONS)
        items = found[1].value if found is not None and isinstance(found[1], yaml.SequenceNode) else []
        if not self.report.meta.sections or index is None or index >= len(items):
            self.plan.not_written.append(
                NotWritten(shown, f"这是官方格式的章节标题，不会写回；如要用自己的章节标题，请在 report.yaml 中写“{SECTIONS}”")
            )
            return
        title = next((v for k, v in items[index].value if isinstance(k, yaml.ScalarNode) and k.value == SECTION_TITLE), None)
        new = change.new.replace(SPLIT, "").strip()
        if title is None or not new:
            self.plan.not_written.append(NotWritten(shown, f"无法写回章节标题，请手动修改 report.yaml 的“{SECTIONS}”"))
            return
        yaml_text.replace(title, yaml_string(new))
        what.append(f"第 {title.start_mark.line + 1} 行：{SECTIONS}第 {index + 1} 项的{SECTION_TITLE}改为“{new}”")

    def written(self, atoms: list[Atom], shown: str, heading: bool = False) -> str:
        markdown = markdown_for(atoms, self.scope, heading)
        if markdown is not None:
            return markdown
        markdown = inline_markdown(nodes_of(atoms))
        self.plan.notes.append(f"{shown}：写回的 Markdown 读出来可能与编辑稿不完全相同，请核对：{markdown}")
        return markdown

    # ------------------------------------------------------------ table cells

    def cell(self, cell) -> None:
        name = f"表{cell.table} {cell.row} · {cell.column}" if cell.table else f"Markdown 表格 {cell.row}{cell.column}"
        shown = f"{name}（{cell.old} → {cell.new}）"
        if cell.table is None:
            self.grid_cell(cell, shown)
            return
        if cell.computed:
            self.plan.not_written.append(NotWritten(shown, "合计由 zbreport 计算，不写回：请修改它的组成项"))
            return
        form = self.report.format.tables[cell.table].cell(cell.key)
        value = _table_value(cell.new, form.kind == "amount", form.allows_not_applicable)
        if isinstance(value, NotWritten):
            self.plan.not_written.append(NotWritten(shown, value.message))
            return
        if cell.location is None:
            self.plan.not_written.append(NotWritten(shown, "表格文件中没有这个单元格，请手动填写"))
            return
        if getattr(cell.location, "cell", None) or cell.location.path.suffix.lower() not in (".yaml", ".yml"):
            where_ = _relative_location(cell.location)
            self.plan.not_written.append(NotWritten(shown, f"这张表填在 Excel 工作簿中（{where_}），请在那里改为 {value}"))
            return
        yaml_text, what = self.yaml(cell.location.path)
        node = yaml_text.scalar_at(cell.location)
        if node is None:
            self.plan.not_written.append(NotWritten(shown, f"在 {_relative_location(cell.location)} 找不到这个数字，请手动修改"))
            return
        yaml_text.replace(node, value)
        what.append(f"第 {cell.location.line} 行：{cell.row} · {cell.column} {cell.old} → {value}")

    def grid_cell(self, cell, shown: str) -> None:
        """A cell of a Markdown table: reworded like a paragraph, written into its row."""
        grid, location = cell.grid, cell.location
        container = self.container(Origin("narrative", location)) if location is not None else None
        row, column = (int(k) for k in cell.key)
        index = container.markdown.table_row(location.line, row) if container is not None else None
        if grid is None or container is None or index is None:
            self.plan.not_written.append(NotWritten(_relative_location(location), f"{shown}：找不到这个 Markdown 表格，请手动修改"))
            return
        cells = grid.header if row == 0 else (grid.rows[row - 1] if row - 1 < len(grid.rows) else ())
        nodes = cells[column] if column < len(cells) else ()
        result = reword(pieces_of(nodes), cell.old, cell.new)
        for edit in result.figures:
            self.plan.not_written.append(NotWritten(shown, _figure_message(edit)))
        atoms = [a for a in result.atoms if a.kind != "split" and not isinstance(a.node, LineBreak)]
        self.grid_edits.setdefault((container, index), {})[column] = self.written(atoms, shown)
        container.what.append(f"第 {index + 1} 行：表格 {cell.row}{cell.column} {cell.old} → {cell.new}")

    # ------------------------------------------------------------ the plan

    def finish(self) -> Plan:
        for (container, index), cells in self.grid_edits.items():
            if not container.markdown.replace_cells(index, cells):
                self.plan.not_written.append(NotWritten(f"{container.label}:{index + 1}", "表格这一行的格式无法识别，请手动修改"))
        if self.intro is not None and self.intro.markdown.changed:
            self.write_intro()
        for path, container in self.markdowns.items():
            if container.markdown.changed:
                self.add(path, container.markdown.result(), container.what)
        for path, (yaml_text, what) in self.yamls.items():
            if yaml_text.changed:
                self.add(path, yaml_text.result(), what)
        return self.plan

    def write_intro(self) -> None:
        assert self.intro is not None
        text = self.intro.markdown.result().strip("\n")
        yaml_text, what = self.yaml(self.report_yaml())
        if self.intro_written and INTRO in yaml_text.keys:
            key, node = yaml_text.keys[INTRO]
            yaml_text.replace(node, yaml_block(text, key.start_mark.column + 2))
            what += [f"{INTRO}：{w}" for w in self.intro.what]
        else:
            yaml_text.append(f"{INTRO}: " + yaml_block(text, 2))
            what.append(f"新增“{INTRO}”：导语被编辑过，写成 Markdown（其中的数字和名称仍是占位符）")

    def add(self, path: Path, text: str, what: list[str]) -> None:
        source = self.source(path)
        if text != source.text:
            self.plan.files.append(FileChange(source, text, what))


# ---------------------------------------------------------------- helpers


def markdown_for(atoms: list[Atom], scope: Scope, heading: bool = False) -> str | None:
    """The Markdown for a reworded paragraph (or heading) that reads back as its text: with ** and *,
    or where those would not be read as marks, with <strong> and <em>. None if neither does."""
    nodes = nodes_of(atoms)
    wanted = _squeezed(_plain(atoms))
    notes = "".join(f"\n\n[^{a.node.label}]: …" for a in atoms if isinstance(a.node, Note))
    for html in (False, True):
        markdown = inline_markdown(nodes, html)
        # A footnote reference reads as one with its note; a heading as a heading.
        blocks = parse_markdown(("# " if heading else "") + markdown + notes, findings=[])
        if len(blocks) != 1 or not isinstance(blocks[0], (Heading, Paragraph)):
            continue
        content = blocks[0].content
        if _squeezed(_filled_text(content, scope)) == wanted and inline_markdown(content, html) == markdown:
            return markdown
    return None


def _not_writable(change: ParagraphChange, origin: Origin | None) -> str:
    if origin is None:
        return "找不到这段文字在项目中的位置，请手动修改"
    if change.kind == "added":
        return "新增的段落在模板的内容中，不会写回；请在模板文件中修改" if origin.part == "template" else ""
    parts = {u.origin.part if u.origin else None for u in change.olds}
    if "template" in parts:
        return "模板中的文字不在项目中，不会写回；请在模板文件中修改"
    if "section-title" in parts and (change.kind != "changed" or origin.part != "section-title"):
        return "章节标题只能改写，不能拆分、合并或删除；请手动修改"
    if origin.part == "title" and change.kind != "changed":
        return "标题只能改写，不能拆分、合并或删除；请手动修改 report.yaml"
    if len(parts) > 1:
        return "这处改动跨越了两个部分，请手动修改"
    for unit in change.olds:
        block = unit.origin.block if unit.origin else None
        if isinstance(block, CodeBlock):
            return "代码块的改动不会自动写回，请手动修改"
        if not isinstance(block, (Heading, Paragraph)) and unit.origin and unit.origin.part not in ("title", "section-title"):
            return "这种内容的改动不会自动写回，请手动修改"
        if isinstance(block, Heading) and change.kind == "merged":
            return "标题与段落合并了，请手动修改"
    return ""


def _figure_message(edit: FigureEdit) -> str:
    source = "统计表（tables/）" if "表" in edit.placeholder.source else "report.yaml"
    return (
        f"{edit.placeholder.source} 的值“{edit.old}”被改为“{edit.new}”：这个数字由{source}计算，"
        f"没有按编辑稿写成固定的文字，仍保留占位符；如需改动，请修改{source}"
    )


def _has_default_table(origin: Origin) -> bool:
    section = origin.section
    return section is not None and any(isinstance(b, OfficialTable) for b in section.blocks)


_LIST_STYLE = re.compile(r"(?i)list\s*paragraph|列出段落|列表段落")


def _heading_level(style: str) -> int:
    match = re.fullmatch(r"(?i)heading\s*([1-4])|标题\s*([1-4])", style.strip())
    if not match:
        return 0
    return int(match.group(1) or match.group(2))


def _plain(atoms: list[Atom]) -> str:
    out = []
    for atom in atoms:
        if atom.kind == "char":
            out.append(atom.char)
        elif isinstance(atom.node, Placeholder):
            out.append(atom.node.text)
        elif isinstance(atom.node, LineBreak):
            out.append("\n")
    return "".join(out)


def _filled_text(nodes: tuple[Inline, ...], scope: Scope) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Placeholder):
            try:
                out.append(fill(node.source, scope))
            except FigureError:
                out.append(node.source)
        elif isinstance(node, Container):
            out.append(_filled_text(node.children, scope))
        elif isinstance(node, (Image, Note)):
            continue
        else:
            out.append(inline_text((node,)))
    return "".join(out)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


def _table_value(text: str, decimal: bool, slash: bool) -> str | NotWritten:
    """The figure to write for what the editor typed in a cell, or why it is not written."""
    value = text.strip().translate(_FULL_WIDTH).replace(",", "").replace("，", "")
    if value == "/":
        return value if slash else NotWritten("", "这一格不能填“/”，没有写入")
    if re.fullmatch(r"\d+", value):
        return str(int(value))
    if re.fullmatch(r"\d+\.\d+", value):
        return value if decimal else NotWritten("", f"件数应为整数，“{text.strip()}”没有写入")
    if not value:
        return NotWritten("", "编辑清空了这一格，没有写入（没有的填 0）")
    return NotWritten("", f"“{text.strip()}”不是数字，没有写入")


def _relative(path: Path) -> str:
    from .write.findings import relative

    return relative(Location(path))


def _relative_location(location: Location | None) -> str:
    from .write.findings import relative

    return relative(location) if location else ""
