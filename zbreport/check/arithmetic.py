"""The arithmetic of a table (R1, R3, R4, R5) as equations over the values it gives, and which cell is off.

Every total a file types is an equation with its parts; every balance (R1) is one too. A value
is taken as given: typed where typed, else computed from its parts (a 2019 single row standing
for the rows it covers). Each equation that can be computed is checked, whatever else is wrong
with the table; one that cannot (a value is missing) is recorded in `Coverage`, so the finding
about the missing value also says which checks it held up.

When two or more equations are off and all of them run through one cell, by the same amount
that would set them all right, that cell is named in one finding, instead of one finding per
equation blaming totals that are right.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..records import field, record, replace
from ..diagnostics import Finding, Location, Severity
from ..format import Balance, CellKey, Total
from ..model import Number, TableData, format_number



@record
class Given:
    """A value as the table gives it, with the typed values it is made of and what it lacks."""

    value: Number | None
    terms: Counter = field(default_factory=Counter)  # typed values it sums: term → how many times
    roots: frozenset[CellKey] = frozenset()  # input cells without a number that keep it unknown


class Valuation:
    """Values of one table as given, each with its terms (for telling which cell is off)."""

    def __init__(self, table: TableData) -> None:
        self.table = table
        self.typed = {k: e.number for k, e in table.entries.items() if e.state == "number" and e.number is not None}
        self.decompositions: dict[CellKey, list[Total]] = {}
        for total in table.form.totals:
            self.decompositions.setdefault(total.cell, []).append(total)
        self.memo: dict[CellKey, Given] = {}

    def of(self, key: CellKey) -> Given:
        if key not in self.memo:
            self.memo[key] = Given(None, Counter(), frozenset({key}))  # guards a cycle while computing
            self.memo[key] = self._of(key)
        return self.memo[key]

    def _of(self, key: CellKey) -> Given:
        if key in self.typed:
            return Given(self.typed[key], Counter({key: 1}))
        first: Given | None = None
        for total in self.decompositions.get(key, ()):
            given = self.sum(total.parts)
            if given.value is not None:
                return given
            first = first or given
        return first or Given(None, Counter(), frozenset({key}))

    def sum(self, keys: tuple[CellKey, ...]) -> Given:
        """The sum of `keys` as given; a 2019 single row stands for the rows it covers when they are absent."""
        parts: dict[object, Given] = {k: self.of(k) for k in keys}
        for (rows, col), entry in self.table.combined.items():
            group = [(row, col) for row in rows]
            if entry.number is not None and all(g in parts and parts[g].value is None for g in group):
                for g in group:
                    del parts[g]
                parts[(rows, col)] = Given(entry.number, Counter({(rows, col): 1}))
        terms: Counter = Counter()
        roots: set[CellKey] = set()
        total: Number = 0
        for given in parts.values():
            terms.update(given.terms)
            roots |= given.roots
            if given.value is not None:
                total += given.value
        return Given(None if roots else total, terms, frozenset(roots))


@record
class Equation:
    """left = right, as a rule states it for one row, column or group."""

    rule: str
    scope: tuple[str, str]  # what it is about, name and kind: ("自然人", "列"), ("（一）予以公开", "行"), ("行政复议", "")
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]
    left_name: str
    right_name: str
    total: Total | None = None
    balance: Balance | None = None


@record(eq=False)
class Outcome:
    """An equation with what is known of each side."""

    equation: Equation
    left: Given
    right: Given

    @property
    def computable(self) -> bool:
        return self.left.value is not None and self.right.value is not None

    @property
    def difference(self) -> Number:
        return self.left.value - self.right.value  # type: ignore[operator]

    def coefficient(self, term: object) -> int:
        return self.left.terms.get(term, 0) - self.right.terms.get(term, 0)


_HOW = {"R3": "各申请人列相加", "R4": "各项办理结果相加", "R5": "结果维持、结果纠正、其他结果、尚未审结相加"}


def equations(table: TableData) -> list[Equation]:
    """The equations a table's values must meet: each typed total with its parts, and each balance."""
    form = table.form
    out: list[Equation] = []
    for total in form.totals:
        entry = table.entries.get(total.cell)
        if entry is None or entry.state != "number":
            continue  # a total left out is computed, not checked
        cell = form.cell(total.cell)
        scope = {"R3": (cell.row_label, "行"), "R4": (cell.col_label, "列")}.get(
            total.rule, (cell.col_label.rsplit("·", 1)[0], "")
        )
        out.append(
            Equation(total.rule, scope, (total.cell,), total.parts, f"“{cell.name}”", _HOW.get(total.rule, "各项相加"), total=total)
        )
    for balance in form.balances:
        out.append(
            Equation(
                balance.rule, (balance.label, "列"), balance.left, balance.right, balance.left_name, balance.right_name,
                balance=balance,
            )
        )
    return out


