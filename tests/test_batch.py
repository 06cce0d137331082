"""Batch runs: folders and globs, one bad file never stops the others, re-runs skip work."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import python_calamine

from conftest import EXAMPLES, big_r1_sheet, cli, write_xlsx
from svcperf.batch import expand_inputs, output_paths


def submissions(tmp_path: Path) -> Path:
    folder = tmp_path / "sub"
    folder.mkdir()
    for name in ("tiered-service", "ambassador-circle", "competency-potential"):
        shutil.copy(EXAMPLES / f"{name}.xlsx", folder / f"{name}.xlsx")
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    (folder / "notes.txt").write_text("ignored: not a spreadsheet suffix")
    return folder


def results(path: Path) -> list[list]:
    return python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_name("考核结果").to_python()


def test_expand_folders_globs_and_missing(tmp_path):
    folder = submissions(tmp_path)
    files, missing = expand_inputs([folder, str(folder / "tiered*.xlsx"), tmp_path / "nope.xlsx"])
    assert [f.name for f in files] == ["ambassador-circle.xlsx", "broken.xlsx",
                                       "competency-potential.xlsx", "tiered-service.xlsx",
                                       "nope.xlsx"]
    assert missing == []  # a named file that does not exist is reported when it is opened
    assert [str(m) for m in expand_inputs([str(tmp_path / "*.none")])[1]] == [
        f"{tmp_path}/*.none: no spreadsheet matches this pattern; check it (svcperf's own "
        "outputs, *.ranked.*, are never inputs)"]


def test_a_sheet_named_twice_is_ranked_once(tmp_path, monkeypatch):
    """in/a.xlsx and its absolute path were two inputs 'both written to' one output: refused,
    with 'rename one of them'."""
    (tmp_path / "in").mkdir()
    shutil.copy(EXAMPLES / "ambassador-2026-01.xlsx", tmp_path / "in" / "a.xlsx")
    monkeypatch.chdir(tmp_path)
    assert expand_inputs(["in/a.xlsx", tmp_path / "in" / "a.xlsx", "in", "in/../in/*.xlsx"]) \
        == ([Path("in/a.xlsx")], [])


def test_clashing_stems_get_their_folder():
    outs = output_paths([Path("a/x.xlsx"), Path("b/x.xlsx"), Path("b/y.xlsx")], Path("r"), ".csv")
    assert [str(o) for o in outs] == ["r/a_x.ranked.csv", "r/b_x.ranked.csv", "r/y.ranked.csv"]


def test_a_clashing_stem_in_the_current_or_parent_folder_gets_that_folder_s_name(
        tmp_path, monkeypatch):
    """march.xlsx beside a/march.xlsx was written to _march.ranked.xlsx, and ../march.xlsx to
    .._march.ranked.xlsx, a hidden file; each now takes its folder's own name."""
    (tmp_path / "jan" / "a").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "jan" / "a")
    outs = output_paths([Path("../march.xlsx"), Path("march.xlsx")], Path("r"), ".xlsx")
    assert [str(o) for o in outs] == ["r/jan_march.ranked.xlsx", "r/a_march.ranked.xlsx"]


def test_batch_goes_on_past_a_bad_file_and_reports_every_file(tmp_path):
    folder = submissions(tmp_path)
    out = tmp_path / "results"
    result = cli("rank", folder, "--out-dir", out, "--summary", out / "summary.json", "-j", "2")
    assert result.exit_code == 2, result.output
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = {Path(f["file"]).name: f["status"] for f in doc["files"]}
    assert status == {"ambassador-circle.xlsx": "rejected-rows", "broken.xlsx": "failed",
                      "competency-potential.xlsx": "rejected-rows",
                      "tiered-service.xlsx": "rejected-rows"}
    assert doc["totals"]["failed"] == 1 and doc["exit_code"] == 2
    assert all(f["input_sha256"] for f in doc["files"] if f["status"] != "failed" or
               Path(f["file"]).name == "broken.xlsx")
    assert sorted(p.name for p in out.glob("*.xlsx")) == [
        "ambassador-circle.ranked.xlsx", "competency-potential.ranked.xlsx",
        "tiered-service.ranked.xlsx"]
    assert "[4/4]" in result.output  # plain progress lines when not on a terminal


