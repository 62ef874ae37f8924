"""The 2021 official format (国办公开办函〔2021〕30号): six sections, three tables, their arithmetic.

Every official label is typed here and nowhere else.
"""

from __future__ import annotations

from .shapes import (
    Balance,
    Block,
    CarryOver,
    Format,
    Header,
    NarrativeFigure,
    SectionForm,
    StockFlow,
    Total,
    block_table,
    grid_table,
)

FORMAT_NAME = "国办公开办函〔2021〕30号"

# ---------------------------------------------------------------- 表二 主动公开

# Every row of 表二 is a power an organ may not have (rule-making, licensing, …): "/" or "—" there
# says so, and is printed as written.
TABLE_2 = block_table(
    key="二",
    title="二、主动公开政府信息情况",
    file_name="table2.yaml",
    row_header="信息内容",
    value_columns=3,
    column_widths_mm=(48.0, 36.0, 36.0, 36.0),
    blocks=(
        Block(
            caption="第二十条第（一）项",
            columns=(
                Header("本年制发件数", "issued"),
                Header("本年废止件数", "repealed"),
                Header("现行有效件数", "in_force"),
            ),
            rows=(Header("规章", "regulations"), Header("行政规范性文件", "normative_documents")),
            not_applicable_rows=frozenset({"regulations", "normative_documents"}),
        ),
        Block(
            caption="第二十条第（五）项",
            columns=(Header("本年处理决定数量", "decisions"),),
            rows=(Header("行政许可", "licensing"),),
            not_applicable_rows=frozenset({"licensing"}),
        ),
        Block(
            caption="第二十条第（六）项",
            columns=(Header("本年处理决定数量", "decisions"),),
            rows=(Header("行政处罚", "penalty"), Header("行政强制", "coercion")),
            not_applicable_rows=frozenset({"penalty", "coercion"}),
        ),
        Block(
            caption="第二十条第（八）项",
            columns=(Header("本年收费金额（单位：万元）", "fee_amount"),),
            rows=(Header("行政事业性收费", "fees"),),
            kind="amount",
            not_applicable_rows=frozenset({"fees"}),
        ),
    ),
)

# ---------------------------------------------------------------- 表三 依申请公开

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org")
T3_COLUMNS = APPLICANT_COLUMNS + ("total",)