class Coverage:
    """Checks that could not be computed, and the cells without a number that held them up."""

    def __init__(self) -> None:
        self.blocked: list[tuple[str, frozenset[CellKey], str, tuple[str, str]]] = []  # (table, roots, rule, scope)

    def block(self, table: str, roots: frozenset[CellKey], rule: str, scope: tuple[str, str]) -> None:
        self.blocked.append((table, roots, rule, scope))

    def annotate(self, findings: list[Finding], sources: dict[str, Path]) -> list[Finding]:
        """Each finding about a cell without a number says which checks it held up; the rest get a finding."""
        out: list[Finding] = []
        explained: set[tuple[str, CellKey]] = set()
        for finding in findings:
            table = finding.table
            mine = finding.location is not None and table is not None and finding.location.path == sources.get(table)
            held = [b for b in self.blocked if mine and b[0] == table and b[1] & set(finding.cells)]
            if held:
                finding = replace(finding, message=f"{finding.message}；因此未能核对：{_describe(held)}")
                explained |= {(table, c) for b in held for c in b[1] & set(finding.cells)}  # type: ignore[misc]
            out.append(finding)
        for table in dict.fromkeys(b[0] for b in self.blocked):
            left = [b for b in self.blocked if b[0] == table and any((table, c) not in explained for c in b[1])]
            if left:
                cells = tuple(sorted({c for b in left for c in b[1] if (table, c) not in explained}))
                out.append(
                    Finding(
                        Severity.WARNING,
                        "unchecked",
                        f"表{table}缺少数字，未能核对：{_describe(left)}",
                        Location(sources[table]) if table in sources else None,
                        table=table,
                        cells=cells,
                    )
                )
        return out


def _describe(blocked: list[tuple[str, frozenset[CellKey], str, tuple[str, str]]]) -> str:
    """R1（自然人、商业企业列），R3（（一）予以公开行）: the checks held up, by rule."""
    by_rule: dict[str, dict[str, list[str]]] = {}
    for _, _, rule, (name, kind) in blocked:
        names = by_rule.setdefault(rule, {}).setdefault(kind, [])
        if name not in names:
            names.append(name)
    return "，".join(
        f"{rule}（{'；'.join('、'.join(names) + kind for kind, names in kinds.items())}）" for rule, kinds in by_rule.items()
    )


def check_arithmetic(table: TableData, valuation: Valuation, coverage: Coverage) -> list[Finding]:
    outcomes = []
    for equation in equations(table):
        outcome = Outcome(equation, valuation.sum(equation.left), valuation.sum(equation.right))
        if outcome.computable:
            outcomes.append(outcome)
        else:
            roots = outcome.left.roots | outcome.right.roots
            coverage.block(table.form.key, roots, equation.rule, equation.scope)
    off = [o for o in outcomes if o.difference != 0]
    findings, explained = _cells_off(table, valuation, outcomes, off)
    rest = [o for o in off if o not in explained]
    for outcome in rest:
        balance = outcome.equation.balance
        if balance is not None and balance.derived and any(
            o.equation.rule == balance.rule and o is not outcome for o in off
        ):
            continue  # a computed column (总计) is off because another column is: reported there
        findings.append(_equation_finding(table, valuation, outcome))
    return findings