def test_rerun_skips_up_to_date_outputs_unless_forced_or_changed(tmp_path):
    folder = submissions(tmp_path)
    (folder / "broken.xlsx").unlink()
    out = tmp_path / "r"
    assert cli("rank", folder, "--out-dir", out, "-j", "1").exit_code == 1
    target = out / "tiered-service.ranked.xlsx"
    first, mtime = results(target), target.stat().st_mtime_ns
    again = cli("rank", folder, "--out-dir", out)
    assert "3 up-to-date" in again.output and again.exit_code == 1
    assert target.stat().st_mtime_ns == mtime
    forced = cli("rank", folder, "--out-dir", out, "--force")
    assert "3 rejected-rows" in forced.output and results(target) == first  # identical values
    shutil.copy(EXAMPLES / "ambassador-circle.xlsx", folder / "tiered-service.xlsx")
    changed = cli("rank", folder, "--out-dir", out)  # an output of other input: not replaced
    assert "2 up-to-date" in changed.output and changed.exit_code == 2
    assert f"{target} already exists, written by an earlier run from another version of this " \
        "sheet" in changed.stderr and "--force" in changed.stderr
    assert results(target) == first
    replaced = cli("rank", folder, "--out-dir", out, "--force")
    assert replaced.exit_code == 1 and results(target) != first


def test_a_file_svcperf_did_not_write_is_never_replaced_without_force(tmp_path):
    folder = submissions(tmp_path)
    (folder / "broken.xlsx").unlink()
    out = tmp_path / "r"
    out.mkdir()
    mine = out / "ambassador-circle.ranked.xlsx"
    mine.write_bytes(b"the user's own workbook")
    for _ in range(2):  # and again: the refusal stands, the others are up to date
        result = cli("rank", folder, "--out-dir", out, "--summary", out / "summary.json")
        assert result.exit_code == 2 and mine.read_bytes() == b"the user's own workbook"
        assert [line for line in result.stderr.splitlines() if "ambassador" in line] == [
            f"svcperf: error: {folder / 'ambassador-circle.xlsx'}: {mine} already exists and "
            "svcperf did not write it there (the folder's .svcperf-state.json does not list "
            "it); move it away, or rank again with --force to replace it"]
        doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        status = {Path(f["file"]).name: (f["status"], f["exit_code"]) for f in doc["files"]}
        assert status["ambassador-circle.xlsx"] == ("failed", 2)
        written = [f for f in doc["files"] if f["status"] != "failed"]  # the refused wrote none
        assert doc["totals"]["rows_ranked"] == sum(f["rows_ranked"] for f in written)
        assert f"{doc['totals']['rows_ranked']} rows ranked" in result.output
        assert {s for name, (s, _) in status.items() if name != "ambassador-circle.xlsx"} <= \
            {"rejected-rows", "up-to-date"}
    assert sorted(p.name for p in out.glob("*.ranked.xlsx")) == [
        "ambassador-circle.ranked.xlsx", "competency-potential.ranked.xlsx",
        "tiered-service.ranked.xlsx"]
    zh = cli("rank", folder, "--out-dir", out, "--lang", "zh")
    assert zh.exit_code == 2 and "已存在，且不是 svcperf 在此写出的" in zh.stderr
    assert "3 个文件：2 已是最新，1 失败；排名" in zh.output and "已是最新 — 排名" in zh.output
    forced = cli("rank", folder, "--out-dir", out, "--force")
    assert forced.exit_code == 1 and len(results(mine)) > 1  # now svcperf's output
    assert "3 up-to-date" in cli("rank", folder, "--out-dir", out).output


def test_an_output_edited_after_svcperf_wrote_it_is_kept_without_force(tmp_path):
    folder = submissions(tmp_path)
    (folder / "broken.xlsx").unlink()
    out = tmp_path / "r"
    assert cli("rank", folder, "--out-dir", out).exit_code == 1
    edited = out / "tiered-service.ranked.xlsx"
    edited.write_bytes(edited.read_bytes() + b"\0")  # opened, changed and saved by someone
    again = cli("rank", folder, "--out-dir", out)
    assert again.exit_code == 2 and "2 up-to-date" in again.output
    assert f"{edited} has been changed since svcperf wrote it" in again.stderr


