"""CSV, TXT and MD: encodings, delimiters, decimal commas, and content-based types."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from file_factories import make_docx, make_pdf, make_xlsx, write_file
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.documents import DocType
from knowledge.errors import DamagedFileError, UnsupportedFileError
from knowledge.parsing import detect_type, parse_file
from knowledge.parsing.text_decoding import decode_text

MAX = 10 * 1024 * 1024
LEDGER = (
    "Date;Beneficiary;Amount;Currency;Memo\n"
    "05/03/2024;Müller GmbH;1.234,56;EUR;Café supplies\n"
    "13/03/2024;Société Générale;12.500,00;EUR;Prêt\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16", b""),  # Python writes a BOM for plain "utf-16"
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("latin-1", b""),
        ("cp1252", b""),
    ],
)
def test_csv_encodings_read_the_same(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = write_file(tmp_path, f"export {encoding}.csv", prefix + LEDGER.encode(encoding))
    document = parse_file(path, max_bytes=MAX)
    assert document.doc_type is DocType.CSV
    assert "Müller GmbH" in document.text
    assert "Société Générale" in document.text
    assert not document.text.startswith("\ufeff")
    first, second = document.rows
    assert (first.party, first.amount, first.currency) == ("Müller GmbH", Decimal("1234.56"), "EUR")
    assert second.amount == Decimal("12500.00")
    assert first.date == date(2024, 3, 5)  # 13/03 in the column makes it day-first
    assert first.memo == "Café supplies"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["date", "party", "amount"], ["2024-05-01", "Blue Ridge, LLC", "84312.55"]]
    lines = [delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows]
    lines.append(delimiter.join(["2024-05-02", "Keystone", "18950.00"]))
    path = write_file(tmp_path, "ap.csv", ("\n".join(lines) + "\n").encode())
    document = parse_file(path, max_bytes=MAX)
    assert [row.party for row in document.rows] == ["Blue Ridge, LLC", "Keystone"]
    assert document.rows[0].amount == Decimal("84312.55")


def test_csv_rows_are_cited_by_span_and_cells_are_substrings(tmp_path: Path) -> None:
    content = 'date,party,amount,memo\n2024-05-01,"Acme ""Intl""",100,"multi\nline"\n'
    path = write_file(tmp_path, "quoted.csv", content.encode())
    document = parse_file(path, max_bytes=MAX)
    page = document.pages[0].text
    (row,) = document.rows
    assert row.raw == {
        "date": "2024-05-01",
        "party": 'Acme "Intl"',
        "amount": "100",
        "memo": "multi\nline",
    }
    start, end = row.span
    for cell in row.raw.values():
        assert cell in page[start:end]
    assert row.row_number == 2


def test_txt_and_md_keep_their_text(tmp_path: Path) -> None:
    txt = write_file(tmp_path, "note.txt", b"Dear client,\r\nan assured 9% annual yield.\r\n")
    md = write_file(
        tmp_path, "policy.md", b"# Policy\n\n- Facilitation payments are prohibited.\n- x\n"
    )
    assert parse_file(txt, max_bytes=MAX).text == "Dear client,\nan assured 9% annual yield.\n"
    document = parse_file(md, max_bytes=MAX)
    assert document.doc_type is DocType.MD
    assert "Facilitation payments are prohibited." in document.text


def test_markdown_table_is_not_mistaken_for_a_csv(tmp_path: Path) -> None:
    content = "# Limits\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"
    path = write_file(tmp_path, "limits.md", content.encode())
    assert parse_file(path, max_bytes=MAX).doc_type is DocType.MD


