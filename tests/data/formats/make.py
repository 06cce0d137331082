"""Write layout.xlsx with openpyxl and convert it to layout.ods and layout.xls with LibreOffice.

Run from anywhere: python tests/data/formats/make.py (needs soffice). The files it writes are
committed, so the tests need neither LibreOffice nor this script.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def layout() -> Path:
    """A title merged wider than the table, a 2-row header, a group cell merged down, a hidden row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成绩"
    ws.append(["10月考核"])
    ws.append(["工号", "中心", "指标"])
    ws.append([None, None, "知晓率", "满意率", "超时"])
    ws.append(["E1", "东区", 0.95, 0.8, 1])
    ws.append(["E2", None, 0.9, 0.6, 2])
    ws.append(["E3", None, 0.85, 0.4, 3])
    ws.append(["E4", "西区", 1, 1, 0])
    for cells in ("A1:G1", "A2:A3", "B2:B3", "C2:E2", "B4:B6", "A10:B11"):
        ws.merge_cells(cells)
    ws.row_dimensions[6].hidden = True
    path = HERE / "layout.xlsx"
    wb.save(path)
    return path


def convert(path: Path, to: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed to make the fixtures"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", to, "--outdir", str(HERE), str(path)],
                       check=True, capture_output=True, timeout=180)


if __name__ == "__main__":
    source = layout()
    convert(source, "ods")
    convert(source, "xls")  # MS Excel 97 (BIFF8)