def test_each_worker_records_its_own_output_so_a_killed_batch_loses_nothing(tmp_path):
    """The parent may die right after a worker's write: the worker has recorded it already,
    and an output that a killed run was writing (recorded, never finished) is written again."""
    from svcperf.batch import STATE_FILE, Job, run_job

    folder = submissions(tmp_path)
    (folder / "broken.xlsx").unlink()
    out = tmp_path / "r"
    sheet = folder / "tiered-service.xlsx"
    done = run_job(Job(sheet, out / "tiered-service.ranked.xlsx", None, lang="en"))
    assert done.output and done.status == "rejected-rows"
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["tiered-service.ranked.xlsx"]["written"] is True  # no parent involved
    rerun = cli("rank", folder, "--out-dir", out)
    assert rerun.exit_code == 1 and "1 up-to-date" in rerun.output, rerun.output
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    state["ambassador-circle.ranked.xlsx"] = {"key": state["ambassador-circle.ranked.xlsx"]["key"],
                                              "written": False}  # killed after its rename
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    finished = cli("rank", folder, "--out-dir", out)
    assert finished.exit_code == 1 and "2 up-to-date" in finished.output, finished.output
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    state["competency-potential.ranked.xlsx"]["key"]["version"] = "0.0.9"  # an older svcperf's
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    upgraded = cli("rank", folder, "--out-dir", out)  # its own output: ranked again, not refused
    assert upgraded.exit_code == 1 and "2 up-to-date" in upgraded.output, upgraded.output


def test_csv_outputs_for_a_batch(tmp_path):
    folder = submissions(tmp_path)
    (folder / "broken.xlsx").unlink()
    result = cli("rank", str(folder / "*.xlsx"), "--out-dir", tmp_path / "o", "--format", "csv")
    assert result.exit_code == 1 and len(list((tmp_path / "o").glob("*.ranked.csv"))) == 3


def test_out_with_several_sheets_is_a_usage_error(tmp_path):
    result = cli("rank", EXAMPLES / "tiered-service.xlsx", EXAMPLES / "ambassador-circle.xlsx",
                 "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "--out-dir" in result.output


def test_killed_run_leaves_no_partial_file_and_can_run_again(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    header = ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率",
              "优惠活动知晓率"]
    rows = [[f"E{i}", f"n{i}", f"c{i % 50}", "A类", 0.9, 0.85, 1.0] for i in range(12000)]
    write_xlsx(big / "s0.xlsx", [header, *rows])
    shutil.copy(big / "s0.xlsx", big / "s1.xlsx")  # written once, the slow part here
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "svcperf", "rank", str(big), "--out-dir", str(out),
           "--rules", "tiered-service", "-j", "1", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".*.part")):
        time.sleep(0.02)  # kill it while an output is being written
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert not list(out.glob(".*.part"))
    for done in out.glob("*.ranked.xlsx"):  # whatever exists is complete
        assert len(results(done)) == 12001
    assert subprocess.run(cmd, timeout=300).returncode == 0
    assert len(list(out.glob("*.ranked.xlsx"))) == 2


def test_stale_part_files_from_a_hard_kill_are_removed(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / ".x.ranked.xlsx.abc.part").write_bytes(b"half")
    cli("rank", EXAMPLES / "tiered-service.xlsx", EXAMPLES / "ambassador-circle.xlsx",
        "--out-dir", out)
    assert not list(out.glob(".*.part"))


def test_combined_ranks_every_sheet_as_one_population(tmp_path):
    header = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"]
    a = write_xlsx(tmp_path / "east.xlsx", [header, ["E1", "a", "东", 90, 90], ["E2", "b", "东", 70, 70]])
    b = write_xlsx(tmp_path / "west.xlsx", [header, ["W1", "c", "西", 95, 95], ["E1", "d", "西", 60, 60],
                                             ["W2", "e", "西", 80, 80]])
    (tmp_path / "bad.xlsx").write_bytes(b"nope")
    out = tmp_path / "out"
    result = cli("rank", a, b, tmp_path / "bad.xlsx", "--out-dir", out, "--combined",
                 out / "all.xlsx", "--rules", "ambassador-circle")
    assert result.exit_code == 2, result.output  # bad.xlsx could not be processed
    book = python_calamine.CalamineWorkbook.from_path(out / "all.xlsx")
    assert book.sheet_names == ["概览", "考核结果", "分组汇总", "未通过校验", "批量文件", "运行信息"]
    rows = book.get_sheet_by_name("考核结果").to_python()
    head = rows[0]
    ranked = {(r[head.index("工号")], r[head.index("文件")]): r[head.index("排名")] for r in rows[1:]}
    assert ranked == {("W1", "west.xlsx"): 1, ("E1", "east.xlsx"): 2, ("W2", "west.xlsx"): 3,
                      ("E2", "east.xlsx"): 4}
    rejected = book.get_sheet_by_name("未通过校验").to_python()
    reason = rejected[1][-1].replace("\xa0", " ")  # the book's language, where from included
    assert reason.startswith("west.xlsx A3 ") and "与第 2 行（east.xlsx）重复" in reason, reason
    batch = book.get_sheet_by_name("批量文件").to_python()
    combined = {Path(r[0]).name: r[batch[0].index("合并排名")] for r in batch[1:]}
    assert combined["east.xlsx"] == combined["west.xlsx"] == "一并排名"  # the book's language
    # why, in the book's language too (the terminal's is English): it was said in English
    assert combined["bad.xlsx"].startswith("未纳入：") and "不是电子表格" in combined["bad.xlsx"]
    assert {r[batch[0].index("状态")] for r in batch[1:]} == {"成功", "失败"}