def test_random_bytes_named_txt_are_unsupported(tmp_path: Path) -> None:
    path = write_file(tmp_path, "notes.txt", os.urandom(4096))
    with pytest.raises(UnsupportedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert "notes.txt" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("photo.pdf", b"GIF89a" + b"\x00" * 64),  # PNG, JPEG and TIFF are read by OCR
        ("photo.csv", b"BM" + b"\x00" * 64),
        ("archive.txt", b"\x1f\x8b\x08" + b"\x00" * 64),
        ("tool.md", b"\x7fELF" + b"\x00" * 64),
    ],
)
def test_other_binaries_are_unsupported_whatever_the_name(
    tmp_path: Path, name: str, head: bytes
) -> None:
    path = write_file(tmp_path, name, head)
    with pytest.raises(UnsupportedFileError):
        detect_type(head, path)
    with pytest.raises(UnsupportedFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert name in str(caught.value)


def test_type_comes_from_content_not_name(tmp_path: Path) -> None:
    renamed = {
        "report.csv": make_pdf(tmp_path, "a.pdf", ["text"]),
        "contract.pdf": make_docx(tmp_path, "b.docx", ["text"]),
        "ledger.txt": make_xlsx(tmp_path, "c.xlsx", {"S": [["a", "b"]]}),
    }
    expected = {"report.csv": DocType.PDF, "contract.pdf": DocType.DOCX, "ledger.txt": DocType.XLSX}
    for name, source in renamed.items():
        path = write_file(tmp_path, name, source.read_bytes())
        assert detect_type(path.read_bytes()[:8192], path) is expected[name]
        assert parse_file(path, max_bytes=MAX).doc_type is expected[name]


def test_tabular_text_without_extension_is_csv(tmp_path: Path) -> None:
    path = write_file(tmp_path, "export", b"a,b,c\n1,2,3\n4,5,6\n")
    assert detect_type(path.read_bytes(), path) is DocType.CSV


def test_truncated_zip_named_xlsx_is_damaged(tmp_path: Path) -> None:
    data = make_xlsx(tmp_path, "x.xlsx", {"S": [["a", "b"]] * 500}).read_bytes()
    path = write_file(tmp_path, "cut.xlsx", data[:200])
    with pytest.raises(DamagedFileError):
        parse_file(path, max_bytes=MAX)


def test_whitespace_only_text_is_empty(tmp_path: Path) -> None:
    from knowledge.errors import EmptyFileError

    path = write_file(tmp_path, "blank.txt", b"  \n\n\t \n")
    with pytest.raises(EmptyFileError) as caught:
        parse_file(path, max_bytes=MAX)
    assert "blank.txt" in str(caught.value)


def test_unicode_and_shell_characters_in_names(tmp_path: Path) -> None:
    for name in ["my report (final).txt", "résumé ü 東京.txt", "$(rm -rf x); `ls` & 'q'.txt"]:
        path = write_file(tmp_path, name, b"plain words here\n")
        assert parse_file(Path(path), max_bytes=MAX).text == "plain words here\n"


_cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from(list(",;|\t\"' \n")),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_cell, min_size=4, max_size=4), min_size=1, max_size=6),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_any_csv_round_trips_its_cells(rows: list[list[str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["date", "party", "amount", "memo"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), "any.csv", buffer.getvalue().encode())
        document = parse_file(path, max_bytes=MAX)
    expected = [row for row in rows if any(cell.strip() for cell in row)]
    assert [list(row.raw.values()) for row in document.rows] == expected
    page = document.pages[0].text
    for row in document.rows:
        for cell in row.raw.values():
            assert cell in page[slice(*row.span)]


def test_bank_export_with_title_lines_above_the_table(tmp_path: Path) -> None:
    content = (
        "Kontoauszug, Konto DE12 5001 0517 0648 4898 90\n"
        "Zeitraum: 01.03.2024 - 31.03.2024\n"
        "\n"
        "Buchungstag;Empfänger;Verwendungszweck;Betrag;Währung\n"
        "05.03.2024;Müller, Schmidt & Co;Rechnung 4711, März;-1.234,56;EUR\n"
        "06.03.2024;Bäckerei Kraus;Miete;9.800,00;EUR\n"
    )
    path = write_file(tmp_path, "auszug.csv", content.encode("cp1252"))
    document = parse_file(path, max_bytes=MAX)
    first, second = document.rows
    assert first.row_number == 5
    assert (first.party, first.amount, first.currency) == (
        "Müller, Schmidt & Co",
        Decimal("-1234.56"),
        "EUR",
    )
    assert first.date == date(2024, 3, 5)
    assert second.amount == Decimal("9800.00")
    assert "Zeitraum: 01.03.2024 - 31.03.2024" in document.pages[0].text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Buchungstag;Empfänger;Betrag;Währung\n05.03.2024;Müller & Co;-1.234,56;EUR\n", "cp1252"),
        ("Date;Bénéficiaire;Libellé\n05/03/2024;Société Générale;Prêt à taux zéro\n", "latin-1"),
        ("Data;Odbiorca;Tytuł\n05.03.2024;Zakład Usług;Opłata za żółć\n", "cp1250"),
        ("Дата;Получатель;Назначение\n05.03.2024;ООО Ромашка;Оплата по счету\n", "cp1251"),
        ("Fecha,Beneficiario,Concepto\n05/03/2024,José Núñez,Pago de señal\n", "cp1252"),
        ("日付,取引先,摘要\n2024/03/05,株式会社テスト,請求書\n", "shift_jis"),
        ("Name;Ort\nMüller;Köln\n", "cp1252"),
    ],
)
def test_short_legacy_exports_decode_in_their_code_page(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


def test_zip_renamed_pdf_is_unsupported(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "statement.pdf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("statement.txt", "balance 100")
    with pytest.raises(UnsupportedFileError) as caught:
        detect_type(path.read_bytes()[:8192], path)
    assert "statement.pdf is a zip archive" in str(caught.value)


def test_every_format_accepts_awkward_names(tmp_path: Path) -> None:
    awkward = "Q1 ledger (final) $(whoami); `ls` & 'x' ü 東京"
    files = [
        make_pdf(tmp_path, f"{awkward}.pdf", ["cash deposit"]),
        make_docx(tmp_path, f"{awkward}.docx", ["cash deposit"]),
        make_xlsx(tmp_path, f"{awkward}.xlsx", {"S": [["memo", "amount"], ["cash deposit", 1]]}),
        write_file(tmp_path, f"{awkward}.csv", b"memo,amount\ncash deposit,1\n"),
        write_file(tmp_path, f"{awkward}.md", b"# cash deposit\n"),
    ]
    for path in files:
        assert "cash deposit" in parse_file(path, max_bytes=MAX).text, path.name
