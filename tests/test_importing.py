"""Importing operators' files: every data row ends accepted (maybe warned) or refused with its
file, row and reason; only a file that is not a table of the expected kind raises."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repse.core import importing
from repse.core.errors import ImportFileError, RepseError
from repse.core.importing import (
    FilaRfc,
    entrada,
    entrada_acto,
    entrada_opiniones,
    entrada_padron,
    leer,
    leer_opiniones,
    leer_padron,
    leer_rfcs,
)
from repse.core.inputs import CancelacionImpedida, Exhorto, InputError, Opiniones, Padron
from repse.core.plazos import MX

NANDU = "ÑANDÚ CONSTRUCCIONES, S.A. DE C.V."
# RFCs with valid check digits (the spec book's examples and a few more).
MORAL, FISICA, OTRA = "MAB9307148T4", "GODE561231GR8", "AEL7407151YA"
ENCABEZADO = "RFC,Razón social,Folio,Fecha de registro"
AT = datetime(2026, 1, 26, 9, 0, tzinfo=MX)


def archivo(tmp_path: Path, texto: str, nombre: str = "padron.csv",
            encoding: str = "utf-8") -> Path:
    path = tmp_path / nombre
    path.write_bytes(texto.encode(encoding))
    return path


def motivos(lectura) -> dict[int, str]:
    return {r.fila: r.motivo for r in lectura.rechazos}


def test_docstring_examples():
    import doctest

    assert doctest.testmod(importing).failed == 0


# --- encodings, separators, headers -------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "nota"), [
    ("utf-8", "codificación UTF-8"),
    ("utf-8-sig", "codificación UTF-8 con BOM"),
    ("latin-1", "codificación Latin-1 (Windows-1252)"),
    ("cp1252", "codificación Latin-1 (Windows-1252)"),
    ("utf-16", "codificación UTF-16"),
])
def test_accents_and_enye_survive_every_encoding(tmp_path, encoding, nota):
    texto = f'{ENCABEZADO}\r\n{MORAL},"{NANDU}",AR123/2024,2024-01-05\r\n'
    lectura = leer_padron(archivo(tmp_path, texto, encoding=encoding))
    assert [f.razon_social for f in lectura.filas] == [NANDU]
    assert lectura.notas[0] == nota
    assert lectura.rechazos == ()


def test_a_file_glued_from_two_encodings_keeps_both_halves(tmp_path):
    data = (f"{ENCABEZADO}\r\n".encode()
            + f'{MORAL},"{NANDU}",F1,2024-01-05\r\n'.encode()
            + f"{FISICA},JOSÉ PEÑA NÚÑEZ,F2,2024-01-05\r\n".encode("latin-1"))
    path = tmp_path / "padron.csv"
    path.write_bytes(data)
    lectura = leer_padron(path)
    assert [f.razon_social for f in lectura.filas] == [NANDU, "JOSÉ PEÑA NÚÑEZ"]
    assert lectura.notas[0] == "codificación mixta: 1 línea en Latin-1 y 2 en UTF-8"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separator_is_sniffed_from_the_header(tmp_path, sep):
    texto = (sep.join(["RFC", "Razón social", "Folio", "Fecha de registro"]) + "\n"
             + sep.join([MORAL, '"ACME, S.A.; DE C.V."', "F1", "2024-01-05"]) + "\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert lectura.filas[0].razon_social == "ACME, S.A.; DE C.V."


@pytest.mark.parametrize("encabezado", [
    "RFC,Razón social,Folio,Fecha de registro",
    "rfc;razon_social;folio;fecha_registro",
    " Rfc , RAZÓN SOCIAL , FOLIO , FECHA DE REGISTRO ",
    "R.F.C.,Razon Social,Folio REPSE,Fecha_de_Registro",
    "Fecha de registro,Folio,Nombre o razón social,RFC del contratista,Observaciones",
])
def test_headers_are_matched_leniently_and_in_any_order(tmp_path, encabezado):
    sep = ";" if ";" in encabezado else ","
    valores = {"rfc": MORAL, "razon": "ACME", "folio": "F1", "fecha": "2024-01-05",
               "observaciones": "nada"}
    orden = [next(k for k in valores if importing._clave(c).startswith(k[:4])
                  or (k == "razon" and "nombre" in importing._clave(c)))
             for c in encabezado.split(sep)]
    texto = f"{encabezado}\n{sep.join(valores[k] for k in orden)}\n"
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [(f.rfc, f.razon_social, f.folio, f.fecha_registro) for f in lectura.filas] == [
        (MORAL, "ACME", "F1", date(2024, 1, 5))]


def test_a_missing_required_column_refuses_the_file_naming_what_it_found(tmp_path):
    texto = f"RFC,Nombre comercial,Folio\n{MORAL},ACME,F1\n"
    with pytest.raises(ImportFileError) as exc:
        leer_padron(archivo(tmp_path, texto))
    assert str(exc.value) == (
        "padron.csv: faltan las columnas obligatorias «Razón social» y «Fecha de registro»; "
        "columnas encontradas en la fila 1: «RFC», «Nombre comercial», «Folio»")
    assert isinstance(exc.value, RepseError)


@pytest.mark.parametrize(("contenido", "motivo"), [
    (b"", "el archivo está vacío: no tiene encabezado ni filas"),
    (b"\r\n ;; \r\n", "el archivo está vacío: no tiene encabezado ni filas"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "es un libro de Excel 97-2003 (XLS), que no se lee: "
                                              "guárdelo como XLSX o CSV"),
    (b"PK\x03\x04broken", "no es un libro XLSX legible: el archivo está dañado o tiene otro "
                           "formato; ábralo y guárdelo de nuevo como XLSX"),
    (b"RFC,RFC,Opinion\n", "la columna «RFC» aparece dos veces en el encabezado (fila 1, "
                           "columnas 1 y 2)"),
])
def test_files_that_are_no_table_raise(tmp_path, contenido, motivo):
    path = tmp_path / "opiniones.csv"
    path.write_bytes(contenido)
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(path)
    assert exc.value.motivo == motivo


def test_a_missing_file_or_a_folder_raises(tmp_path):
    with pytest.raises(ImportFileError, match="no existe el archivo"):
        leer_rfcs(tmp_path / "nada.csv")
    with pytest.raises(ImportFileError, match="es una carpeta, no un archivo"):
        leer_rfcs(tmp_path)


# --- rows -----------------------------------------------------------------------------------

def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path):
    texto = f"\n{ENCABEZADO}\n\n{MORAL},A,F1,2024-01-05\n,,,\n  \n{FISICA},B,F2,2024-01-05\n"
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.fila for f in lectura.filas] == [4, 7]
    assert lectura.filas_leidas == 2


def test_trailing_spaces_and_inner_runs_are_cleaned(tmp_path):
    texto = (f"{ENCABEZADO},Correo,Domicilio\n  {MORAL.lower()}  ,  ACME   S.A.  ,F1 , "
             "2024-01-05 ,  a@b.mx , \n")
    (fila,) = leer_padron(archivo(tmp_path, texto)).filas
    assert (fila.rfc, fila.razon_social, fila.folio, fila.correo, fila.domicilio) == (
        MORAL, "ACME S.A.", "F1", "a@b.mx", None)


def test_rfc_errors_refuse_and_check_digit_failures_warn(tmp_path):
    texto = (f"{ENCABEZADO}\n{MORAL},A,F1,2024-01-05\nMAB9307148T5,B,F2,2024-01-05\n"
             "XAXX010101000,C,F3,2024-01-05\nMAB-307148T4,D,F4,2024-01-05\n"
             "XEXX010101000,E,F5,2024-01-05\n,F,F6,2024-01-05\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.rfc for f in lectura.filas] == [MORAL, "MAB9307148T5"]
    assert [(a.fila, a.rfc, a.motivo) for a in lectura.avisos] == [
        (3, "MAB9307148T5", "dígito verificador no coincide (se esperaba 4); el SAT acepta "
                            "algunos RFC así")]
    assert motivos(lectura) == {
        4: "RFC genérico: nunca es un contratista",
        5: "RFC mal formado «MAB-307148T4»: se esperan 3 letras, fecha AAMMDD y homoclave de 3 "
           "caracteres",
        6: "RFC genérico: nunca es un contratista",
        7: "RFC vacío",
    }


def test_a_repeated_rfc_is_refused_at_its_second_occurrence(tmp_path):
    texto = (f"{ENCABEZADO}\n{MORAL},A,F1,2024-01-05\n{FISICA},B,F2,no sé\n"
             f"{MORAL.lower()} ,A bis,F3,2024-01-05\n{FISICA},B,F2,2024-01-05\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.fila for f in lectura.filas] == [2]
    assert motivos(lectura) == {
        3: "fecha de registro no válida «no sé» (se espera AAAA-MM-DD o DD/MM/AAAA)",
        4: "RFC duplicado: ya aparece en la fila 2",
        5: "RFC duplicado: ya aparece en la fila 3 (también rechazada)",
    }


@pytest.mark.parametrize(("celda", "esperada"), [
    ("2024-01-05", date(2024, 1, 5)),
    ("05/01/2024", date(2024, 1, 5)),
    ("5/1/2024", date(2024, 1, 5)),
    ("2024-01-05 00:00:00", date(2024, 1, 5)),
    ("2024-01-05T10:30", date(2024, 1, 5)),
    ("31/02/2020", "fecha de registro no válida «31/02/2020»: ese día no existe"),
    ("2024-13-01", "fecha de registro no válida «2024-13-01»: ese día no existe"),
    ("01-05-2024", "fecha de registro no válida «01-05-2024» (se espera AAAA-MM-DD o "
                   "DD/MM/AAAA)"),
    ("45296", "fecha de registro no válida «45296» (se espera AAAA-MM-DD o DD/MM/AAAA)"),
    ("", "falta la fecha de registro"),
])
def test_registration_dates(tmp_path, celda, esperada):
    lectura = leer_padron(archivo(tmp_path, f"{ENCABEZADO}\n{MORAL},A,F1,{celda}\n"))
    if isinstance(esperada, date):
        assert lectura.filas[0].fecha_registro == esperada
    else:
        assert motivos(lectura) == {2: esperada}


def test_empty_and_garbage_cells_refuse_the_row_with_every_reason(tmp_path):
    texto = f"{ENCABEZADO}\n{MORAL}, ,,31/02/2020\n{FISICA},AC\x00ME,F1,2024-01-05\n"
    assert motivos(leer_padron(archivo(tmp_path, texto))) == {
        2: "falta la razón social; falta el folio; fecha de registro no válida «31/02/2020»: "
           "ese día no existe",
        3: "razón social con caracteres de control (U+0000)",
    }


def test_truncated_rows_and_unquoted_separators(tmp_path):
    texto = (f"{ENCABEZADO},Correo,Domicilio\n"
             f"{MORAL},A,F1,2024-01-05\n"  # only optional columns missing: accepted
             f"{FISICA},B\n"  # truncated
             f"{OTRA},ACME, S.A. DE C.V.,F3,2024-01-05,a@b.mx,Centro\n")  # an unquoted comma
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.fila for f in lectura.filas] == [2]
    assert motivos(lectura) == {
        3: "fila incompleta: tiene 2 de 6 columnas; faltan «Folio» y «Fecha de registro»",
        4: "la fila tiene 1 celda con datos más allá del encabezado (¿un separador sin comillas "
           "dentro de un valor?)",
    }


def test_a_truncated_row_before_the_rfc_column_says_so_once(tmp_path):
    texto = "Razón social,Folio,Fecha de registro,RFC\nACME,F1\n"
    assert motivos(leer_padron(archivo(tmp_path, texto))) == {
        2: "fila incompleta: tiene 2 de 4 columnas; faltan «Fecha de registro» y «RFC»"}


def test_a_garbage_rfc_does_not_flood_the_report(tmp_path):
    lectura = leer_rfcs(archivo(tmp_path, "RFC\n" + "X" * 5000 + "\n", "exhorto.csv"))
    assert motivos(lectura) == {2: "RFC mal formado «XXXXXXXXXXXXXXXXXXX…»: tiene 5,000 "
                                   "caracteres; se esperan 12 (persona moral) o 13 (persona "
                                   "física)"}
    assert len(lectura.rechazos[0].rfc) == 40


def test_a_quoted_cell_may_span_lines(tmp_path):
    texto = (f"{ENCABEZADO},Domicilio\n{MORAL},A,F1,2024-01-05,\"Av. Juárez 10\nCol. Centro\"\n"
             f"{FISICA},B,F2,2024-01-05,\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [(f.fila, f.domicilio) for f in lectura.filas] == [
        (2, "Av. Juárez 10 Col. Centro"), (4, None)]


def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path):
    texto = (f"{ENCABEZADO}\n{MORAL},\"ACME, S.A.,F1,2024-01-05\n"
             f"{FISICA},B,F2,2024-01-05\n{OTRA},C\",F3,2024-01-05\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.fila for f in lectura.filas] == [3, 4]
    assert lectura.filas[1].razon_social == 'C"'
    assert motivos(lectura) == {
        2: "fila incompleta: tiene 2 de 4 columnas; faltan «Folio» y «Fecha de registro»"}


def test_optional_email_is_checked_but_only_warns(tmp_path):
    texto = f"{ENCABEZADO},Correo electrónico\n{MORAL},A,F1,2024-01-05,contacto@acme\n"
    lectura = leer_padron(archivo(tmp_path, texto))
    assert lectura.filas[0].correo == "contacto@acme"
    assert [a.motivo for a in lectura.avisos] == [
        "correo electrónico con forma no válida «contacto@acme»"]


# --- opinions and RFC lists -----------------------------------------------------------------

@pytest.mark.parametrize(("valor", "opinion"), [
    ("Negativa", "negativa"), ("NEGATIVA", "negativa"), ("negativa ", "negativa"),
    ("Sin opinión", "sin_opinion"), ("Sin opinion", "sin_opinion"),
    ("sin_opinion", "sin_opinion"), ("SIN OPINIÓN", "sin_opinion"), ("Positiva", "positiva"),
])
def test_opinion_values_are_matched_leniently(tmp_path, valor, opinion):
    lectura = leer_opiniones(archivo(tmp_path, f"RFC;Resultado\n{MORAL};{valor}\n", "op.csv"))
    assert [(r.rfc, r.opinion, r.fila) for r in lectura.filas] == [(MORAL, opinion, 2)]


def test_an_unknown_opinion_refuses_the_row_naming_the_value(tmp_path):
    texto = f"RFC,Opinión\n{MORAL},Pendiente\n{FISICA},\n"
    assert motivos(leer_opiniones(archivo(tmp_path, texto, "op.csv"))) == {
        2: "opinión no reconocida «Pendiente» (se espera Positiva, Negativa o Sin opinión)",
        3: "falta la opinión",
    }


def test_an_rfc_list_reads_only_its_rfc_column_and_may_have_no_header(tmp_path):
    con = leer_rfcs(archivo(tmp_path, f"Razón social,RFC\nA,{MORAL}\nB,{FISICA}\n", "e.csv"))
    sin = leer_rfcs(archivo(tmp_path, f"{MORAL}\n{FISICA}\n{MORAL}\n", "f.csv"))
    assert con.filas == (FilaRfc(MORAL, 2), FilaRfc(FISICA, 3))
    assert sin.filas == (FilaRfc(MORAL, 1), FilaRfc(FISICA, 2))
    assert motivos(sin) == {3: "RFC duplicado: ya aparece en la fila 1"}
    assert "sin encabezado: la primera fila ya es un RFC" in sin.notas


# --- XLSX -----------------------------------------------------------------------------------

def test_xlsx_padron_with_excel_dates_numbers_and_gaps(tmp_path):
    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.title = "Padrón"
    hoja.append(["RFC", "Razón social", "Folio", "Fecha de registro"])
    hoja.append([MORAL, NANDU, 12345.0, datetime(2024, 1, 5)])
    hoja.append([])
    hoja.append([FISICA, "JOSÉ PEÑA", 7, "05/01/2024"])
    hoja.append([OTRA, "C", 8])  # trailing cells empty, not truncated
    hoja.append([OTRA, "C", 8, date(2024, 2, 1), None, "a note beyond the header"])
    libro.create_sheet("Notas")
    libro.save(tmp_path / "padron.xlsx")

    lectura = leer_padron(tmp_path / "padron.xlsx")
    assert [(f.fila, f.rfc, f.razon_social, f.folio, f.fecha_registro) for f in lectura.filas] \
        == [(2, MORAL, NANDU, "12345", date(2024, 1, 5)),
            (4, FISICA, "JOSÉ PEÑA", "7", date(2024, 1, 5))]
    assert motivos(lectura) == {5: "falta la fecha de registro",
                                6: "RFC duplicado: ya aparece en la fila 5 (también rechazada)"}
    assert lectura.notas == ("libro XLSX, hoja «Padrón»",
                             "no se leen las otras hojas, sin datos: «Notas»")
    assert lectura.hoja == "Padrón"


def test_xlsx_is_recognized_by_content_not_by_name(tmp_path):
    libro = openpyxl.Workbook()
    libro.active.append(["RFC", "Opinión"])
    libro.active.append([MORAL, "Negativa"])
    libro.save(tmp_path / "opiniones.csv")  # misnamed
    assert [r.opinion for r in leer_opiniones(tmp_path / "opiniones.csv").filas] == ["negativa"]


# --- what an adversarial run found (issue 10) ---------------------------

def libro(tmp_path: Path, hojas: list[tuple[str, list[list], str]],
          nombre: str = "opiniones.xlsx") -> Path:
    """A workbook with these sheets: (title, rows, state: visible | hidden)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for titulo, filas, estado in hojas:
        hoja = wb.create_sheet(titulo)
        hoja.sheet_state = estado
        for fila in filas:
            hoja.append(fila)
    wb.active = next(i for i, (_, _, estado) in enumerate(hojas) if estado == "visible")
    wb.save(tmp_path / nombre)
    return tmp_path / nombre