def test_a_killed_single_rank_leaves_no_temporary_file(tmp_path):
    """SIGTERM at any moment of a run (reading, ranking, writing): no .part or .part.splice
    file is left, and stale ones of a hard kill are swept by the next run of that output."""
    import signal
    import subprocess
    import sys
    import time

    sheet = tmp_path / "big.xlsx"
    big_r1_sheet(sheet, 30000)
    out = tmp_path / "out.xlsx"
    stale = tmp_path / f".{out.name}.stale.part"
    stale.write_text("left by kill -9")
    for delay in (0.3, 0.9, 1.5):
        run = subprocess.Popen([sys.executable, "-m", "svcperf", "rank", str(sheet), "--rules",
                                "tiered-service", "-o", str(out), "-q"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=60)
        left = {p.name for p in tmp_path.glob(".*.part*")} - {stale.name}
        assert not left, (delay, left)  # the killed run's own temporary files are gone
    done = subprocess.run([sys.executable, "-m", "svcperf", "rank", str(sheet), "--rules",
                           "tiered-service", "-o", str(out), "-q", "--force"], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and out.is_file()
    assert not list(tmp_path.glob(".*.part*"))  # and the stale one was swept before writing


def test_two_inputs_for_one_output_are_refused_before_anything_is_written(tmp_path):
    from conftest import R1_HEADER, write_xlsx

    folder = tmp_path / "jan"
    folder.mkdir()
    write_xlsx(folder / "branch.xlsx", [R1_HEADER, ["E1", "a", "城东", "A类", 0.9, 0.9, 1, 0, 0]])
    (folder / "branch.csv").write_text(",".join(R1_HEADER) + "\nE2,b,城东,A类,90%,90%,100%,0,0\n",
                                       encoding="utf-8")
    result = cli("rank", folder, "--out-dir", tmp_path / "out", "--rules", "tiered-service")
    assert result.exit_code == 2 and "would both be written to" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_state_file_that_cannot_be_read_is_said_and_kept(tmp_path):
    """A state file cut short (a full disk, a hand edit) made every sheet fail with 'the
    folder's state file does not list it', and was then written over with {}: it is one error
    naming the file and the fix, and nothing is written."""
    from conftest import R1_HEADER, write_xlsx

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("a", "b"):
        write_xlsx(folder / f"{name}.xlsx", [R1_HEADER, ["E1", "张三", "城东", "A类", 0.9, 0.9, 1,
                                                         0, 0]])
    args = ("rank", folder, "--out-dir", out, "--rules", "tiered-service", "-q")
    assert cli(*args).exit_code == 0
    state = out / ".svcperf-state.json"
    state.write_text('{"a.ranked.xlsx": ', encoding="utf-8")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    for lang, said in (("en", "cannot be read"), ("zh", "无法读取")):
        result = cli(*args, "--lang", lang)
        assert result.exit_code == 2 and str(state) in result.output and said in result.output
        assert result.output.count("\n") == 1, result.output
    assert state.read_text(encoding="utf-8") == '{"a.ranked.xlsx": '
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_two_batches_into_one_folder_keep_each_others_state(tmp_path):
    from conftest import R1_HEADER, write_xlsx

    for folder, names in (("a", ("a1", "a2", "a3")), ("b", ("b1", "b2", "b3"))):
        (tmp_path / folder).mkdir()
        for n, name in enumerate(names):
            write_xlsx(tmp_path / folder / f"{name}.xlsx",
                       [R1_HEADER, [f"E{n}", "张三", "城东", "A类", 0.9, 0.9, 1, 0, 0]])
    out = tmp_path / "out"
    runs = [subprocess.Popen([sys.executable, "-m", "svcperf", "rank", str(tmp_path / folder),
                              "--out-dir", str(out), "--rules", "tiered-service", "-j", "1", "-q"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE) for folder in ("a", "b")]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read().decode() if run.stderr else ""
    state = json.loads((out / ".svcperf-state.json").read_text(encoding="utf-8"))
    assert set(state) == {f"{n}.ranked.xlsx" for n in ("a1", "a2", "a3", "b1", "b2", "b3")}


def test_workers_die_with_a_killed_batch(tmp_path):
    """kill -9 of the batch's process: its workers die too (parent-death signal), and the next
    run sweeps what they were writing and finishes the batch."""
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    big_r1_sheet(folder / "s0.xlsx", 12000, centres=40)
    for n in (1, 2):
        shutil.copy(folder / "s0.xlsx", folder / f"s{n}.xlsx")
    run = subprocess.Popen([sys.executable, "-m", "svcperf", "rank", str(folder), "--out-dir",
                            str(tmp_path / "out"), "--rules", "tiered-service", "-j", "2", "-q"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((tmp_path / "out").glob(".*.part*")):
        time.sleep(0.02)  # a worker is mid-sheet (writing its output) when the batch dies
    run.kill()
    run.wait(timeout=30)

    def ours() -> list[int]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in cmdline:
                found.append(int(pid))
        return found

    deadline = time.monotonic() + 1.5  # at once, not after finishing the sheet in hand
    while ours() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ours() == []
    again = subprocess.run([sys.executable, "-m", "svcperf", "rank", str(folder), "--out-dir",
                            str(tmp_path / "out"), "--rules", "tiered-service", "-j", "2", "-q"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()[-500:]
    assert not list((tmp_path / "out").glob(".*.part*"))
    assert len(list((tmp_path / "out").glob("*.ranked.xlsx"))) == 3


def test_the_summary_counts_rows_as_the_terminal_does_and_names_whose_rows_were_left_out(
        tmp_path):
    """summary.json said rows_read 10 where the terminal said 11 (1 a totals row) and had no
    count of the rows left out; a combined run listed 'rows 15' and 'rows 16' with no file."""
    folder = tmp_path / "in"
    folder.mkdir()
    for m in (1, 2):
        shutil.copy(EXAMPLES / f"ambassador-2026-0{m}.xlsx", folder)
    summary = tmp_path / "s.json"
    done = cli("rank", folder, "--out-dir", tmp_path / "out", "--summary", summary,
               "--combined", tmp_path / "all.xlsx")
    files = {Path(f["file"]).name: f for f in json.loads(summary.read_text("utf-8"))["files"]}
    first = files["ambassador-2026-01.xlsx"]
    assert (first["rows_read"], first["rows_left_out"]) == (
        first["rows_ranked"] + first["rows_rejected"] + 1, 1)
    assert "ambassador-2026-01.xlsx: totals rows left out (not people), 1 in all: rows 15" \
        in done.stdout
    assert "ambassador-2026-02.xlsx: totals rows left out" in done.stdout


def test_every_column_of_the_batch_sheet_has_a_header_in_both_languages():
    """groups_output was shown as its key in a Chinese workbook."""
    from dataclasses import fields

    from svcperf.batch import Outcome
    from svcperf.i18n import BATCH_HEADERS

    columns = {f.name for f in fields(Outcome)} - {"key"} | {"combined"}
    assert {lang: columns - set(heads) for lang, heads in BATCH_HEADERS.items()} == \
        {"en": set(), "zh": set()}


def test_combined_is_written_when_the_first_file_cannot_be_read(tmp_path):
    """bad.xlsx sorts before jan.xlsx: --combined took its rule set from the first file and
    was never written; a bad file sorting last was left out and listed."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "ambassador-2026-01.xlsx", folder / "jan.xlsx")
    (folder / "bad.xlsx").write_text("garbage")
    combined = tmp_path / "all.xlsx"
    result = cli("rank", folder, "--out-dir", tmp_path / "out", "--combined", combined,
                 "--rules", "ambassador-circle")
    assert combined.exists() and result.exit_code == 2  # the bad file is an error of the batch
    assert "left out of --combined: " in result.output and "bad.xlsx" in result.output


def test_a_killed_batch_stops_its_workers_at_once(tmp_path):
    """kill (SIGTERM) of a --jobs 2 batch reached its own process only: it waited for each
    worker to finish the sheet in hand, and the sheet queued after it, before saying
    "interrupted". Now the workers stop at once, their temporary files removed."""
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    big_r1_sheet(folder / "s0.xlsx", 20000, centres=40)
    for n in (1, 2, 3):
        shutil.copy(folder / "s0.xlsx", folder / f"s{n}.xlsx")
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "svcperf", "rank", str(folder), "--out-dir",
                            str(out), "--rules", "tiered-service", "-j", "2", "-q"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)

    def workers() -> list[str]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] \
                        == str(run.pid):
                    found.append(pid)
            except (OSError, IndexError):
                continue
        return found

    deadline = time.monotonic() + 30
    while len(workers()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # both are reading their sheet
    run.send_signal(signal.SIGTERM)
    start = time.monotonic()
    _, err = run.communicate(timeout=60)
    assert time.monotonic() - start < 3, "the batch waited for its workers' sheets"
    assert run.returncode == 130
    assert err.decode().splitlines() == [
        "svcperf: error: interrupted; no output was left half-written"]
    assert not list(out.glob(".*.part*"))
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers())


def test_summary_and_combined_never_take_the_place_of_what_the_batch_writes(tmp_path):
    """--combined at a sheet's own output path replaced that output, which the batch had just
    said it wrote; --summary there, or at the state file, did the same to them (the next run
    then refused every sheet). Now each is a usage error before anything is written."""
    folder = tmp_path / "in"
    folder.mkdir()
    for m in (1, 2):
        shutil.copy(EXAMPLES / f"ambassador-2026-0{m}.xlsx", folder)
    out = tmp_path / "out"
    for option, path, said in (
            ("--combined", out / "ambassador-2026-02.ranked.xlsx", "the result of "),
            ("--summary", out / "ambassador-2026-01.ranked.xlsx", "the result of "),
            ("--summary", out / ".svcperf-state.json", "own record of its outputs")):
        result = cli("rank", folder, "--out-dir", out, option, path, "-q")
        assert result.exit_code == 2 and said in result.output, result.output
        assert not out.exists()


def test_one_plain_line_per_file_whatever_the_file_is_called(tmp_path):
    """A line break in a file name broke the file's line in two in a batch's log (and
    validate's verdict line), and one file was counted as '1 files'."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "ambassador-2026-01.xlsx", folder / "east\nbranch.xlsx")
    result = cli("rank", folder, "--out-dir", tmp_path / "out")
    assert result.stdout.splitlines()[0].startswith("[1/1] ")
    assert "east branch.xlsx: ok" in result.stdout
    assert result.stdout.splitlines()[1].startswith("1 file: 1 ok; 10 rows ranked")
    checked = cli("validate", folder).stdout.splitlines()
    assert checked[0].endswith("east branch.xlsx") and checked[-1].endswith("(rule set "
                                                                             "ambassador-circle)")


def test_a_batch_never_writes_over_one_of_its_own_inputs(tmp_path):
    """x.xlsx and x.ranked.xlsx ranked together beside each other, with --force: x.xlsx's
    result replaced x.ranked.xlsx, an input of the same run."""
    shutil.copy(EXAMPLES / "ambassador-2026-01.xlsx", tmp_path / "x.xlsx")
    given = shutil.copy(EXAMPLES / "ambassador-2026-02.xlsx", tmp_path / "x.ranked.xlsx")
    before = given.read_bytes()
    result = cli("rank", tmp_path / "x.xlsx", given, "--force")
    assert result.exit_code == 2 and "which is also an input of this run" in result.output
    assert given.read_bytes() == before and not (tmp_path / "x.ranked.ranked.xlsx").exists()


def test_combined_says_a_sheet_of_another_rule_set_is_one(tmp_path):
    """An R1 sheet in a folder of R4 sheets was left out of --combined with 'no column for
    satisfaction; add a column headed 满意度得分 ...' for every R4 field: advice to rebuild a
    sheet that is fine, of another scheme."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "ambassador-2026-01.xlsx", folder / "a.xlsx")
    shutil.copy(EXAMPLES / "tiered-service.xlsx", folder / "b.xlsx")
    result = cli("rank", folder, "--out-dir", tmp_path / "out", "--combined", tmp_path / "all.xlsx")
    assert result.exit_code == 2
    assert f"left out of --combined: {folder / 'b.xlsx'} matches the rule set tiered-service by " \
           "its headers, not ambassador-circle" in result.output, result.output
    assert "add a column" not in result.output
