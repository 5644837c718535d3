"""The records format: round trips and schema errors."""

from __future__ import annotations

import json

import pytest

from kg.errors import RecordError
from kg.records import dump_jsonl, load_jsonl, to_json


def test_round_trip_of_the_seed(seed):
    text = dump_jsonl(seed.tasks)
    assert list(load_jsonl(text)) == seed.tasks
    assert "\\u" not in text


def test_documented_shape(seed):
    obj = to_json(seed.tasks[44])
    assert list(obj) == ["no", "chapter", "section", "text", "units", "supervisors", "unassigned_heads", "source"]
    assert obj["units"][0] == {"name": "现代服务业办", "role": "lead", "kind": "unit", "heads": [], "parent": None}
    assert obj["supervisors"] == ["李自力", "黄少伟", "李志强"]
    assert obj["source"] == {"file": "004_89d412a27e51e6a9.txt", "lines": [996, 1024]}


def _line(**changes):
    obj = {"no": 1, "chapter": "一、", "section": None, "text": "t",
           "units": [{"name": "科技局", "role": "lead", "heads": [], "parent": None}],
           "supervisors": ["庄天怀"], "source": {"file": "f.txt", "lines": [1, 2]}}
    obj.update(changes)
    return json.dumps(obj, ensure_ascii=False)


def test_optional_keys_default():
    [task] = load_jsonl(_line())
    assert task.unassigned_heads == () and task.units[0].kind == "unit"


@pytest.mark.parametrize("line, message", [
    ("{not json", "f.jsonl:2: not valid JSON"),
    ("[1]", "expected a JSON object"),
    (_line(no="1"), "'no' should be int"),
    (_line(no=True), "'no' should be int"),
    (_line(units=[{"name": "a", "role": "boss", "heads": []}]), "role should be one of lead, support"),
    (_line(units=[{"name": "a", "role": "lead", "heads": [1]}]), "'heads' should be a list of non-empty strings"),
    (_line(source={"file": "f", "lines": [5, 2]}), "source.lines should be [start, end]"),
    (_line(supervisors="庄天怀"), "'supervisors' should be list"),
    ('{"no": 1}', "missing key 'units'"),
])
def test_schema_errors_name_file_line_and_key(line, message):
    with pytest.raises(RecordError) as exc:
        list(load_jsonl("\n" + line, "f.jsonl"))
    assert message in str(exc.value) and "f.jsonl:2" in str(exc.value)
