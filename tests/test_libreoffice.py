"""Open a result workbook the way a person would: LibreOffice converts it to CSV headless."""

import csv
import os
import shutil
import subprocess

import pytest

from conftest import EXAMPLES, cli

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    not SOFFICE and not os.environ.get("CI"), reason="LibreOffice is not installed here")


@needs_soffice
def test_results_sheet_reads_back_in_libreoffice(tmp_path):
    assert SOFFICE, "CI must install LibreOffice (.ci/run does)"
    out = tmp_path / "r.xlsx"
    assert cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q").exit_code == 1
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,"
                    "false,false,2",  # the second sheet: Results (the Overview comes first)
                    "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "r-考核结果.csv").open(encoding="utf-8")))
    header = rows[0]
    assert header[:3] == ["排名", "组内排名", "工号"]
    firsts = [dict(zip(header, r, strict=False)) for r in rows[1:] if r[0] == "1"]
    assert {f["得分"] for f in firsts} == {"100.00"}
    assert "95.00%" in {f["客户经理知晓率"] for f in firsts}
    assert {f["激励比例%"] for f in firsts} <= {"-3%", "+5%", "+3%", "-5%"}
    by_id = {r[2]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    assert by_id["E009"]["得分"] == "99.50" and by_id["E006"]["得分"] == "0.00"