NEGATIVAS = [["RFC", "Opinión"], [MORAL, "Negativa"], [OTRA, "Negativa"]]
SIN_OPINION = [["RFC", "Opinión"], [FISICA, "Sin opinión"]]


def test_a_workbook_with_two_sheets_of_data_is_read_only_by_naming_the_sheet(tmp_path):
    """D3: with Negativa on sheet 1 and Sin opinión on sheet 2, only sheet 1 was read, and a
    complete list made the Sin opinión contractors positiva."""
    path = libro(tmp_path, [("Negativa", NEGATIVAS, "visible"),
                            ("Sin opinión", SIN_OPINION, "visible")])
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(path)
    assert exc.value.motivo == ("el libro tiene 2 hojas con datos («Negativa», «Sin opinión»): "
                                "indique qué hoja se debe leer")
    lectura = leer("opiniones", path, hoja="Sin opinión")
    assert [(r.rfc, r.opinion, r.fila) for r in lectura.filas] == [(FISICA, "sin_opinion", 2)]
    assert lectura.hoja == "Sin opinión"
    assert lectura.notas == ("libro XLSX, hoja «Sin opinión»",
                             "no se leen las otras hojas: «Negativa»")


def test_a_hidden_sheet_refuses_the_workbook_unless_the_sheet_is_named(tmp_path):
    """D3: a hidden first sheet with an old list was read and the visible one ignored."""
    anterior = [["RFC", "Opinión"], [FISICA, "Negativa"]]
    path = libro(tmp_path, [("Anterior", anterior, "hidden"), ("Actual", NEGATIVAS, "visible")])
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(path)
    assert exc.value.motivo == "el libro tiene 1 hoja oculta («Anterior»): indique qué hoja se " \
                               "debe leer"
    assert [r.rfc for r in leer_opiniones(path, hoja="Actual").filas] == [MORAL, OTRA]