def _cells_off(
    table: TableData, valuation: Valuation, outcomes: list[Outcome], off: list[Outcome]
) -> tuple[list[Finding], set[Outcome]]:
    """Cells through which every equation runs off by the same amount: one finding each."""
    suspects: list[tuple[CellKey, list[Outcome], Number]] = []
    for term in dict.fromkeys(t for o in off for t in list(o.left.terms) + list(o.right.terms)):
        if term not in table.entries:
            continue  # a 2019 single row: not a cell of the table
        through = [o for o in outcomes if o.coefficient(term)]
        if len(through) < 2 or any(o not in off or abs(o.coefficient(term)) != 1 for o in through):
            continue
        errors = {o.difference * o.coefficient(term) for o in through}
        if len(errors) == 1:
            suspects.append((term, through, errors.pop()))  # type: ignore[arg-type]
    same_set = Counter(frozenset(map(id, through)) for _, through, _ in suspects)
    findings: list[Finding] = []
    explained: set[Outcome] = set()
    for term, through, error in sorted(suspects, key=lambda s: -len(s[1])):
        if same_set[frozenset(map(id, through))] > 1 or any(o in explained for o in through):
            continue  # several cells would each explain it: no one of them is named
        explained.update(through)
        findings.append(_cell_finding(table, valuation, term, through, error))  # type: ignore[arg-type]
    return findings, explained


def _sum_text(keys: tuple[CellKey, ...], valuation: Valuation) -> str:
    """The non-zero parts of a sum, written out when there are few enough to read."""
    shown = [format_number(v) for v in (valuation.of(k).value for k in keys) if v]
    return "+".join(shown) if 1 < len(shown) <= 8 else ""


def _equation_finding(table: TableData, valuation: Valuation, outcome: Outcome) -> Finding:
    """Two sides that disagree, and by how much, without saying which one is wrong."""
    equation = outcome.equation
    cells = equation.left + equation.right
    return Finding(
        Severity.ERROR,
        equation.rule,
        f"{_sides(table, valuation, outcome)}，相差 {format_number(abs(outcome.difference))}",
        _first_location(table, cells),
        table=table.form.key,
        cells=cells,
    )


def _sides(table: TableData, valuation: Valuation, outcome: Outcome, *, brief: bool = False) -> str:
    """Both sides of an equation with their values; in full, with the parts of each sum written out."""
    equation = outcome.equation
    left, right = format_number(outcome.left.value), format_number(outcome.right.value)  # type: ignore[arg-type]
    if equation.total is not None:
        cell = table.form.cell(equation.total.cell)
        parts = _sum_text(equation.right, valuation)
        summed = f"{parts} = {right}" if parts else right
        if brief:
            return f"“{cell.name}”为 {left}，{equation.right_name}为 {summed}"
        return f"“{cell.name}”填写为 {table.entries[equation.total.cell].text}，{equation.right_name}为 {summed}"
    if brief:
        return f"{''.join(equation.scope)} {equation.left_name} 为 {left}，{equation.right_name} 为 {right}"
    left_parts = "+".join(format_number(valuation.of(k).value) for k in equation.left)  # type: ignore[arg-type]
    right_parts = "+".join(format_number(valuation.of(k).value) for k in equation.right)  # type: ignore[arg-type]
    return (
        f"{''.join(equation.scope)}：{equation.left_name} = {left_parts} = {left}，"
        f"{equation.right_name} = {right_parts} = {right}"
    )


def _cell_finding(table: TableData, valuation: Valuation, key: CellKey, through: list[Outcome], error: Number) -> Finding:
    """One cell that every equation through it says is off by the same amount."""
    cell = table.form.cell(key)
    entry = table.entries[key]
    rules = "/".join(sorted({o.equation.rule for o in through}, key=lambda r: (len(r), r)))
    checks = "；".join(f"{o.equation.rule}：{_sides(table, valuation, o, brief=True)}" for o in through)
    should = format_number(entry.number - error)  # type: ignore[operator]
    message = (
        f"“{cell.name}”填写为 {entry.text}，{len(through)}项核对都相差 {format_number(abs(error))}，"
        f"且都经过这一格（{checks}）；若其余数字无误，此格应为 {should}"
    )
    return Finding(Severity.ERROR, rules, message, entry.location, table=table.form.key, cells=(key,))


def _first_location(table: TableData, keys: tuple[CellKey, ...]) -> Location | None:
    return next((table.location_of(k) for k in keys if table.location_of(k)), None)
