"""The documents the institutions sign (issue 13, point 7): the exhorto letters and the round-3
oficio as PDF, read back as a person would read them; the membrete the GT fills once per store;
the notification date of the letters; the XLSX lists' date cells."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.documentos import MembreteError, leer_membrete
from repse.core.exports import ExportError, avisos_exportar, exportar
from repse.tui.cli import main

from .test_engine import at
from .test_exports import RFCS, repo  # noqa: F401  (the fixture: a whole cycle, 5 contractors)

_A, B, C, D, E = RFCS
MEMBRETE = """\
prefijo_oficio = "09 52 17 61 4000/DIR/REPSE/"
lugar = "Ciudad de México"

[imss]
nombre = "Mtra. Ana Pérez Núñez"
cargo = "Titular de la Dirección de Incorporación y Recaudación"

[stps]
nombre = "Lic. Juan García López"
cargo = "Titular de la Unidad de Trabajo Digno"
"""


def paginas(path: Path) -> list[str]:
    """The text of each page, its whitespace collapsed (a line break is where the layout
    wrapped, not part of what it says)."""
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


def texto_pdf(path: Path) -> str:
    return " ".join(paginas(path))


def con_membrete(repo, tmp_path, cuando: str = "2026-03-12T12:00:00") -> inp.Membrete:  # noqa: F811
    archivo = tmp_path / "membrete.toml"
    archivo.write_text(MEMBRETE, encoding="utf-8")
    membrete = leer_membrete(archivo, at=at(cuando))
    assert repo.registrar(membrete).aceptada
    return membrete


# --- The letters ------------------------------------------------------------------------------
def test_each_letter_reads_the_contractor_d0_the_plazo_and_its_last_day(repo, tmp_path):  # noqa: F811
    files = exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    cartas = sorted(p for p in files if p.parent.name == "exhortos")
    assert [p.name for p in cartas] == sorted(f"exhorto_{r}.pdf" for r in (B, C, D, E))
    # D0 is Mon 26 Jan 2026; the exhorto was recorded on Thu 29 Jan, the letters' default
    # notification; 30 natural days from the next day: 30 Jan … Sat 28 Feb, an inhábil day,
    # so the plazo is extended to the next hábil day, Mon 2 Mar (LFPA art. 29).
    for path in cartas:
        rfc = path.stem.removeprefix("exhorto_")
        [pagina] = paginas(path)
        assert f"RFC: {rfc}" in pagina and f"Empresa {rfc}" in pagina
        assert "realizada el 26 de enero de 2026 (fecha de consulta)" in pagina
        assert "plazo de 30 días naturales" in pagina
        assert "surte efectos el 29 de enero de 2026" in pagina
        assert "El plazo vence el 2 de marzo de 2026." in pagina
        assert "Instituto Mexicano del Seguro Social" in pagina
        assert "Secretaría del Trabajo y Previsión Social" in pagina
        assert repo.vista().ancla.leyenda() in pagina
    opiniones = {rfc: "«Negativa»" if rfc in (B, D) else "«Sin opinión»" for rfc in (B, C, D, E)}
    for rfc, opinion in opiniones.items():
        assert f"usted obtuvo resultado {opinion}" in texto_pdf(
            tmp_path / "salidas" / "exhortos" / f"exhorto_{rfc}.pdf")


def test_the_combined_file_holds_every_letter_in_order(repo, tmp_path):  # noqa: F811
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    todas = paginas(tmp_path / "salidas" / "exhortos_2026-1.pdf")
    sueltas = [texto_pdf(tmp_path / "salidas" / "exhortos" / f"exhorto_{r}.pdf")
               for r in sorted((B, C, D, E))]
    assert todas == sueltas


def test_letters_are_a4(repo, tmp_path):  # noqa: F811
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    page = PdfReader(tmp_path / "salidas" / "exhortos" / f"exhorto_{B}.pdf").pages[0]
    # A4 is 210 × 297 mm: 595.28 × 841.89 points.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_without_a_membrete_there_are_blank_lines_to_sign_and_a_warning(repo, tmp_path):  # noqa: F811
    assert repo.vista().membrete is None
    [aviso] = avisos_exportar(repo.vista(), "2026-1", 1)
    assert aviso.startswith("no hay membrete registrado: las cartas llevan líneas en blanco")
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    pagina = texto_pdf(tmp_path / "salidas" / "exhortos" / f"exhorto_{B}.pdf")
    assert "____________________, a 29 de enero de 2026" in pagina
    assert pagina.count("Nombre: ____") == 2 and pagina.count("Cargo: ____") == 2


def test_with_a_membrete_the_letters_name_the_place_and_both_signers(repo, tmp_path):  # noqa: F811
    con_membrete(repo, tmp_path)
    assert avisos_exportar(repo.vista(), "2026-1", 1) == []
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    pagina = texto_pdf(tmp_path / "salidas" / "exhortos" / f"exhorto_{B}.pdf")
    assert "Ciudad de México, a 29 de enero de 2026" in pagina
    assert "Por el Instituto Mexicano del Seguro Social" in pagina
    assert "Mtra. Ana Pérez Núñez Titular de la Dirección de Incorporación y Recaudación" \
        in pagina
    assert "Por la Secretaría del Trabajo y Previsión Social" in pagina
    assert "Lic. Juan García López Titular de la Unidad de Trabajo Digno" in pagina


def test_what_an_input_brings_is_one_line_the_fonts_can_show(repo, tmp_path):  # noqa: F811
    from repse.core.documentos import Exhortos
    from repse.core.vista import Exhortado

    vista = repo.vista()
    cartas = Exhortos(vista, vista.ciclo("2026-1"), date(2026, 1, 29))
    carta = cartas.carta(Exhortado("XAXX010101AB1", "ACME\n\n# CANCELADO\u202e 漢 Ő", "F\n1",
                                   None, "Calle 1\n\n## Sección falsa", "negativa"))
    (tmp_path / "c.pdf").write_bytes(carta)
    lineas = PdfReader(tmp_path / "c.pdf").pages[0].extract_text().splitlines()
    assert "ACME # CANCELADO ? O" in lineas  # one line; no bidi override; Ő has no glyph
    assert "Calle 1 ## Sección falsa" in lineas and "Folio REPSE: F 1" in lineas


# --- The notification date --------------------------------------------------------------------
def test_a_notification_before_d0_is_refused_with_both_dates(repo, tmp_path):  # noqa: F811
    with pytest.raises(ExportError) as exc:
        exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1,
                 notificacion=date(2026, 1, 20))
    assert str(exc.value) == ("la fecha de notificación de las cartas, mar 20-01-2026, es "
                              "anterior a la fecha de consulta (D0) del ciclo 2026-1, lun "
                              "26-01-2026: el exhorto se notifica ese día o después")
    assert not (tmp_path / "salidas").exists()


def test_a_notification_other_than_the_recorded_exhorto_is_a_warning(repo, tmp_path):  # noqa: F811
    con_membrete(repo, tmp_path)
    avisos = avisos_exportar(repo.vista(), "2026-1", 1, date(2026, 1, 26))
    assert avisos == ["la fecha de notificación de las cartas, lun 26-01-2026, no es la del "
                      "exhorto registrado, jue 29-01-2026: las cartas dirán un plazo distinto "
                      "del que corre en el almacén"]
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1,
             notificacion=date(2026, 1, 26))  # D0 itself is allowed
    # From Mon 26 Jan, 30 natural days: 27 Jan … Wed 25 Feb.
    assert "El plazo vence el 25 de febrero de 2026." in texto_pdf(
        tmp_path / "salidas" / "exhortos" / f"exhorto_{B}.pdf")


def test_the_recorded_exhorto_is_found_in_the_read_model(repo):  # noqa: F811
    assert repo.vista().exhorto_notificado("2026-1") == date(2026, 1, 29)


# --- The oficio -------------------------------------------------------------------------------
def test_the_oficio_has_its_number_place_date_list_and_signer(repo, tmp_path):  # noqa: F811
    con_membrete(repo, tmp_path)
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=3)
    oficio = texto_pdf(tmp_path / "salidas" / "oficio_ronda3_cancelacion.pdf")
    assert "Oficio núm. 09 52 17 61 4000/DIR/REPSE/2026-1/R3" in oficio
    # Dated the day of the round-3 consultation (11 Mar): STPS cancels that same day.
    assert "Ciudad de México, a 11 de marzo de 2026" in oficio
    assert "Para: Lic. Juan García López, Titular de la Unidad de Trabajo Digno" in oficio
    assert "Total: 2 contratistas." in oficio
    assert f"1 {B} Empresa {B} F-1" in oficio
    assert "Opinión «Sin opinión» (1)" in oficio and f"2 {E} Empresa {E}" in oficio
    assert "Mtra. Ana Pérez Núñez Titular de la Dirección de Incorporación y Recaudación" \
        in oficio
    assert repo.vista().ancla.leyenda() in oficio


def test_a_long_oficio_runs_over_pages_with_its_header_again(repo):  # noqa: F811
    import io

    from repse.core.documentos import oficio_tercera
    from repse.core.vista import Listado

    vista = repo.vista()
    filas = [(f"XAXX{k:06d}AB1", f"Empresa número {k}", f"F-{k}") for k in range(150)]
    pdf = PdfReader(io.BytesIO(oficio_tercera(vista, vista.ciclo("2026-1"), [
        Listado(3, "negativa", date(2026, 3, 11), filas)])))
    textos = [" ".join(p.extract_text().split()) for p in pdf.pages]
    assert len(textos) > 2
    assert all("Núm. RFC Razón social Folio REPSE" in t for t in textos[1:])
    assert all(f"XAXX{k:06d}AB1" in " ".join(textos) for k in range(150))


# --- The membrete -----------------------------------------------------------------------------
def test_a_membrete_is_an_input_that_changes_no_contractor(repo, tmp_path):  # noqa: F811
    antes = repo.vista().contratistas()
    membrete = con_membrete(repo, tmp_path)
    vista = repo.vista()
    assert vista.contratistas() == antes
    assert vista.membrete == membrete and membrete.actor == "gt"
    assert membrete.imss == inp.Firmante("Mtra. Ana Pérez Núñez",
                                         "Titular de la Dirección de Incorporación y Recaudación")
    # It survives reopening the store (from its snapshot), and an annulment removes it.
    repo.cerrar()
    again = Repositorio.abrir(tmp_path / "x.db")
    assert again.vista().membrete == membrete
    n = again.store.last()[0]
    assert again.registrar(inp.Anulacion(at=at("2026-03-12T13:00:00"), actor="gt", entrada=n,
                                         motivo="firmante equivocado")).aceptada
    assert again.vista().membrete is None
    again.cerrar()


def test_only_the_gt_records_a_membrete(repo, tmp_path):  # noqa: F811
    archivo = tmp_path / "m.toml"
    archivo.write_text(MEMBRETE, encoding="utf-8")
    membrete = leer_membrete(archivo, at=at("2026-03-12T12:00:00"))
    import msgspec

    r = repo.registrar(msgspec.structs.replace(membrete, actor="imss"))
    assert not r.aceptada and "«membrete» la emite GT" in r.motivo


@pytest.mark.parametrize(("texto", "motivo"), [
    ("", "falta la clave «prefijo_oficio»"),
    ('prefijo_oficio = "X"\nlugar = 3\n', "la clave «lugar» debe ser un texto entre comillas"),
    ('prefijo_oficio = "X"\nlugar = "  "\n', "la clave «lugar» está vacía"),
    ('prefijo_oficio = "X"\nlugar = "L"\nfirma = "Y"\n', "clave desconocida «firma»"),
    ('prefijo_oficio = "X"\nlugar = "L"\n', "falta la tabla [imss]"),
    ('prefijo_oficio = "X"\nlugar = "L"\n[imss]\nnombre = "A"\n',
     "falta la clave «imss.cargo»"),
    ('prefijo_oficio = "X"\nlugar = "L"\n[imss]\nnombre = "A"\ncargo = "B"\npuesto = "C"\n',
     "clave desconocida «imss.puesto»"),
    ('prefijo_oficio = "X" y', "no es TOML válido (línea 1, columna 22)"),
    (MEMBRETE.replace("Ciudad de México", "C" * 301),
     "texto demasiado largo (máximo 300 caracteres) (en $.lugar)"),
])
def test_a_bad_membrete_file_is_refused_naming_the_file_the_key_and_why(tmp_path, texto,
                                                                         motivo):
    archivo = tmp_path / "membrete.toml"
    archivo.write_text(texto, encoding="utf-8")
    with pytest.raises(MembreteError) as exc:
        leer_membrete(archivo, at=datetime(2026, 3, 12, 12))
    assert str(exc.value).startswith(f"{archivo}: {motivo}")


def test_repse_membrete_records_it_from_the_command_line(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["init", str(db), "--simulacion"]) == 0
    archivo = tmp_path / "membrete.toml"
    archivo.write_text(MEMBRETE, encoding="utf-8")
    capsys.readouterr()
    assert main(["membrete", str(db), "--archivo", str(archivo), "--at", "2026-01-05"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Entrada 2 (membrete de los documentos): aceptada")
    assert "Firma por STPS: Lic. Juan García López, Titular de la Unidad de Trabajo Digno" in out
    archivo.write_text('lugar = "L"\n', encoding="utf-8")
    assert main(["membrete", str(db), "--archivo", str(archivo), "--at", "2026-01-05"]) == 2
    assert capsys.readouterr().err == (f"repse: error: {archivo}: falta la clave "
                                       "«prefijo_oficio»\n")


# --- The XLSX lists ---------------------------------------------------------------------------
def test_xlsx_dates_are_date_cells_and_columns_fit(repo, tmp_path):  # noqa: F811
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    sheet = load_workbook(tmp_path / "salidas" / "listado_ronda1_negativa.xlsx").active
    fecha = sheet.cell(row=2, column=5)
    assert fecha.is_date and fecha.value == datetime(2026, 1, 26)
    assert fecha.number_format == "dd-mm-yyyy"
    anchos = {k: sheet.column_dimensions[k].width for k in "ABCDE"}
    # Each column as wide as its longest value: «Razón social» holds «Empresa GODE561231GR8».
    assert anchos["B"] == len(f"Empresa {B}") + 2
    assert anchos["E"] == len("Fecha de consulta") + 2


# --- The TUI's export dialog (walkthrough findings 12 and 24) ---------------------------------
def test_the_export_dialog_shows_the_date_refuses_one_before_d0_and_sums_up(tmp_path):
    from repse.tui.app import RepseApp
    from repse.tui.screens.dialogos.confirmar import Confirmar
    from repse.tui.screens.dialogos.exportar import Exportar
    from repse.tui.screens.dialogos.resultado import Resultado

    from .test_engine import acto, opiniones, padron
    from .tui_apoyo import crear, esperar, sincrono

    db = crear(tmp_path, [
        padron("2026-01-26T09:00:00", "2026-1", *RFCS),
        opiniones("2026-01-26T17:00:00", "2026-1", 1, True,
                  **{B: "negativa", C: "sin_opinion", D: "negativa", E: "sin_opinion"}),
        acto(inp.Exhorto, "2026-01-29T10:00:00", "2026-1", B, C, D, E, actor="gt")])

    @sincrono
    async def recorrido():
        app = RepseApp(db, ahora=lambda: at("2026-01-30T12:00:00"), usuario="prueba")
        async with app.run_test(size=(100, 32)) as pilot:
            await app.listo.wait()
            await pilot.press("e")
            await esperar(pilot, lambda: isinstance(app.screen, Exportar))
            d = app.screen
            # The date proposed is the recorded exhorto's; one before D0 is refused.
            assert d.query_one("#notificacion").value == "2026-01-29"
            d.query_one("#destino").value = str(tmp_path / "salidas")
            d.query_one("#notificacion").value = "2026-01-20"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, Exportar)
            assert str(d.query_one("#error").render()) == (
                "la fecha de notificación, mar 20-01-2026, es anterior a la fecha de consulta "
                "(D0) del ciclo 2026-1, lun 26-01-2026")
            d.query_one("#notificacion").value = "2026-01-29"
            await pilot.press("ctrl+s")
            await esperar(pilot, lambda: isinstance(app.screen, Confirmar))
            # The confirmation says how many letters, notified when, and what is missing.
            assert "4 cartas de exhorto notificadas el jue 29-01-2026" in app.screen.texto
            assert "Aviso: no hay membrete registrado" in app.screen.texto
            await pilot.press("enter")
            await esperar(pilot, lambda: isinstance(app.screen, Resultado))
            r = app.screen
            assert r.titulo == "Exportados 11 archivos"
            assert r.lineas[:2] == [f"Carpeta: {tmp_path / 'salidas'}",
                                    "  exhortos/: 4 cartas de exhorto (PDF, una por contratista)"]
            assert "  exhortos_2026-1.pdf" in r.lineas and len(r.lineas) < 15

    recorrido()


def test_repse_exportar_warns_and_refuses_a_date_before_d0(repo, tmp_path, capsys):  # noqa: F811
    db, salidas = str(tmp_path / "x.db"), str(tmp_path / "salidas")
    repo.cerrar()
    capsys.readouterr()
    assert main(["exportar", db, "--ciclo", "2026-1", "--ronda", "1", "--dir", salidas,
                 "--notificacion", "2026-01-25"]) == 2
    assert capsys.readouterr().err == (
        "repse: error: la fecha de notificación de las cartas, dom 25-01-2026, es anterior a la "
        "fecha de consulta (D0) del ciclo 2026-1, lun 26-01-2026: el exhorto se notifica ese "
        "día o después\n")
    assert main(["exportar", db, "--ciclo", "2026-1", "--ronda", "1", "--dir", salidas]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("repse: aviso: no hay membrete registrado: las cartas llevan")
    assert "Exportados 11 archivos:" in out
    assert "  exhortos/: 4 cartas de exhorto (PDF, una por contratista)" in out


def test_letters_drawn_by_several_processes_are_the_same_bytes(repo):  # noqa: F811
    from repse.core.documentos import Exhortos, exhortos_pdf

    vista = repo.vista()
    cartas = Exhortos(vista, vista.ciclo("2026-1"), date(2026, 1, 29))
    xs = vista.exhortados("2026-1")
    en_uno = list(exhortos_pdf(cartas, xs))
    assert len(en_uno) == len(xs) + 1  # each letter, then the combined file
    assert list(exhortos_pdf(cartas, xs, paralelo=1)) == en_uno


def test_letters_are_drawn_in_processes_even_under_a_host_that_replaced_stderr(tmp_path):
    """The terminal UI replaces sys.stderr with an object whose descriptor is -1 while it
    draws; multiprocessing's resource tracker was handed that -1 and the round-1 export
    killed the app («bad value(s) in fds_to_keep»). Run in a fresh interpreter, where no
    tracker runs yet, exactly as in the TUI's process."""
    guion = tmp_path / "guion.py"
    guion.write_text(
        "import io, os, sys\n"
        "from repse.core.documentos import procesos\n"
        "class SinDescriptor(io.StringIO):\n"
        "    def fileno(self):\n"
        "        return -1\n"
        "if __name__ == '__main__':\n"
        "    sys.stderr = SinDescriptor()\n"
        "    with procesos(2) as pool:\n"
        "        print(sorted(pool.map(abs, [-1, -2])))\n", encoding="utf-8")
    hecho = subprocess.run([sys.executable, str(guion)], capture_output=True, text=True,
                           timeout=120, check=False)
    assert hecho.returncode == 0, hecho.stderr
    assert hecho.stdout.strip() == "[1, 2]"