def test_the_only_sheet_with_data_is_read_wherever_it_is(tmp_path):
    path = libro(tmp_path, [("Portada", [], "visible"), ("Lista", NEGATIVAS, "visible")])
    lectura = leer_opiniones(path)
    assert (lectura.hoja, [r.rfc for r in lectura.filas]) == ("Lista", [MORAL, OTRA])


def test_a_sheet_that_is_not_there_or_asked_of_a_text_file(tmp_path):
    path = libro(tmp_path, [("Lista", NEGATIVAS, "visible")])
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(path, hoja="Listas")
    assert exc.value.motivo == "el libro no tiene la hoja «Listas»; sus hojas: «Lista»"
    texto = archivo(tmp_path, f"RFC,Opinión\n{MORAL},Negativa\n", "op.csv")
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(texto, hoja="Lista")
    assert exc.value.motivo == ("se pidió la hoja «Lista», pero el archivo no es un libro XLSX: "
                                "es texto, sin hojas")
    assert leer_opiniones(texto).hoja is None


def _con_entrada(tmp_path: Path, nombre: str, datos: bytes, declarado: int | None = None) -> Path:
    """A readable workbook plus one more zip entry; ``declarado`` forges the entry's size in the
    zip's directory (a zip bomb may lie about it)."""
    path = libro(tmp_path, [("Lista", NEGATIVAS, "visible")])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(nombre, datos)
    data = bytearray(path.read_bytes())
    if declarado is not None:
        central = data.rindex(b"PK\x01\x02")  # the last entry's central directory record
        data[central + 24:central + 28] = declarado.to_bytes(4, "little")
        local = data.rindex(b"PK\x03\x04")
        data[local + 22:local + 26] = declarado.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("declarado", [None, 100])
