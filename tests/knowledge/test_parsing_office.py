"""DOCX and XLSX parsing, including hostile and damaged containers."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from file_factories import make_docx, make_xlsx, rezip, write_file

from knowledge.documents import DocType
from knowledge.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    UnsafeFileError,
    UnsupportedFileError,
)
from knowledge.parsing import parse_file

MAX = 10 * 1024 * 1024


def assert_names_file(message: str, path: Path) -> None:
    assert path.name in message
    assert "\n" not in message


def test_docx_paragraphs_and_cells_in_document_order(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path,
        "contract.docx",
        ["1. Definitions", [["Party", "Role"], ["Acme Bank", "Customer"]], "2. Term"],
    )
    document = parse_file(path, max_bytes=MAX)
    assert document.doc_type is DocType.DOCX
    assert [page.number for page in document.pages] == [1]
    text = document.pages[0].text
    positions = [text.index(s) for s in ("1. Definitions", "Acme Bank", "Customer", "2. Term")]
    assert positions == sorted(positions)


def test_docx_that_is_only_a_table(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path, "only table.docx", [[["Client", "Limit"], ["Orion LLC", "$250,000"]]]
    )
    document = parse_file(path, max_bytes=MAX)
    assert "Orion LLC" in document.text
    assert "$250,000" in document.text


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    from docx import Document

    word = Document()
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "merged heading"
    table.cell(1, 0).text = "left"
    path = tmp_path / "merged.docx"
    word.save(str(path))
    assert parse_file(path, max_bytes=MAX).text.count("merged heading") == 1


def test_xlsx_every_sheet_is_a_page_and_rows_are_typed(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path,
        "ledger.xlsx",
        {
            "Notes": [["Branch 7 cash ledger"], ["Prepared by ops"]],
            "March": [
                ["Date", "Customer / Party", "Type", "Amount", "Currency", "Country", "Memo"],
                [datetime(2024, 3, 5), "Brightline LLC", "Cash deposit", 9400, "USD", "US", "x"],
                [datetime(2024, 3, 6), "Orion", "Wire", 12500.5, "EUR", "DE", "Inv 4"],
            ],
        },
    )
    document = parse_file(path, max_bytes=MAX)
    assert [(p.number, p.label) for p in document.pages] == [(1, "Notes"), (2, "March")]
    assert len(document.rows) == 2
    first = document.rows[0]
    assert (first.sheet, first.row_number, first.page_number) == ("March", 2, 2)
    assert first.date == date(2024, 3, 5)
    assert (first.party, first.type, first.amount, first.currency) == (
        "Brightline LLC",
        "Cash deposit",
        Decimal(9400),
        "USD",
    )
    assert document.rows[1].amount == Decimal("12500.5")
    page = document.pages[1].text
    start, end = first.span
    assert "Brightline LLC" in page[start:end]
    assert "2024-03-05" in page[start:end]


def test_xlsx_empty_sheet_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, "gaps.xlsx", {"Data": [["Party", "Amount"], ["A", 1]], "Empty": []})
    document = parse_file(path, max_bytes=MAX)
    assert [p.label for p in document.pages] == ["Data", "Empty"]
    assert document.pages[1].text == ""
    assert document.warnings == ["sheet 'Empty' is empty"]


def test_xlsx_formula_gives_cached_value_or_nothing(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path, "formula.xlsx", {"S": [["Party", "Amount"], ["A", 5], ["B", "=B2*2"]]}
    )
    document = parse_file(path, max_bytes=MAX)
    assert len(document.rows) == 2  # no cached value: the formula cell is empty


def zip_bomb(path: Path, member: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, b"<a>" + b"0" * (30 * 1024 * 1024) + b"</a>")
    return path


@pytest.mark.parametrize("member", ["word/document.xml", "xl/workbook.xml"])
def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, member: str) -> None:
    path = zip_bomb(tmp_path / "bomb.docx", member)
    limit = 1024 * 1024
    assert path.stat().st_size < limit  # 30 MB declared behind ~30 kB
    with pytest.raises(UnsafeFileError) as caught:
        parse_file(path, max_bytes=limit)
    assert_names_file(str(caught.value), path)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!-- a long comment to push the DOCTYPE further in -->
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"""


