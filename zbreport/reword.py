"""An edited paragraph turned back into the model's inline nodes, keeping what still applies.

A paragraph as built is a row of pieces: text, placeholder values, line breaks, and the marks
around them (bold, links, code …). The editor's text is aligned with the built text character
by character (difflib), and each character of the edited text is traced back to the piece it
came from, or found to be typed. What survived keeps what it was: a placeholder whose value is
still there, unchanged, stays a placeholder (also where the editor moved it); text that was bold
stays bold; typed text takes the marks of the text it replaced, or those both its neighbours
share. A figure the editor changed inside a placeholder's value is not taken as typed: the
placeholder stays, and the change is reported, since the figure comes from the project's data.

Three texts are involved: the pieces' own text (`flat`), the text the Word writer printed for
them (`built`, read back from the .docx, so the writer may add or leave out text, such as a list
number or a footnote, without this module knowing how), and the edited text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Hashable, Union

from .records import field, record, replace
from .model import Code, Container, Heading, Image, Inline, LineBreak, Link, Note, Paragraph, Placeholder, Text

SPLIT = "\u2029"  # PARAGRAPH SEPARATOR: where an editor split one paragraph into several
Mark = Union[Container, Code]  # a Code node marks its characters as code, innermost


@record
class Piece:
    """A stretch of a paragraph's text and where it comes from.

    `node` is the leaf it prints (Text, Code, Placeholder, LineBreak, Image, Note); None for
    the boundary between two paragraphs joined for comparison (SPLIT).
    """

    text: str
    node: Inline | None
    marks: tuple[Mark, ...] = ()
    owner: Hashable = None  # which part of the old text it belongs to (a run-in heading, the paragraph)


@record
class FigureEdit:
    """The editor changed a placeholder's value: the placeholder stays, this is reported."""

    placeholder: Placeholder
    old: str
    new: str


@record(frozen=False)
class Atom:
    """One element of the rebuilt paragraph: a character, a node, or a split."""

    kind: str  # "char" | "node" | "split"
    char: str = ""
    node: Inline | None = None
    marks: tuple[Mark, ...] | None = None  # None: typed, marks decided from the neighbours
    owner: Hashable = None


@record(frozen=False)
class Reworded:
    atoms: list[Atom]
    figures: list[FigureEdit] = field(default_factory=list)
    dropped: list[Placeholder] = field(default_factory=list)  # placeholders whose text the editor deleted
    unplaced: list[str] = field(default_factory=list)  # typed into text the writer adds (a list number, a note)

    def parts(self) -> list[list[Atom]]:
        """The atoms of each paragraph, where the editor split one into several."""
        out: list[list[Atom]] = [[]]
        for atom in self.atoms:
            if atom.kind == "split":
                out.append([])
            else:
                out[-1].append(atom)
        return out


# ---------------------------------------------------------------- pieces of the built paragraph


def pieces_of(nodes: tuple[Inline, ...], owner: Hashable = None, marks: tuple[Mark, ...] = ()) -> list[Piece]:
    """The pieces the Word writer prints for these nodes, in order."""
    out: list[Piece] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(Piece(node.text, node, marks, owner))
        elif isinstance(node, Code):
            out.append(Piece(node.text, node, marks + (node,), owner))
        elif isinstance(node, Placeholder):
            out.append(Piece(node.text, node, marks, owner))
        elif isinstance(node, LineBreak):
            out.append(Piece("\n", node, marks, owner))
        elif isinstance(node, Container):  # a link's text is the link: Word holds the address apart
            out += pieces_of(node.children, owner, marks + (node,))
        elif isinstance(node, (Image, Note)):  # a picture, a footnote's number: no text in the line
            out.append(Piece("", node, marks, owner))
    return out


LEAD, BODY = "lead", "body"