def test_a_zip_bomb_is_refused_before_it_is_parsed(tmp_path, declarado):
    """D14: a 3.4 MB workbook inflating to 1.16 GB grew the process to 13 GiB. The bytes actually
    inflated are counted, whatever size the zip declares."""
    path = _con_entrada(tmp_path, "xl/relleno.xml", b" " * (40 << 20), declarado)
    assert path.stat().st_size < 200_000
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(path)
    assert exc.value.motivo == (
        f"el libro XLSX se descomprime a más de 16 MB desde {path.stat().st_size:,} bytes: "
        "ningún libro de Excel se comprime tanto (¿una bomba de descompresión?); no se lee")


def test_a_workbook_larger_than_the_limit_is_refused_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_XLSX_DESCOMPRIMIDO", 1 << 20)
    monkeypatch.setattr(importing, "MIN_XLSX_DESCOMPRIMIDO", 1 << 20)
    path = _con_entrada(tmp_path, "xl/notas.txt", bytes(range(256)) * 5000)  # 1.2 MB
    with pytest.raises(ImportFileError) as exc:
        leer_opiniones(path)
    assert exc.value.motivo == ("el libro XLSX ocupa más de 1 MB descomprimido, más de lo que se "
                                "lee; divídalo o guárdelo como CSV")


