"""A file that cannot be read is reported in the user's language (--lang zh); English is unchanged."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, cli
from svcperf.io.read import UnreadableFile, open_book
from test_hostile_packages import bomb, far_cells, run


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


@pytest.mark.parametrize("make, zh", [
    (lambda d: d / "nosuch.xlsx", "nosuch.xlsx：文件不存在；请检查文件名和所在文件夹"),
    (lambda d: _folder(d / "sheets"), "sheets：文件夹中没有表格文件"),
    (lambda d: _file(d / "empty.xlsx", b""), "empty.xlsx：文件是空的（0 字节）；请重新导出表格"),
    (lambda d: _file(d / "text.xlsx", b"hello\n"),
     "text.xlsx：不是电子表格（不是 Excel、OpenDocument 或 CSV 文件）；请在 Excel 中另存为 .xlsx"),
    (lambda d: _file(d / "cut.xlsx", (EXAMPLES / "tiered-service.xlsx").read_bytes()[:3000]),
     "cut.xlsx：文件已损坏或不完整（zip 不完整）；请重新复制或下载"),
])
@pytest.mark.parametrize("command", ["validate", "rank"])
def test_a_file_that_cannot_be_read_is_said_in_chinese(tmp_path, make, zh, command):
    path = make(tmp_path)
    done = run(command, path, "--rules", "tiered-service", "--lang", "zh")
    assert done.returncode == 2, done.stderr[-400:]
    assert zh in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["validate", "rank"])
def test_a_limit_refusal_is_said_in_chinese_with_its_flag_and_variable(tmp_path, command):
    done = run(command, far_cells(tmp_path / "far.xlsx"), "--rules", "tiered-service", "--lang", "zh")
    out = done.stdout + done.stderr
    assert done.returncode == 2, done.stderr[-400:]
    assert "的范围有 17,179,869,184 个单元格，超出上限（" in out
    assert "svcperf --limit cells=N …（或设置环境变量 SVCPERF_MAX_CELLS；默认 30,000,000）" in out
    assert "over the limit" not in out


def test_a_bomb_is_refused_in_chinese(tmp_path):
    path = bomb(tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", 20 << 20)
    done = run("validate", path, "--rules", "tiered-service", "--lang", "zh")
    out = done.stdout + done.stderr
    assert done.returncode == 2 and "10 MiB 以上的部件解压后最多膨胀 500 倍" in out
    assert "SVCPERF_MAX_RATIO" in out and "times a part may inflate" not in out


def test_english_is_the_str_and_survives_pickling(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        open_book(tmp_path / "nosuch.xlsx")
    ex = caught.value
    assert str(ex) == f"{tmp_path / 'nosuch.xlsx'}: no such file; check the name and the folder"
    assert ex.message("en") == str(ex)
    again = pickle.loads(pickle.dumps(ex))
    assert again.message("zh") == ex.message("zh") == \
        f"{tmp_path / 'nosuch.xlsx'}：文件不存在；请检查文件名和所在文件夹"


def test_the_validate_report_holds_the_chinese_reason(tmp_path):
    path = tmp_path / "a.xlsx"
    shutil.copy(EXAMPLES / "tiered-service.xlsx", path)
    path.write_bytes(b"")
    done = run("validate", path, "--rules", "tiered-service", "--lang", "zh", "--format", "json")
    assert done.returncode == 2 and "文件是空的（0 字节）" in done.stdout


def test_a_ledger_or_a_ranked_result_that_cannot_be_used_is_said_in_chinese(tmp_path):
    """The points ledger's and a ranked result's refusals follow --lang like the readers'."""
    sheet = EXAMPLES / "tiered-service.xlsx"
    diff = cli("diff", sheet, sheet, "--lang", "zh")
    assert diff.exit_code == 2
    assert f"{sheet}：没有“考核结果”（Results）工作表；这是 svcperf rank 的排名结果吗？" in diff.stderr
    assert "no Results sheet" in cli("diff", sheet, sheet).stderr
    months = sorted(EXAMPLES.glob("ambassador-2026-0*.xlsx"))
    ledger = tmp_path / "ledger.xlsx"
    shutil.copy(sheet, ledger)  # a workbook, but not a ledger
    rolled = cli("rollup", *months, "--rules", "ambassador-circle", "--period", "2026Q1",
                 "--ledger", ledger, "-o", tmp_path / "q.xlsx", "--lang", "zh")
    assert rolled.exit_code == 2, rolled.output
    assert f"{ledger}：不是 svcperf 的积分台账（没有 History / 积分明细 工作表）" in rolled.stderr


def _zip(path: Path, parts: dict[str, str]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


@pytest.mark.parametrize("parts, en, zh", [
    ({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"},
     "a text document (Word or OpenDocument), not a spreadsheet; copy its table into Excel",
     "这是文字文档（Word 或 OpenDocument），不是电子表格"),
    ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
     "a text document", "这是文字文档"),
    ({"ppt/presentation.xml": "<p/>"}, "a presentation, not a spreadsheet", "这是演示文稿"),
    ({"content.xml": "<x/>"}, "an OpenDocument file without its 'mimetype' part",
     "OpenDocument 文件缺少 mimetype 部件"),
    ({f"march/branch-{n}.csv": "a,b" for n in range(5)},
     "a zip archive with no workbook in it (it holds march/branch-0.csv, march/branch-1.csv, "
     "march/branch-2.csv, ...); unzip it and give the sheet inside", "这是不含工作簿的 zip 压缩包"),
])
def test_a_zip_that_is_not_a_workbook_says_what_it_is(tmp_path, parts, en, zh):
    """Not calamine's "File not found '_rels/.rels'" or "'mimetype' file not found in archive"."""
    path = _zip(tmp_path / "sheet.xlsx", parts)
    for lang, words in (("en", en), ("zh", zh)):
        done = cli("validate", path, "--lang", lang)
        assert done.exit_code == 2 and words in done.stderr, done.stderr
        assert "File not found" not in done.stderr and "in archive" not in done.stderr