def block_pieces(block: Paragraph | Heading, index: int = 0) -> list[Piece]:
    """A heading's or paragraph's pieces; a run-in heading's are owned by (LEAD, index), the rest by (BODY, index).

    A list item's number is Word's numbering, not text, so it is not among them.
    """
    out: list[Piece] = []
    if isinstance(block, Paragraph) and block.lead is not None:
        out += pieces_of(block.lead.content, (LEAD, index))
    return out + pieces_of(block.content, (BODY, index))


# ---------------------------------------------------------------- aligning texts


class CharMap:
    """Character positions of `a` and `b` that hold the same, unchanged character."""

    def __init__(self, a: str, b: str) -> None:
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        self.opcodes = matcher.get_opcodes()
        self.forward: list[int | None] = [None] * len(a)
        self.backward: list[int | None] = [None] * len(b)
        for tag, i1, i2, j1, _ in self.opcodes:
            if tag == "equal":
                for k in range(i2 - i1):
                    self.forward[i1 + k] = j1 + k
                    self.backward[j1 + k] = i1 + k


_WRITER = -1  # an edited character the writer printed, not the pieces: never written back
_FIGURE_CHARS = re.compile(r"[0-9０-９.．%％,+\-]+")


def reword(pieces: list[Piece], built: str, edited: str) -> Reworded:
    """The edited text as atoms traced to the pieces; placeholders kept where their value survived."""
    flat = "".join(p.text for p in pieces)
    to_built = CharMap(flat, built)
    to_edited = CharMap(built, edited)
    piece_at: list[int] = [i for i, p in enumerate(pieces) for _ in p.text]

    def forward(f: int) -> int | None:
        b = to_built.forward[f]
        return to_edited.forward[b] if b is not None else None

    origin: list[int | None] = []
    for k in range(len(edited)):
        b = to_edited.backward[k]
        if b is None:
            origin.append(None)
        else:
            f = to_built.backward[b]
            origin.append(f if f is not None else _WRITER)

    taken = [False] * len(edited)
    placed: dict[int, list[Atom]] = {}
    result = Reworded([])
    starts = _starts(pieces)

    def place(position: int, atom: Atom) -> None:
        placed.setdefault(position, []).append(atom)

    def point(f: int) -> int:
        """Where in the edited text a position between pieces' characters went."""
        for left in range(f - 1, -1, -1):
            k = forward(left)
            if k is not None:
                k += 1
                while k < len(edited) and taken[k] and taken[k - 1]:
                    k += 1  # not inside a placeholder's span
                return k
        for right in range(f, len(flat)):
            k = forward(right)
            if k is not None:
                return k
        return 0 if f == 0 else len(edited)

    lost: list[tuple[int, Piece]] = []
    for i, piece in enumerate(pieces):
        start, end = starts[i], starts[i] + len(piece.text)
        visible = any(to_built.forward[f] is not None for f in range(start, end))
        node_atom = Atom("node", node=piece.node, marks=piece.marks, owner=piece.owner)
        if isinstance(piece.node, Placeholder) and visible:
            span = _value_span(range(start, end), to_built, to_edited, edited)
            mapped = [forward(f) for f in range(start, end)]
            if span is None:
                lost.append((i, piece))
                continue
            lo, hi = span
            while lo < hi and taken[lo]:  # two placeholders rewritten as one stretch of text
                lo += 1
            for k in range(lo, hi):
                taken[k] = True
            place(lo, node_atom)
            if not (all(m is not None for m in mapped) and mapped == list(range(mapped[0], mapped[0] + len(mapped)))):  # type: ignore[operator]
                result.figures.append(FigureEdit(piece.node, piece.text, edited[lo:hi]))
        elif piece.node is not None and not visible and not isinstance(piece.node, (Text, Code)):
            place(point(start), node_atom)  # a picture, a footnote: placed by the text around them

    for i, piece in lost:  # a value moved elsewhere in the paragraph is still the placeholder
        found = _find_value(piece.text, edited, origin, taken)
        if found is None:
            result.dropped.append(piece.node)  # type: ignore[arg-type]
            continue
        for k in range(found, found + len(piece.text)):
            taken[k] = True
        place(found, Atom("node", node=piece.node, marks=piece.marks, owner=piece.owner))

    replaced_marks = _replaced_marks(pieces, piece_at, to_built, to_edited)
    atoms: list[Atom] = []
    for k in range(len(edited) + 1):
        atoms += placed.get(k, [])
        if k == len(edited):
            break
        if taken[k] or origin[k] == _WRITER:
            continue
        f = origin[k]
        char = edited[k]
        if f is None:
            if _inside_writer_text(k, origin, pieces, piece_at):
                # Typed into a list number or a note's text, which the project does not hold here.
                if result.unplaced and k > 0 and origin[k - 1] is None:
                    result.unplaced[-1] += char
                else:
                    result.unplaced.append(char)
                continue
            if char == SPLIT:
                atoms.append(Atom("split"))
            elif char == "\n":
                atoms.append(Atom("node", node=LineBreak(), marks=replaced_marks.get(k)))
            else:
                atoms.append(Atom("char", char, marks=replaced_marks.get(k)))
            continue
        piece = pieces[piece_at[f]]
        if piece.node is None:
            if piece.text == SPLIT:
                atoms.append(Atom("split"))  # two paragraphs that stayed two
            continue  # the writer's own text: a list number, a link's address, a note's text
        if isinstance(piece.node, LineBreak):
            atoms.append(Atom("node", node=piece.node, marks=piece.marks, owner=piece.owner))
        else:
            atoms.append(Atom("char", char, marks=piece.marks, owner=piece.owner))
    _decide_typed_marks(atoms)
    result.atoms = atoms
    return result