def test_texts_beyond_the_limit_refuse_the_row(tmp_path):
    """D19: a 100 MB razón social was accepted and doubled the store."""
    largo = "A" * (importing.MAX_LARGO_TEXTO + 1)
    texto = (f"{ENCABEZADO},Domicilio\n{MORAL},{largo},F1,2024-01-05,\n"
             f"{FISICA},B,F2,2024-01-05,{largo}\n{OTRA},C,F3,2024-01-05,Centro\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.rfc for f in lectura.filas] == [OTRA]
    assert motivos(lectura) == {2: "razón social de 1,001 caracteres: el máximo es 1,000",
                                3: "domicilio de 1,001 caracteres: el máximo es 1,000"}


@pytest.mark.parametrize("valor", ["Positiva?", "¡Negativa!", "Pos-itiva", "P o s i t i v a",
                                   "Negativa.", "Positivas"])
def test_an_opinion_is_only_one_of_its_known_spellings(tmp_path, valor):
    """D16: opinions were compared without punctuation: an uncertain «Positiva?» regularised a
    contractor."""
    lectura = leer_opiniones(archivo(tmp_path, f"RFC;Opinión\n{MORAL};{valor}\n", "op.csv"))
    assert lectura.filas == ()
    assert motivos(lectura) == {
        2: f"opinión no reconocida «{valor}» (se espera Positiva, Negativa o Sin opinión)"}


def test_an_rfc_outside_the_alphabet_is_refused_not_made_into_another(tmp_path):
    """D17: «Bß9307148T0» was read as the valid RFC BSS9307148T0."""
    texto = f"{ENCABEZADO}\nBß9307148T0,A,F1,2024-01-05\nBSS9307148T0,B,F2,2024-01-05\n"
    lectura = leer_padron(archivo(tmp_path, texto))
    assert [f.rfc for f in lectura.filas] == ["BSS9307148T0"]
    assert motivos(lectura) == {2: "RFC mal formado «Bß9307148T0»: «ß» no es un carácter del "
                                   "RFC (letras A-Z, Ñ y &, dígitos 0-9)"}


def test_a_quoted_cell_of_more_than_ten_lines_is_never_read_cut(tmp_path):
    """D18: an 11-line address was accepted as its first line."""
    def padron(lineas: int) -> Path:
        domicilio = "\n".join(f"línea {i}" for i in range(lineas))
        return archivo(tmp_path, f'{ENCABEZADO},Domicilio\n{MORAL},A,F1,2024-01-05,"{domicilio}"\n'
                                 f"{FISICA},B,F2,2024-01-05,\n")

    diez = leer_padron(padron(10))
    assert [(f.rfc, f.domicilio) for f in diez.filas] == [
        (MORAL, " ".join(f"línea {i}" for i in range(10))), (FISICA, None)]
    once = leer_padron(padron(11))
    assert [(f.rfc, f.fila) for f in once.filas] == [(FISICA, 13)]
    assert motivos(once)[2] == (
        "una celda entre comillas empieza en esta fila y no se cierra en ella (abarca más de 10 "
        "líneas, o las que siguen parecen filas): se rechaza la fila para no leer la celda "
        "cortada; cada línea siguiente se lee como una fila")
    assert sorted(motivos(once)) == list(range(2, 13))  # the other lines: refused, each alone


# --- progress and summary -------------------------------------------------------------------

def test_progress_is_reported_every_few_thousand_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "PASO_PROGRESO", 3)
    texto = "RFC\n" + "".join(f"{MORAL}\n" for _ in range(7))
    llamadas: list[tuple[int, int | None]] = []
    leer_rfcs(archivo(tmp_path, texto, "e.csv"), progreso=lambda h, t: llamadas.append((h, t)))
    assert llamadas == [(3, 7), (6, 7), (7, 7)]