_NOT_DISCLOSED = (
    ("nd_state_secret", "1.属于国家秘密"),
    ("nd_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("nd_three_security", "3.危及“三安全一稳定”"),
    ("nd_third_party", "4.保护第三方合法权益"),
    ("nd_internal_affairs", "5.属于三类内部事务信息"),
    ("nd_process_info", "6.属于四类过程性信息"),
    ("nd_enforcement_file", "7.属于行政执法案卷"),
    ("nd_inquiry", "8.属于行政查询事项"),
)
_UNABLE = (
    ("up_not_held", "1.本机关不掌握相关政府信息"),
    ("up_needs_creation", "2.没有现成信息需要另行制作"),
    ("up_unclear", "3.补正后申请内容仍不明确"),
)
_NOT_PROCESSED = (
    ("np_petition", "1.信访举报投诉类申请"),
    ("np_repeated", "2.重复申请"),
    ("np_publications", "3.要求提供公开出版物"),
    ("np_excessive", "4.无正当理由大量反复申请"),
    ("np_confirm", "5.要求行政机关确认或重新出具已获取信息"),
)
_OTHER_HANDLING = (
    ("oh_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("oh_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("oh_other", "3.其他"),
)


def _leaves(items: tuple[tuple[str, str], ...]) -> tuple[Header, ...]:
    return tuple(Header(label, key) for key, label in items)


_RESULT_ROWS = (
    Header("（一）予以公开", "disclosed"),
    Header("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed"),
    Header("（三）不予公开", children=_leaves(_NOT_DISCLOSED)),
    Header("（四）无法提供", children=_leaves(_UNABLE)),
    Header("（五）不予处理", children=_leaves(_NOT_PROCESSED)),
    Header("（六）其他处理", children=_leaves(_OTHER_HANDLING)),
)
RESULT_LEAF_ROWS = tuple(leaf.key or "" for h in _RESULT_ROWS for leaf, _ in h.leaves())
T3_ROWS = ("new_received", "carried_over") + RESULT_LEAF_ROWS + ("results_total", "carried_forward")


def _t3_totals() -> tuple[Total, ...]:
    by_row = tuple(
        Total("R3", (row, "total"), tuple((row, c) for c in APPLICANT_COLUMNS)) for row in T3_ROWS
    )
    by_column = tuple(
        Total("R4", ("results_total", col), tuple((row, col) for row in RESULT_LEAF_ROWS)) for col in T3_COLUMNS
    )
    return by_row + by_column


_T3_COLUMN_TREE = Header(
    "申请人情况",
    children=(
        Header("自然人", "natural_person"),
        Header(
            "法人或其他组织",
            children=(
                Header("商业企业", "commercial"),
                Header("科研机构", "research"),
                Header("社会公益组织", "public_interest"),
                Header("法律服务机构", "legal_service"),
                Header("其他", "other_org"),
            ),
        ),
        Header("总计", "total"),
    ),
)
_T3_LABELS = {leaf.key: leaf.label for leaf, _ in _T3_COLUMN_TREE.leaves()}

TABLE_3 = grid_table(
    key="三",
    title="三、收到和处理政府信息公开申请情况",
    file_name="table3.yaml",
    corner_note="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    columns=(_T3_COLUMN_TREE,),
    column_path_in_yaml="leaf",
    rows=(
        Header("一、本年新收政府信息公开申请数量", "new_received"),
        Header("二、上年结转政府信息公开申请数量", "carried_over"),
        Header("三、本年度办理结果", children=_RESULT_ROWS + (Header("（七）总计", "results_total"),)),
        Header("四、结转下年度继续办理", "carried_forward"),
    ),
    # Three label columns, then seven number columns: 156 mm, the GB/T 9704 text width.
    column_widths_mm=(13.0, 19.0, 54.0) + (10.0,) * 7,
    totals=_t3_totals(),
    balances=tuple(
        Balance(
            "R1",
            _T3_LABELS[col],
            left=(("new_received", col), ("carried_over", col)),
            right=(("results_total", col), ("carried_forward", col)),
            left_name="一+二",
            right_name="三（七）总计+四",
            derived=col == "total",
        )
        for col in T3_COLUMNS
    ),
)

# ---------------------------------------------------------------- 表四 复议诉讼

T4_GROUPS = ("review", "direct_suit", "suit_after_review")
T4_RESULTS = ("upheld", "corrected", "other", "pending", "total")


def _t4_results(group: str) -> tuple[Header, ...]:
    labels = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return tuple(Header(label, f"{group}.{result}") for result, label in zip(T4_RESULTS, labels))


TABLE_4 = grid_table(
    key="四",
    title="四、政府信息公开行政复议、行政诉讼情况",
    file_name="table4.yaml",
    corner_note=None,
    columns=(
        Header("行政复议", children=_t4_results("review")),
        Header(
            "行政诉讼",
            children=(
                Header("未经复议直接起诉", children=_t4_results("direct_suit")),
                Header("复议后起诉", children=_t4_results("suit_after_review")),
            ),
        ),
    ),
    column_path_in_yaml="full",
    rows=(),
    single_row_key="cases",
    column_widths_mm=(10.4,) * 15,
    totals=tuple(
        Total("R5", ("cases", f"{g}.total"), tuple(("cases", f"{g}.{r}") for r in T4_RESULTS[:-1]))
        for g in T4_GROUPS
    ),
    column_groups=((0, 5), (5, 15)),
)

# ---------------------------------------------------------------- rules across two years

CARRY_OVER = CarryOver("R7", "三", this_row="carried_over", last_row="carried_forward")
STOCK_FLOWS = (
    StockFlow("R9", "二", "regulations", stock="in_force", inflow="issued", outflow="repealed"),
    # 行政规范性文件 lapse when their validity ends; the format counts only those repealed by a document.
    StockFlow(
        "R9", "二", "normative_documents", stock="in_force", inflow="issued", outflow="repealed", may_shrink=True,
        notice_share=0.05, explained_by=r"失效|有效期|到期|过期|清理|现行有效",
    ),
)

# ---------------------------------------------------------------- figures named in the narrative

# How a report's text names the applicant columns of 表三, and those columns as a sum of columns
# (the default is 总计; 法人或其他组织 has no column of its own).
APPLICANT_WORDS: tuple[tuple[str, str], ...] = (
    ("法人或其他组织|法人", "总计 - 自然人"),
    ("自然人|公民", "自然人"),
    ("商业企业", "商业企业"),
    ("科研机构", "科研机构"),
    ("社会公益组织|公益组织", "社会公益组织"),
    ("法律服务机构", "法律服务机构"),
)
# Words before a number that make it something other than this report's table figure: another
# organ's or area's count, last year's, a change against last year, or an approximation.
NARRATIVE_ELSEWHERE = (
    r"另|协助|代为|代办|转办|转交|全市|全省|全区|全县|全国|各级|各地|各区|各县|各部门|各单位|所属|下属|系统内|"
    r"累计|历年|省政府|省级|上级|较|比上年|同比|增长|下降|减少|增加|上升|持平|去年|上一?年(?!度?结转)"
)
_HANDLED = "表三·本年新收·{列} + 表三·上年结转·{列}"
_LITIGATION = "表四·未经复议直接起诉·总计 + 表四·复议后起诉·总计"
_REVIEW_RESULTS = tuple(
    (f"行政复议{r}", f"表四·行政复议·{r}") for r in ("结果维持", "结果纠正", "其他结果", "尚未审结")
)
_SUIT_RESULTS = tuple(
    (f"{g}{r}", f"表四·{g}·{r}") for g in ("未经复议直接起诉", "复议后起诉") for r in ("结果维持", "结果纠正", "尚未审结")
)


def _documents(kind: str, row: str) -> tuple[NarrativeFigure, ...]:
    verbs = (("本年制发", "制发|制定|出台|印发|新制定|发布", "本年制发件数"), ("本年废止", "废止", "本年废止件数"),
             ("现行有效", "现行有效", "现行有效件数"))
    return tuple(
        NarrativeFigure(f"{name}{kind}", rf"(?:{words})[^，。]*{kind}|{kind}[^，。]*(?:{words})", f"表二·{row}·{column}")
        for name, words, column in verbs
    )


NARRATIVE_FIGURES: tuple[NarrativeFigure, ...] = (
    NarrativeFigure("新收与上年结转申请", r"(?:新收|收到|受理)[^，。]*结转|结转[^，。]*(?:新收|收到|受理)", _HANDLED),
    NarrativeFigure("上年结转申请", r"上年结转|结转上年|上年度结转|上一年度结转", "表三·上年结转·{列}"),
    NarrativeFigure("结转下年度申请", r"结转(?:至|到)?下(?:一)?年|转入下(?:一)?年|结转下年度|结转至\d{4}年", "表三·结转下年度·{列}"),
    NarrativeFigure("予以公开", r"予以公开|同意公开|全部公开", "表三·（一）予以公开·{列}"),
    NarrativeFigure("部分公开", r"部分公开", "表三·部分公开·{列}"),
    NarrativeFigure(
        "本年新收申请",
        r"(?:新收|收到|受理|接收|新增|共收)[^，。]*申请|申请[^，。]*(?:新收|收到|受理)",
        "表三·本年新收·{列}",
        (("新收与上年结转之和", _HANDLED),),
    ),
    NarrativeFigure(
        "办结申请",
        r"(?:办结|答复|完成办理)[^，。]*申请|申请[^，。]*(?:办结|答复)",
        "表三·（七）总计·{列}",
        (("新收与上年结转之和", _HANDLED), ("本年新收", "表三·本年新收·{列}")),
    ),
    NarrativeFigure(
        "办理申请",
        r"(?:办理|处理)[^，。]*申请|申请[^，。]*(?:办理|处理)",
        _HANDLED,
        (("本年办结（（七）总计）", "表三·（七）总计·{列}"), ("本年新收", "表三·本年新收·{列}")),
    ),
    NarrativeFigure(
        "行政复议和行政诉讼",
        r"复议[^，。]*诉讼|诉讼[^，。]*复议",
        "表四·行政复议·总计 + " + _LITIGATION,
        (("行政复议", "表四·行政复议·总计"), ("行政诉讼", _LITIGATION)),
    ),
    NarrativeFigure("复议后起诉", r"复议后(?:起诉|诉讼)", "表四·复议后起诉·总计", _SUIT_RESULTS[3:]),
    NarrativeFigure("未经复议直接起诉", r"直接起诉|未经复议", "表四·未经复议直接起诉·总计", _SUIT_RESULTS[:3]),
    NarrativeFigure(
        "行政诉讼",
        r"诉讼|起诉",
        _LITIGATION,
        (("未经复议直接起诉", "表四·未经复议直接起诉·总计"), ("复议后起诉", "表四·复议后起诉·总计")) + _SUIT_RESULTS,
    ),
    NarrativeFigure("行政复议", r"复议", "表四·行政复议·总计", _REVIEW_RESULTS),
    *_documents("规范性文件", "行政规范性文件"),
    *_documents("规章", "规章"),
    NarrativeFigure("行政许可决定", r"许可[^，。]{0,8}决定|决定[^，。]{0,8}许可", "表二·行政许可·本年处理决定数量"),
    NarrativeFigure("行政处罚决定", r"处罚[^，。]{0,8}决定|决定[^，。]{0,8}处罚", "表二·行政处罚·本年处理决定数量"),
    NarrativeFigure("行政强制决定", r"强制[^，。]{0,8}决定|决定[^，。]{0,8}强制", "表二·行政强制·本年处理决定数量"),
    NarrativeFigure(
        "行政事业性收费金额", r"行政事业性收费", "表二·行政事业性收费·本年收费金额（单位：万元）", unit="万元"
    ),
)

# ---------------------------------------------------------------- the six sections

SECTIONS: tuple[SectionForm, ...] = (
    SectionForm(
        "一",
        "一、总体情况",
        "overview",
        "1-overview.md",
        guidance="综述本机关贯彻落实《条例》的总体情况，一般分为主动公开、依申请公开、政府信息管理、"
        "政府信息公开平台建设、监督保障五个方面；各级人民政府还应在监督保障中写明工作考核、"
        "社会评议和责任追究结果情况。",
    ),
    SectionForm(
        "二",
        "二、主动公开政府信息情况",
        "proactive",
        "2-proactive.md",
        table=TABLE_2,
        guidance="本节的表格由 table2.yaml 生成；这里只写表格下方的注（如统计口径说明），可以留空。",
    ),
    SectionForm(
        "三",
        "三、收到和处理政府信息公开申请情况",
        "applications",
        "3-applications.md",
        table=TABLE_3,
        guidance="本节的表格由 table3.yaml 生成，总计由 zbreport 计算；这里只写表格下方的注，可以留空。",
    ),
    SectionForm(
        "四",
        "四、政府信息公开行政复议、行政诉讼情况",
        "review_litigation",
        "4-review-litigation.md",
        table=TABLE_4,
        guidance="本节的表格由 table4.yaml 生成，总计由 zbreport 计算；这里只写表格下方的注，可以留空。",
    ),
    SectionForm(
        "五",
        "五、存在的主要问题及改进情况",
        "problems",
        "5-problems.md",
        guidance="写明本年度工作存在的主要问题和改进措施，并说明上一年度问题的整改情况。",
    ),
    SectionForm(
        "六",
        "六、其他需要报告的事项",
        "other",
        "6-other.md",
        guidance="写明信息处理费的收取情况（发出收费通知的件数和总金额、实际收取的总金额），"
        "以及年度工作要点落实、人大代表建议和政协提案办理结果公开等其他事项。",
    ),
)

# Labels of the superseded 2019 trial format (国办公开办函〔2019〕60号) and what replaced them (rule R12).
SUPERSEDED_2019: dict[str, str] = {
    "第二十条第（九）项": "2021年格式已删除第二十条第（九）项（政府集中采购），请删去该部分",
    "政府集中采购": "2021年格式已删除第二十条第（九）项（政府集中采购），请删去该部分",
    "采购项目数量": "2021年格式已删除第二十条第（九）项（政府集中采购），请删去该部分",
    "采购总金额": "2021年格式已删除第二十条第（九）项（政府集中采购），请删去该部分",
    "本年新制作数量": "2021年格式第二十条第（一）项的列为：本年制发件数、本年废止件数、现行有效件数",
    "本年新公开数量": "2021年格式第二十条第（一）项的列为：本年制发件数、本年废止件数、现行有效件数",
    "对外公开总数量": "2021年格式第二十条第（一）项的列为：本年制发件数、本年废止件数、现行有效件数",
    "上一年项目数量": "2021年格式第二十条第（五）（六）（八）项只有一列：本年处理决定数量或本年收费金额（单位：万元）",
    "本年增/减": "2021年格式第二十条第（五）（六）（八）项只有一列：本年处理决定数量或本年收费金额（单位：万元）",
    "其他对外管理服务事项": "2021年格式第二十条第（五）项只有“行政许可”一行",
}
# Other wordings of an official label that mean it exactly: the 2019 trial format's shorter names
# that kept their meaning, and the short name clerks use.
LABEL_ALIASES: dict[str, tuple[str, ...]] = {
    "行政规范性文件": ("规范性文件",),
    "本年处理决定数量": ("处理决定数量",),
}
# 2019 wrote （六）其他处理 as one row of numbers; 2021 splits it into three sub-rows.
SUPERSEDED_2019_SINGLE_ROW = {
    "（六）其他处理": "2021年格式将“（六）其他处理”分为三项："
    + "、".join(label for _, label in _OTHER_HANDLING)
    + "，请按三项分别填写",
}


# Section titles as published reports also write them (the 条例's own wording, common shortenings),
# for reading a published report back; the official titles above are what zbreport prints.
SECTION_TITLE_VARIANTS: dict[str, tuple[str, ...]] = {
    "一": ("概述", "工作总体情况", "政府信息公开工作总体情况"),
    "二": ("行政机关主动公开政府信息的情况",),
    "三": ("行政机关收到和处理政府信息公开申请的情况",),
    "四": ("因政府信息公开工作被申请行政复议、提起行政诉讼的情况",),
    "五": ("政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况"),
    "六": ("其他需要报告的事项",),
}

GB2021 = Format(
    name=FORMAT_NAME,
    sections=SECTIONS,
    carry_over=CARRY_OVER,
    stock_flows=STOCK_FLOWS,
    superseded=SUPERSEDED_2019,
    superseded_single_row=SUPERSEDED_2019_SINGLE_ROW,
    superseded_name="国办公开办函〔2019〕60号",
    section_title_variants=SECTION_TITLE_VARIANTS,
    aliases=LABEL_ALIASES,
    narrative_figures=NARRATIVE_FIGURES,
    applicant_words=APPLICANT_WORDS,
    narrative_elsewhere=NARRATIVE_ELSEWHERE,
)