def _inside_writer_text(k: int, origin: list[int | None], pieces: list[Piece], piece_at: list[int]) -> bool:
    def owner(step: int):
        j = k + step
        while 0 <= j < len(origin) and origin[j] is None:
            j += step
        if not 0 <= j < len(origin):
            return "edge"
        f = origin[j]
        if f == _WRITER:
            return "writer"
        piece = piece_at[f]  # type: ignore[index]
        return piece if pieces[piece].node is None else "text"

    left, right = owner(-1), owner(1)
    return left == right and left not in ("edge", "text")


def _starts(pieces: list[Piece]) -> list[int]:
    starts, position = [], 0
    for piece in pieces:
        starts.append(position)
        position += len(piece.text)
    return starts


def _value_span(chars: range, to_built: CharMap, to_edited: CharMap, edited: str) -> tuple[int, int] | None:
    """The edited text that stands where a placeholder's value was; None if it was only deleted."""
    built = [b for b in (to_built.forward[f] for f in chars) if b is not None]
    if not built:
        return None
    lo_b, hi_b = min(built), max(built) + 1
    spans: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in to_edited.opcodes:
        if tag == "equal":
            a, b = max(i1, lo_b), min(i2, hi_b)
            if a < b:
                spans.append((j1 + a - i1, j1 + b - i1))
        elif tag == "insert":
            # Typed inside the value, or digits typed against it (245 -> 2450): part of the figure.
            if lo_b < i1 < hi_b or (i1 in (lo_b, hi_b) and _FIGURE_CHARS.fullmatch(edited[j1:j2])):
                spans.append((j1, j2))
        elif i1 < hi_b and i2 > lo_b and j2 > j1:  # replace
            spans.append((j1, j2))
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _find_value(value: str, edited: str, origin: list[int | None], taken: list[bool]) -> int | None:
    """Where typed text repeats a placeholder's value whole (a figure stands alone, not inside a longer one)."""
    if not value:
        return None
    start = 0
    while True:
        at = edited.find(value, start)
        if at < 0:
            return None
        span = range(at, at + len(value))
        typed = all(origin[k] is None and not taken[k] for k in span)
        before = edited[at - 1] if at > 0 else ""
        after = edited[at + len(value)] if at + len(value) < len(edited) else ""
        alone = not (_FIGURE_CHARS.match(value[0]) and before and _FIGURE_CHARS.match(before)) and not (
            _FIGURE_CHARS.match(value[-1]) and after and _FIGURE_CHARS.match(after)
        )
        if typed and alone:
            return at
        start = at + 1


