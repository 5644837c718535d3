"""Real decompositions of other governments give their hand-checked rows.

Each file of ``tests/data/corpus/`` (see its README) is parsed as a planner would parse
it; every row of ``expected.json`` must come out with the same leads, units (in source
order), leaders and deadline. The rate over all rows is printed, so a run shows how far
the readers are from the real world, file by file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.parse import parse_file

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
EXPECTED: dict[str, list[dict]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def observed(task) -> dict:
    """A record in the shape of ``expected.json``."""
    leaders = list(dict.fromkeys([*task.lead_leaders, *task.supervisors]))
    return {"no": task.no, "leads": [u.name for u in task.leads], "units": [u.name for u in task.units],
            "leaders": leaders, "due": task.due.text if task.due else None}


def _rows(file: str) -> dict[int, dict]:
    return {t.no: observed(t) for t in parse_file(CORPUS / file).tasks}


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_every_expected_row(file):
    got = _rows(file)
    wrong = [(row, got.get(row["no"])) for row in EXPECTED[file] if got.get(row["no"]) != row]
    assert not wrong, "\n".join(f"expected {exp}\n     got {obs}" for exp, obs in wrong)


def test_notice_without_rows_is_no_task_error():
    from kg.errors import LayoutError

    with pytest.raises(LayoutError, match="no task"):
        parse_file(CORPUS / "shishi_2025_notice_only.txt")


#: What each notice says about itself, read by hand from the files: issuer, signature date, year, 文号.
META = {
    "baotou_2011_zhongdian_gongzuo_renwu_fenjie.txt": ("包头市人民政府", "2011-04-06", 2011, None),
    "changxing_2023_zeren_fenjie_leader_sections.txt": ("长兴县人民政府办公室", "2023-02-24", 2023, "长政办发〔2023〕7号"),
    "lishan_2023_zhongdian_gongzuo_renwu_fenjie.txt": ("立山区人民政府", "2023-03-28", 2023, "鞍立政发〔2023〕2号"),
    "lishui_2023_zhongdian_gongzuo_zeren_fenjie.txt": ("丽水市政府", None, 2023, None),
    "wuhan_2018_sheng_baogao_sheji_woshi_zeren_fenjie.txt": ("武汉市人民政府办公厅", "2018-02-14", 2018, None),
    "wuhu_2019_zhongdian_gongzuo_renwu_fenjiebiao_flattened.txt": ("芜湖市人民政府办公室", "2019-05-14", 2019, None),
    "wuhu_2021_wancheng_qingkuang_tongbao.txt": ("芜湖市人民政府", None, 2021, None),
    "xuzhou_2010_zhuyao_mubiao_renwu_fenjie.txt": (None, "2010-03-13", 2010, "徐政发〔2010〕29号"),
    "xuzhou_2020_zhuyao_mubiao_renwu_fenjie.txt": ("徐州市人民政府", "2020-01-18", 2020, "徐政发〔2020〕3号"),
}


@pytest.mark.parametrize("file", sorted(META))
def test_notice_metadata(file):
    """The signature's date wins over a page's 发布时间, a cited 文号 is not the document's own,
    Chinese-numeral dates are read, and the issuer comes from the signature, a page's 来源 or the title."""
    meta = parse_file(CORPUS / file).meta
    assert (meta.issuer, meta.issued, meta.year, meta.doc_number) == META[file]


def test_a_document_without_issuer_or_number_is_a_government_of_its_own():
    from kg.graph.plan import government_key

    result = parse_file(CORPUS / "anhui_2022_zhongdian_gongzuo_zeren_fenjie_news_repost.txt")
    assert (result.meta.issuer, result.meta.doc_number) == (None, None)
    assert government_key(result) == "anhui_2022_zhongdian_gongzuo_zeren_fenjie_news_repost"