def test_the_report_an_operator_reads(tmp_path, snapshot):
    texto = (f"{ENCABEZADO},Correo\n{MORAL},ACME,F1,2024-01-05,x@\n\n"
             "MAB9307148T5,B,F2,05/01/2024,\nXAXX010101000,PÚBLICO EN GENERAL,F3,2024-01-05,\n"
             f"{FISICA},,F4,31/02/2020,\n{OTRA},C\n{MORAL},ACME,F9,2024-01-05,\n")
    lectura = leer_padron(archivo(tmp_path, texto))
    assert "\n".join([lectura.resumen(), *lectura.notas, *lectura.detalle()]) == snapshot


# --- builders ---------------------------------------------------------------------------------

def test_entrada_padron_carries_file_and_rows(tmp_path):
    lectura = leer_padron(archivo(tmp_path, f"{ENCABEZADO}\n\n{MORAL},A,F1,2024-01-05\n"))
    assert lectura.resumen() == "padron.csv: 1 fila leída; 1 aceptada (0 con aviso), 0 rechazadas."
    padron = entrada_padron(lectura, "2026-1", AT)
    assert isinstance(padron, Padron)
    assert (padron.archivo, padron.ciclo, padron.actor, padron.at) == ("padron.csv", "2026-1",
                                                                       "stps", AT)
    assert [(c.rfc, c.fila) for c in padron.contratistas] == [(MORAL, 3)]


def test_entrada_opiniones_and_times(tmp_path):
    lectura = leer_opiniones(archivo(tmp_path, f"RFC,Opinión\n{MORAL},Negativa\n", "r1.csv"))
    ingenua = entrada_opiniones(lectura, "2026-1", "diaria", True, datetime(2026, 3, 12, 11))
    utc = entrada_opiniones(lectura, "2026-1", "2", False,
                            datetime(2026, 3, 12, 17, tzinfo=UTC))
    assert isinstance(ingenua, Opiniones)
    assert (ingenua.ronda, ingenua.completo, ingenua.actor) == ("diaria", True, "imss")
    assert ingenua.at == datetime(2026, 3, 12, 11, tzinfo=MX)  # naive means Mexico City
    assert utc.ronda == 2 and utc.at.utcoffset() == timedelta(hours=-6)
    assert [(r.rfc, r.opinion, r.fila) for r in ingenua.resultados] == [(MORAL, "negativa", 2)]


def test_entrada_acto_from_any_reading(tmp_path):
    rfcs = leer_rfcs(archivo(tmp_path, f"RFC\n{MORAL}\n\n{FISICA}\n", "exhorto.csv"))
    exhorto = entrada_acto("exhorto", rfcs, "2026-1", AT)
    assert isinstance(exhorto, Exhorto)
    assert (exhorto.actor, exhorto.rfcs, exhorto.filas) == ("gt", (MORAL, FISICA), (2, 4))
    impedida = entrada("cancelacion_impedida", rfcs, ciclo="2026-1", at=AT,
                       motivo=" amparo ")
    assert isinstance(impedida, CancelacionImpedida)
    assert (impedida.actor, impedida.motivo) == ("stps", "amparo")


