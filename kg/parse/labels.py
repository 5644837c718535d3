"""The words decompositions use for each part of a task, as column headers and as labels.

One vocabulary for both readers: the table reader (:mod:`kg.parse.table`) finds a
column by its header (`牵头责任单位`, `目   标   与   任   务`), the text reader finds a
clause by its label (`牵头责任单位：X`). Governments vary the words — a county writes 县,
a province 省, a city 市; 牵头 may be 主办 or 主责 — so the lists are wide, and the
longest matching word wins (`牵头责任单位` is a lead, not `责任单位`).

:func:`field_of` names the field of a header or label; progress columns (进展情况 …) are
fields of their own, kept for progress reports and never read as units.
"""

from __future__ import annotations

import re

__all__ = ["FIELDS", "field_of", "normalise_label", "LABEL_RE", "CLAUSE_RE", "CLAUSE_FIELDS", "PROGRESS_FIELDS",
           "TITLES", "split_title"]

_LEVELS = ("市", "县", "区", "省", "州", "旗", "镇")

#: Each field and the words that name it, header or label.
FIELDS: dict[str, tuple[str, ...]] = {
    "no": ("序号", "编号", "项次"),
    "chapter": ("项目", "类别", "分类", "章节", "章", "领域", "板块", "工作类别", "任务类别"),
    "section": ("节", "小节", "子项"),
    "text": ("目标任务", "工作任务", "重点工作", "目标与任务", "内容与要求", "事项", "任务内容", "任务",
             "主要任务", "重点任务", "工作内容", "目标内容", "具体任务", "工作目标", "目标要求", "主要内容",
             "重点工作任务", "工作事项", "指标名称", "指标"),
    "lead": ("牵头单位", "牵头责任单位", "主办单位", "牵头部门", "主责单位", "牵头责任部门", "主办部门",
             "牵头落实单位"),
    "support": ("配合单位", "协同责任单位", "协办单位", "配合部门", "协助单位", "参与单位", "协同单位",
                "协办部门", "配合责任单位", "协同部门"),
    "units": ("责任单位", "责任部门", "承办单位", "落实单位", "实施单位", "部门分工", "责任分工", "单位分工"),
    "heads": ("责任领导", "责任人"),
    "lead_leaders": ("牵头领导", "牵头负责领导", "领衔领导")
    + tuple(f"牵头{lv}领导" for lv in _LEVELS) + tuple(f"责任{lv}领导" for lv in _LEVELS),
    "supervisors": ("分管领导", "联系领导", "分管负责领导") + tuple(f"分管{lv}领导" for lv in _LEVELS)
    + tuple(f"分管副{lv}长" for lv in _LEVELS) + tuple(f"联系{lv}领导" for lv in _LEVELS),
    "due": ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "完成时限要求", "办结时限"),
    "progress": ("进展情况", "完成情况", "工作进展", "进度情况", "落实情况", "推进情况"),
    "status": ("完成状态", "状态", "进度"),
    "percent": ("完成比例", "完成进度"),
    "problems": ("存在问题", "存在的问题"),
    "next_steps": ("下一步工作计划", "下一步措施", "下一步计划", "下步打算"),
    "reporter": ("报送单位",),
    # columns kg.views.sheet writes beside the source's own, so that an export reads back whole
    "unassigned": ("未对应的责任领导",),
    "due_date": ("完成日期",),
    "trace": ("来源文件", "起始行", "结束行"),
}

#: Fields a progress report adds to a task: never units, never a second plan.
PROGRESS_FIELDS = ("progress", "status", "percent", "problems", "next_steps", "reporter")

_BY_WORD = {word: name for name, words in FIELDS.items() for word in words}
_SPACE_RE = re.compile(r"[\s\u3000]+")
_NOTE_RE = re.compile(r"[（(][^）)]*[）)]$")

#: A label in running text: one of the words of a units, leader or due field, then a colon.
LABEL_RE = re.compile(
    "(" + "|".join(sorted((w for n in ("lead", "support", "units", "lead_leaders", "supervisors", "due")
                           for w in FIELDS[n]), key=len, reverse=True)) + r")\s*[：:]"
)

#: The fields a clause of a text may open with a label: responsibility, leaders, deadline,
#: and the progress fields (read so that their paragraphs are skipped, never taken as units).
CLAUSE_FIELDS = ("lead", "support", "units", "heads", "lead_leaders", "supervisors", "due") + PROGRESS_FIELDS

#: A clause label in running text: a word of a :data:`CLAUSE_FIELDS` field, then a colon,
#: full- or half-width (`牵头责任单位：`, `进展情况:`, `责任领导 ：`, `牵头单位（部门）：`); never a notice's
#: addressees (`各责任单位：`, `有关牵头单位：`).
CLAUSE_RE = re.compile(
    "(?<!各)(?<!有关)(?<!相关)(" + "|".join(sorted((w for n in CLAUSE_FIELDS for w in FIELDS[n]), key=len, reverse=True))
    + r")(?:[（(][^（）()]{1,6}[）)])?[ \t\u3000]*[：:]"
)


def normalise_label(text: str) -> str:
    """A header or label as compared: white space removed (`目   标   与   任   务`), a
    bracketed note (`完成时限（月）`) and a final colon dropped."""
    text = _SPACE_RE.sub("", text).rstrip("：:")
    return _NOTE_RE.sub("", text) or text


def field_of(text: str) -> str | None:
    """The field a header or label names, or None.

    Examples
    --------
    >>> field_of("牵头责任单位")
    'lead'
    >>> field_of("目   标   与   任   务")
    'text'
    >>> field_of("分管县领导：")
    'supervisors'
    """
    return _BY_WORD.get(normalise_label(text))


#: Posts written after (or before) a leader's name (`朱伟县长`, `副市长王强`), longest first.
TITLES = tuple(sorted({
    *(f"{pre}{lv}长" for lv in _LEVELS for pre in ("", "副", "常务副")),
    *(f"{lv}长助理" for lv in _LEVELS),
    *(f"{lv}委{post}" for lv in _LEVELS for post in ("书记", "副书记")),
    "书记", "副书记", "主任", "副主任", "主席", "副主席", "秘书长", "副秘书长", "部长", "副部长", "省长", "副省长",
    "常务副省长", "旗长", "副旗长", "同志",
}, key=len, reverse=True))
_TITLE_RE = re.compile("^(?:(?P<pre>" + "|".join(TITLES) + ")(?P<after>[\u4e00-\u9fff]{2,4})"
                       "|(?P<before>[\u4e00-\u9fff]{2,4}?)(?P<post>" + "|".join(TITLES) + "))$")


def split_title(text: str) -> tuple[str, str | None]:
    """A leader as a table or label writes them: the name and the post, if one is written.

    Examples
    --------
    >>> split_title("朱伟县长")
    ('朱伟', '县长')
    >>> split_title("副市长王强")
    ('王强', '副市长')
    >>> split_title("李明")
    ('李明', None)
    """
    m = _TITLE_RE.match(_SPACE_RE.sub("", text))
    if not m or text in TITLES:  # a post alone (`市长助理`) is no name with a post
        return text, None
    return (m.group("after"), m.group("pre")) if m.group("pre") else (m.group("before"), m.group("post"))