def _replaced_marks(pieces, piece_at, to_built: CharMap, to_edited: CharMap) -> dict[int, tuple[Mark, ...]]:
    """Typed text replacing marked text takes its marks, where all the replaced text had the same."""
    marks: dict[int, tuple[Mark, ...]] = {}
    for tag, i1, i2, j1, j2 in to_edited.opcodes:
        if tag != "replace":
            continue
        old = set()
        for b in range(i1, i2):
            f = to_built.backward[b]
            if f is not None and pieces[piece_at[f]].node is not None:
                old.add(tuple(id(m) for m in pieces[piece_at[f]].marks))
        if len(old) == 1:
            f = next(to_built.backward[b] for b in range(i1, i2) if to_built.backward[b] is not None)
            for k in range(j1, j2):
                marks[k] = pieces[piece_at[f]].marks  # type: ignore[index]
    return marks


def _decide_typed_marks(atoms: list[Atom]) -> None:
    """Typed text between two marked stretches takes the marks both share; at a paragraph's edge,
    those of its one neighbour, except a link or code, which typed text does not extend."""
    for i, atom in enumerate(atoms):
        if atom.marks is not None or atom.kind == "split":
            continue
        left = next((a.marks for a in reversed(atoms[:i]) if a.kind == "split" or a.marks is not None), None)
        right = next((a.marks for a in atoms[i + 1 :] if a.kind == "split" or a.marks is not None), None)
        if left is None and right is None:
            atom.marks = ()
        elif left is None or right is None:
            one = left if left is not None else right
            atom.marks = tuple(m for m in one if not isinstance(m, (Link, Code)))  # type: ignore[union-attr]
        else:
            shared = []
            for a, b in zip(left, right):
                if a is not b:
                    break
                shared.append(a)
            atom.marks = tuple(shared)


# ---------------------------------------------------------------- atoms back to nodes


def nodes_of(atoms: list[Atom]) -> tuple[Inline, ...]:
    """The inline tree the atoms make: marks become containers again, characters become text."""
    root: list = []
    stack: list[tuple[Container, list]] = []
    current = root

    def close() -> None:
        nonlocal current
        container, parent = stack.pop()
        parent.append(replace(container, children=_merged(current)))
        current = parent

    for atom in atoms:
        marks = atom.marks or ()
        containers = [m for m in marks if isinstance(m, Container)]
        shared = 0
        while shared < min(len(stack), len(containers)) and stack[shared][0] is containers[shared]:
            shared += 1
        while len(stack) > shared:
            close()
        for container in containers[shared:]:
            stack.append((container, current))
            current = []
        code = next((m for m in marks if isinstance(m, Code)), None)
        if atom.kind == "char":
            if code is not None:
                current.append(_CodeChar(atom.char, id(code)))
            else:
                current.append(Text(atom.char))
        elif atom.node is not None:
            current.append(atom.node)
    while stack:
        close()
    return _merged(root)


@record
class _CodeChar:
    char: str
    code: int  # which Code node it came from: two spans of code stay two


def _merged(nodes: list) -> tuple[Inline, ...]:
    out: list = []
    last_code = None
    for node in nodes:
        if isinstance(node, _CodeChar):
            if out and isinstance(out[-1], Code) and last_code == node.code:
                out[-1] = Code(out[-1].text + node.char)
            else:
                out.append(Code(node.char))
            last_code = node.code
            continue
        last_code = None
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return tuple(out)