@pytest.mark.parametrize(("llamada", "mensaje"), [
    (lambda lect: entrada_acto("cancelacion_impedida", lect, "2026-1", AT),
     "la cancelación impedida necesita un motivo"),
    (lambda lect: entrada_acto("exhorto", lect, "2026-1", AT, motivo="x"),
     "«exhorto» no lleva motivo"),
    (lambda lect: entrada_acto("multa", lect, "2026-1", AT), "acto desconocido «multa»"),
    (lambda lect: entrada_opiniones(lect, "2026-1", 4, True, AT), "ronda no válida «4»"),
    (lambda lect: entrada("opiniones", lect, ciclo="2026-1", at=AT),
     "las opiniones necesitan su ronda"),
    (lambda lect: entrada_opiniones(lect, "2026-1", 1, True, AT, actor="imx"),
     r"valor no permitido 'imx' \(en \$\.actor\)"),
    (lambda lect: entrada_padron(lect, "2026-3", AT), "ciclo no válido «2026-3»"),
])
def test_builders_refuse_what_is_not_an_input(tmp_path, llamada, mensaje):
    lectura = leer_opiniones(archivo(tmp_path, f"RFC,Opinión\n{MORAL},Negativa\n", "e.csv"))
    with pytest.raises((InputError, RepseError), match=mensaje):
        llamada(lectura)


# --- messy files never crash and never lose a row ---------------------------------------------

VALIDOS = ("MAB9307148T4", "GODE561231GR8", "AEL7407151YA", "HEGJ820506M10", "SAT970701NN3")
ALFABETO = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyzÑÁÉÍÓÚÜñáéíóúü0123456789 .,;:\"'-/@&()\t"
            "\x00\x0b\x0c\x1c\ue000")  # \ue000 becomes a byte invalid in every encoding
ENCABEZADOS = {
    "rfc": ("RFC", "rfc", " Rfc ", "R.F.C.", "RFC del contratista"),
    "razon_social": ("Razón social", "razon_social", "RAZON SOCIAL", "Nombre"),
    "folio": ("Folio", "FOLIO", "folio_repse"),
    "fecha_registro": ("Fecha de registro", "fecha_registro", "FECHA DE REGISTRO"),
    "correo": ("Correo", "correo electrónico", "E-mail"),
    "domicilio": ("Domicilio", "DIRECCIÓN"),
    "opinion": ("Opinión", "Resultado", "opinion", "OPINIÓN"),
    "otra": ("Observaciones", "Teléfono", ""),
}
ERRONEOS = ("Nombre comercial", "Fecha", "Estatus", "Número", "R F C X")
ESQUEMAS = {
    "padron": (leer_padron, ("rfc", "razon_social", "folio", "fecha_registro"),
               ("correo", "domicilio", "otra")),
    "opiniones": (leer_opiniones, ("rfc", "opinion"), ("otra",)),
    "rfcs": (leer_rfcs, ("rfc",), ("otra", "razon_social")),
}
basura = st.text(ALFABETO, max_size=15)
CELDAS = {
    "rfc": st.one_of(st.sampled_from(VALIDOS), st.sampled_from(VALIDOS).map(str.lower),
                     st.sampled_from(("MAB9307148T5", "XAXX010101000", "MAB-307148T4", " "))
                     .map(lambda r: f" {r} "), basura),
    "fecha_registro": st.one_of(st.dates().map(str), st.dates().map(lambda d: f"{d:%d/%m/%Y}"),
                                st.sampled_from(("31/02/2020", "2024-1-5", "")), basura),
    "opinion": st.one_of(st.sampled_from(("Negativa", "NEGATIVA ", "Sin opinión", "sin_opinion",
                                          "Positiva", "Pendiente", "")), basura),
}