def test_docx_with_entity_definitions_is_unsafe(tmp_path: Path) -> None:
    source = make_docx(tmp_path, "plain.docx", ["hello"])
    path = rezip(source, tmp_path / "laughs.docx", {"word/document.xml": BILLION_LAUGHS})
    with pytest.raises(UnsafeFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_xlsx_with_external_entity_is_unsafe(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path, "plain.xlsx", {"S": [["a", "b"]]})
    path = rezip(source, tmp_path / "xxe.xlsx", {"xl/workbook.xml": EXTERNAL_ENTITY})
    with pytest.raises(UnsafeFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_truncated_docx_is_damaged(tmp_path: Path) -> None:
    data = make_docx(tmp_path, "full.docx", ["text " * 2000]).read_bytes()
    path = write_file(tmp_path, "half.docx", data[: len(data) // 2])
    with pytest.raises(DamagedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_docx_with_broken_xml_is_damaged(tmp_path: Path) -> None:
    source = make_docx(tmp_path, "ok.docx", ["hello"])
    path = rezip(source, tmp_path / "broken.docx", {"word/document.xml": b"<w:document><oops"})
    with pytest.raises(DamagedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_xlsx_with_broken_sheet_is_damaged(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path, "ok.xlsx", {"S": [["a", "b"], [1, 2]]})
    path = rezip(source, tmp_path / "broken.xlsx", {"xl/worksheets/sheet1.xml": b"<worksheet"})
    with pytest.raises(DamagedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_plain_zip_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(UnsupportedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def ole2_file(path: Path, payload: bytes) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + payload)
    return path


def test_password_protected_office_file_is_encrypted(tmp_path: Path) -> None:
    path = ole2_file(tmp_path / "locked.xlsx", "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_legacy_office_file_is_unsupported(tmp_path: Path) -> None:
    path = ole2_file(tmp_path / "old.doc", "WordDocument".encode("utf-16-le"))
    with pytest.raises(UnsupportedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert ".docx" in str(caught.value)
    assert_names_file(str(caught.value), path)


def test_archive_expanding_far_beyond_the_size_limit_is_unsafe(tmp_path: Path) -> None:
    path = tmp_path / "wide.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for index in range(2):  # each member under the per-member ratio check
            archive.writestr(f"xl/worksheets/sheet{index}.xml", b" " * (8 * 1024 * 1024))
    with pytest.raises(UnsafeFileError) as caught:
        parse_file(path, max_bytes=64 * 1024)
    assert "expands to" in str(caught.value)


def test_workbook_with_only_empty_sheets_is_empty(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, "blank book.xlsx", {"One": [], "Two": []})
    with pytest.raises(EmptyFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    path = make_docx(tmp_path, "blank.docx", ["", "   "])
    with pytest.raises(EmptyFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert_names_file(str(caught.value), path)


def test_bogus_sheet_dimension_does_not_pad_rows(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path, "ok.xlsx", {"S": [["Party", "Amount"], ["A", 1]]})
    with zipfile.ZipFile(source) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    widened = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet_xml)
    assert widened != sheet_xml
    path = rezip(source, tmp_path / "wide.xlsx", {"xl/worksheets/sheet1.xml": widened})
    document = parse_file(path, max_bytes=MAX)
    assert document.pages[0].text == "Party | Amount\nA | 1"
    assert document.rows[0].raw == {"Party": "A", "Amount": "1"}


TEXT_BOX_DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
  xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps">
<w:body>
<w:p><w:r><w:t>Before the box.</w:t></w:r><w:r><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
<w:p><w:r><w:t>Guaranteed 12% return</w:t></w:r>
<w:r><w:t xml:space="preserve"> every year</w:t></w:r></w:p>
</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
<w:p><w:r><w:t>Guaranteed 12% return every year</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r></w:p>
<w:p><w:r><w:t>After the box.</w:t></w:r></w:p>
<w:sectPr/>
</w:body></w:document>"""


def test_docx_text_boxes_are_read_once_in_place(tmp_path: Path) -> None:
    source = make_docx(tmp_path, "plain.docx", ["placeholder"])
    path = rezip(source, tmp_path / "flyer.docx", {"word/document.xml": TEXT_BOX_DOCUMENT})
    text = parse_file(path, max_bytes=MAX).text
    assert text.count("Guaranteed 12% return every year") == 1
    assert text.index("Before the box.") < text.index("Guaranteed") < text.index("After the box.")


def test_table_away_from_the_corner_keeps_real_row_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Offset"
    sheet["C3"], sheet["D3"], sheet["C4"], sheet["D4"] = "Party", "Amount", "Acme", 5
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    document = parse_file(path, max_bytes=MAX)
    assert document.pages[0].text == "Party | Amount\nAcme | 5"
    (row,) = document.rows
    assert (row.row_number, row.raw, row.amount) == (4, {"Party": "Acme", "Amount": "5"}, 5)


def test_macro_enabled_word_file_is_unsupported_with_advice(tmp_path: Path) -> None:
    source = make_docx(tmp_path, "plain.docx", ["hello"])
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
    docm_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert docm_types != types
    path = rezip(source, tmp_path / "memo.docm", {"[Content_Types].xml": docm_types})
    with pytest.raises(UnsupportedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert str(caught.value).startswith("memo.docm is a macro-enabled Word file")