@st.composite
def archivos_sucios(draw):
    """A messy file: any kind, lenient or wrong headers in any order, garbage or truncated
    rows, blank lines, any separator, line ending and encoding (even mixed, or with bytes
    that no encoding knows). Returns the file's bytes and what the importer must report."""
    tipo = draw(st.sampled_from(sorted(ESQUEMAS)))
    _, obligatorias, opcionales = ESQUEMAS[tipo]
    campos = list(obligatorias) + draw(st.lists(st.sampled_from(opcionales), unique=True))
    campos = draw(st.permutations(campos))
    encabezado = [draw(st.sampled_from(ENCABEZADOS[c])) for c in campos]
    valido = draw(st.booleans()) or draw(st.booleans())
    if not valido:
        encabezado[campos.index("rfc")] = draw(st.sampled_from(ERRONEOS))
    if len(campos) == 1:  # no separator in the header: it is sniffed from the rows' own
        celdas_de = {"rfc": st.text("ABCDEFÑ0123456789 \"\x00", max_size=15)}
    else:
        celdas_de = {c: CELDAS.get(c, basura) for c in campos}
    filas = []
    for _ in range(draw(st.integers(0, 12))):
        celdas = [draw(celdas_de[c]) for c in campos]
        largo = draw(st.one_of(st.just(len(celdas)), st.integers(0, len(celdas) + 2)))
        filas.append((celdas + [draw(celdas_de[campos[0]]) for _ in range(2)])[:largo])
    sep = draw(st.sampled_from(",;\t"))
    fin = draw(st.sampled_from(("\r\n", "\n", "\r")))
    codificacion = draw(st.sampled_from(("utf-8", "utf-8-sig", "cp1252", "mixta", "utf-16")))

    lineas: list[list[str] | None] = [None] * draw(st.integers(0, 2)) + [encabezado]
    for fila in filas:
        lineas += [None] * draw(st.integers(0, 1)) + [fila]
    esperadas, partes = [], []
    for numero, celdas in enumerate(lineas, start=1):
        out = io.StringIO()
        if celdas is None:
            out.write(fin)
        else:
            csv.writer(out, delimiter=sep, lineterminator=fin).writerow(celdas)
            if celdas is not encabezado and "".join(celdas).strip():
                esperadas.append(numero)
        partes.append(out.getvalue())
    if draw(st.booleans()):  # the last line without its line break
        partes[-1] = partes[-1].rstrip("\r\n") or partes[-1]
    if codificacion == "utf-16":
        data = "".join(partes).replace("\ue000", "?").encode("utf-16")
    else:
        data = b"".join(
            parte.replace("\ue000", "¤").encode(
                draw(st.sampled_from(("utf-8", "cp1252"))) if codificacion == "mixta"
                else codificacion.replace("-sig", "") if i else codificacion
            ).replace("¤".encode(), b"\x81").replace("¤".encode("cp1252"), b"\x81")
            for i, parte in enumerate(partes))
    return tipo, data, valido, esperadas


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archivos_sucios())
def test_messy_files_never_crash_and_never_lose_a_row(tmp_path_factory, caso):
    tipo, data, valido, esperadas = caso
    path = tmp_path_factory.mktemp("sucio") / f"{tipo}.csv"
    path.write_bytes(data)
    leer = ESQUEMAS[tipo][0]
    try:
        lectura = leer(path)
    except ImportFileError as exc:
        assert not valido, f"a valid header was refused: {exc}"
        assert exc.archivo == path.name and exc.motivo
        return
    assert valido
    aceptadas = [f.fila for f in lectura.filas]
    rechazadas = [r.fila for r in lectura.rechazos]
    assert sorted(aceptadas + rechazadas) == esperadas  # each data row exactly once
    assert lectura.filas_leidas == len(esperadas)
    for rechazo in lectura.rechazos:
        assert rechazo.archivo == path.name and rechazo.motivo.strip()
    assert {a.fila for a in lectura.avisos} <= set(aceptadas)


OPINIONES_SUCIAS = ("Negativa", "SIN OPINIÓN", "sin_opinion", "Positiva", "Positiva?",
                    "¡Negativa!", "Pos-itiva", "")


@st.composite
def libros_sucios(draw):
    """A workbook of one to three sheets, some hidden, some empty, with opinion lists whose RFCs
    and opinions may be wrong (as an adversarial run found); maybe a sheet named by the operator."""
    hojas = []
    for i in range(draw(st.integers(1, 3))):
        filas = draw(st.lists(st.tuples(
            st.one_of(st.sampled_from(VALIDOS), st.sampled_from(("Bß9307148T0", "MAB-307148T4"))),
            st.sampled_from(OPINIONES_SUCIAS)), max_size=6))
        con_datos = bool(filas) or draw(st.booleans())  # a header alone is data too
        estado = draw(st.sampled_from(("visible", "visible", "hidden")))
        hojas.append((f"Hoja {i + 1}", [["RFC", "Opinión"], *map(list, filas)] if con_datos
                      else [], estado))
    if all(estado == "hidden" for *_, estado in hojas):
        hojas[0] = (*hojas[0][:2], "visible")  # a workbook shows at least one sheet
    nombrada = draw(st.one_of(st.none(), st.sampled_from([h[0] for h in hojas])))
    return hojas, nombrada


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(libros_sucios())
def test_messy_workbooks_are_read_from_the_right_sheet_or_refused(tmp_path_factory, caso):
    hojas, nombrada = caso
    path = libro(tmp_path_factory.mktemp("libro"), hojas)
    con_datos = [nombre for nombre, filas, _ in hojas if filas]
    ocultas = any(estado == "hidden" for *_, estado in hojas)
    try:
        lectura = leer_opiniones(path, hoja=nombrada)
    except ImportFileError as exc:
        # Refused only when it is not clear which sheet holds the list, or the one read is empty.
        assert exc.archivo == path.name
        leida = nombrada or (con_datos[0] if len(con_datos) == 1 else None)
        assert (nombrada is None and (ocultas or len(con_datos) > 1)) or leida not in con_datos, \
            exc.motivo
        return
    assert nombrada is not None or (not ocultas and len(con_datos) == 1)
    filas = dict((nombre, filas) for nombre, filas, _ in hojas)[lectura.hoja]
    assert lectura.hoja == (nombrada or con_datos[0])
    datos = [fila for fila in filas[1:] if any(fila)]
    assert lectura.filas_leidas == len(datos)
    for resultado in lectura.filas:  # an accepted row is a known spelling of a valid RFC's opinion
        rfc, valor = filas[resultado.fila - 1]
        assert rfc == resultado.rfc in VALIDOS
        assert valor in ("Negativa", "SIN OPINIÓN", "sin_opinion", "Positiva")
