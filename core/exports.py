"""What the institutions must send, produced from the read model (``core.vista.Vista``): the
lists of each round (Negativa and Sin opinión apart, CSV and XLSX), the exhorto letters and
IMSS's oficio with the round-3 list (PDF, ``core.documentos``), the daily lists, the agenda and
the cycle's statistics.

Exports are deterministic: the same store gives the same bytes (rows sorted by RFC, no
timestamps inside — XLSX files are re-packed with fixed dates). An export is one folder, written
beside its destination under a temporary name and renamed into place whole, with a manifest
(every file's size and SHA-256, rows per list, and the last input of the log it reflects).
Nothing an input brings is written as a spreadsheet formula; in the PDF documents it is one line
of plain text (``core.documentos.una_linea``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

import msgspec

from .cycle import fecha_corta, plan_ciclo
from .documentos import OPINION_TITULO, Exhortos, exhortos_pdf, oficio_tercera
from .errors import RepseError
from .etiquetas import ESTADO, ESTADO_OBLIGACION, OBLIGACION, RESPONSABLE, fecha_hora, numero
from .vista import Ancla, Listado, Vista

Progreso = Callable[[int, int | None], None]


MANIFIESTO = "manifiesto.json"


class ExportError(RepseError):
    pass


class Archivo(msgspec.Struct, frozen=True, omit_defaults=True):
    """One file of an export, as its manifest lists it."""

    ruta: str  # relative to the export's folder
    bytes: int
    sha256: str
    filas: int | None = None  # a list's rows (contractors)


class Manifiesto(msgspec.Struct, frozen=True):
    """What one export folder holds, and the state it was made from."""

    ciclo: str
    ronda: int | str | None
    notificacion: date | None  # of the exhorto letters (round 1)
    ancla: Ancla | None  # the last input of the log reflected
    archivos: list[Archivo]


# --------------------------------------------------------------------------------------------
# File writers
# --------------------------------------------------------------------------------------------
# OWASP, CSV injection: a spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _celda(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: one that would start a formula is prefixed with
    a single quote (OWASP); numbers are not text and stay as they are; a date is ISO 8601."""
    if isinstance(value, date):
        return value.isoformat()
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def _con_ancla(headers: Sequence[str], ancla: Ancla | None) -> list[str]:
    """The header row, with the log's anchor as one more cell over an empty column: the first
    thing a spreadsheet shows, and a column an import does not know, so it ignores it (a line
    after the table would be read as one more row)."""
    return [*headers, ancla.leyenda()] if ancla else list(headers)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]],
              ancla: Ancla | None = None) -> bytes:
    """UTF-8 with BOM (so spreadsheet programs show Ñ and accents), comma-separated; with
    ``ancla``, every row has as many cells as the header."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_celda(v) for v in _con_ancla(headers, ancla)])
    vacia = [""] if ancla else []
    writer.writerows([*(_celda(v) for v in row), *vacia] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


FORMATO_FECHA = "dd-mm-yyyy"  # shown DD-MM-AAAA, as the rest of the product writes dates
_ANCHO_MAXIMO = 60  # characters; a longer razón social wraps in the cell's width when viewed


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
               ancla: Ancla | None = None) -> bytes:
    """An XLSX workbook with one sheet, byte-for-byte reproducible: openpyxl stamps the
    creation time in docProps/core.xml and the zip entries, so both are fixed here. ``ancla``
    is a header cell (see :func:`_con_ancla`) and the document's identifier. A date is a date
    cell shown DD-MM-AAAA; each column is as wide as its longest value (up to 60)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    def celda(value: object) -> object:
        """Strings as text cells (openpyxl would make one that starts with «=» a formula),
        dates as date cells."""
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = FORMATO_FECHA
            return cell
        return value

    wb = Workbook(write_only=True)
    if ancla:
        wb.properties.identifier = str(ancla)
    ws = wb.create_sheet(title=title[:31])
    rows = [list(row) for row in rows]
    anchos = [len(h) for h in headers]
    for row in rows:
        for k, value in enumerate(row):
            largo = len(FORMATO_FECHA) if isinstance(value, date) else len(str(value))
            anchos[k] = max(anchos[k], largo)
    for k, ancho in enumerate(anchos, 1):  # set before any row: a write-only sheet needs it
        ws.column_dimensions[get_column_letter(k)].width = min(ancho, _ANCHO_MAXIMO) + 2
    ws.append([celda(v) for v in _con_ancla(headers, ancla)])
    for row in rows:
        ws.append([celda(v) for v in row])
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


LIST_HEADERS = ("RFC", "Razón social", "Folio REPSE", "Opinión", "Fecha de consulta")


def _list_name(lst: Listado) -> str:
    if lst.ronda == "diaria":
        return f"listado_diario_{lst.consulta:%Y-%m-%d}_{lst.opinion}"
    return f"listado_ronda{lst.ronda}_{lst.opinion}"


def _list_rows(lst: Listado) -> list[tuple[str, str, str, str, date]]:
    return [(rfc, name, folio, OPINION_TITULO[lst.opinion], lst.consulta)
            for rfc, name, folio in lst.filas]


# --------------------------------------------------------------------------------------------
# The notification date of the letters, and what an export warns about
# --------------------------------------------------------------------------------------------
def notificacion_cartas(vista: Vista, ciclo: str, notificacion: date | None = None
                        ) -> tuple[date, list[str]]:
    """The day the round-1 letters say the exhorto is notified, and the warnings about it.

    By default the recorded exhorto's day (:meth:`Vista.exhorto_notificado`); before one is
    recorded, the last day the plan allows. A day before the cycle's consultation date (D0)
    is refused (:class:`ExportError`, with both dates): nobody is exhorted about a consultation
    not made yet. A day other than the recorded exhorto's is a warning: the letters would
    state a plazo other than the one the store runs."""
    d0 = vista.fecha_consulta(ciclo)
    registrada = vista.exhorto_notificado(ciclo)
    avisos = []
    if notificacion is None and registrada is not None:
        notificacion = registrada
    elif notificacion is None:
        notificacion = plan_ciclo(vista.ciclo(ciclo), vista.calendario,
                                  fecha_consulta=d0).exhorto
        avisos.append(f"el exhorto del ciclo {ciclo} no está registrado: las cartas se fechan "
                      f"el {fecha_corta(notificacion)}, último día del plan para notificarlo")
    if notificacion < d0:
        raise ExportError(f"la fecha de notificación de las cartas, {fecha_corta(notificacion)}"
                          f", es anterior a la fecha de consulta (D0) del ciclo {ciclo}, "
                          f"{fecha_corta(d0)}: el exhorto se notifica ese día o después")
    if registrada is not None and notificacion != registrada:
        avisos.append(f"la fecha de notificación de las cartas, {fecha_corta(notificacion)}, "
                      f"no es la del exhorto registrado, {fecha_corta(registrada)}: las cartas "
                      "dirán un plazo distinto del que corre en el almacén")
    return notificacion, avisos


def avisos_exportar(vista: Vista, ciclo: str, ronda: int | str | None,
                    notificacion: date | None = None) -> list[str]:
    """What to tell the operator before exporting (the export itself refuses only a
    notification date before D0, raising :class:`ExportError`)."""
    avisos = notificacion_cartas(vista, ciclo, notificacion)[1] if ronda == 1 else []
    if ronda in (1, 3) and vista.membrete is None:
        avisos.append("no hay membrete registrado: " + ("las cartas" if ronda == 1 else
                      "el oficio") + " llevan líneas en blanco para el lugar, el número de "
                      "oficio y quien firma; regístrelo con «repse membrete DB --archivo "
                      "membrete.toml»")
    return avisos


def _pie(ancla: Ancla | None) -> str:
    """The closing line of a letter or an oficio: the last input of the log it reflects."""
    return f"\n---\n\n{ancla.leyenda()}\n" if ancla else ""


# Line breaks (CommonMark's and Unicode's), other control characters, zero-width and bidi
# controls: each would let a value break the document's layout or hide what it says.
_MD_SALTO = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")
_MD_MARCA = re.compile(r"([\\`*_\[\]|~])")  # emphasis, code, links, table cells
_MD_ENTIDAD = re.compile(r"&(?=#?\w+;)")  # «&amp;» would be read as an HTML entity
_MD_INICIO = re.compile(r"^([#>+=-]|\d+(?=[.)]))")  # a heading, quote, list item or rule
_MD_ENLACE = re.compile(r"(?<=\w)(:(?=//)|\.(?=\w))", re.IGNORECASE)  # bare URLs autolink


def md_texto(valor: str) -> str:
    """``valor`` (something an input brought) as plain text inside a Markdown document: one
    line, nothing Markdown or HTML reads as markup. Escapes are backslashes (or entities for
    ``<`` ``>``), so the rendered text reads as the original."""
    s = _MD_SALTO.sub(" ", valor).strip()
    s = _MD_ENTIDAD.sub("&amp;", s)
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_MARCA.sub(r"\\\1", s)
    if "://" in s or "www." in s.lower():
        s = _MD_ENLACE.sub(r"\\\1", s)
    return _MD_INICIO.sub(r"\\\1", s)


def agenda_csv(vista: Vista, ciclo: str) -> bytes:
    """The cycle's obligations as the agenda screen names them; dates DD-MM-AAAA HH:MM, counts
    as numbers (a spreadsheet sums them)."""
    rows = [(fecha_hora(o.limite), OBLIGACION[o.clave], RESPONSABLE[o.responsable],
             ESTADO_OBLIGACION[o.estado], fecha_hora(o.cumplida_en) if o.cumplida_en else "",
             o.contratistas, o.pendientes)
            for o in vista.agenda(ciclo)]
    return csv_bytes(("Límite", "Obligación", "Responsable", "Estado", "Cumplida en",
                      "Contratistas", "Pendientes"), rows, vista.ancla)


def _listados_por_opinion(vista: Vista, ciclo: str, ronda: int) -> dict[str, int]:
    """How many contractors each list of ``ronda`` holds, by opinion."""
    out = dict.fromkeys(OPINION_TITULO, 0)
    for lst in vista.listados(ciclo, ronda):
        out[lst.opinion] += len(lst.filas)
    return out


def estadisticas_md(vista: Vista, ciclo: str) -> str:
    e = vista.estadisticas(ciclo)
    ciclo = e.ciclo
    ronda2 = _listados_por_opinion(vista, ciclo, 2)
    ronda3 = _listados_por_opinion(vista, ciclo, 3)
    rows = [
        ("Contratistas en el padrón", e.padron),
        ("Listados en la ronda 1: Negativa", e.negativa),
        ("Listados en la ronda 1: Sin opinión", e.sin_opinion),
        ("Exhortados", e.exhortados),
        ("Listados en la segunda consulta: Negativa", ronda2["negativa"]),
        ("Listados en la segunda consulta: Sin opinión", ronda2["sin_opinion"]),
        ("Regularizados en la segunda consulta", e.regularizados_ronda2),
        ("Listados en la tercera consulta: Negativa", ronda3["negativa"]),
        ("Listados en la tercera consulta: Sin opinión", ronda3["sin_opinion"]),
        ("Regularizados en la tercera consulta", e.regularizados_ronda3),
        ("Regularizados en una actualización diaria", e.regularizados_diaria),
        ("Cancelaciones impedidas (numeral 7)", e.suspendidos),
        ("Cancelados", e.cancelados),
        ("Concluidos sin registro (venció o se canceló fuera del ciclo)",
         e.concluidos_sin_registro),
        ("Excluidos por criterio del GT", e.excluidos),
    ]
    lines = [f"# Estadísticas del ciclo {ciclo}", "",
             f"Al {fecha_hora(vista.reloj)} (reloj del almacén).", "",
             "| Concepto | Contratistas |", "|---|---:|"]
    lines += [f"| {k} | {numero(v)} |" for k, v in rows]
    lines += ["", "## Expedientes por estado", "", "| Estado | Expedientes |", "|---|---:|"]
    lines += [f"| {ESTADO[s]} | {numero(n)} |" for s, n in e.por_estado.items()]
    return "\n".join(lines) + "\n" + _pie(vista.ancla)


# --------------------------------------------------------------------------------------------
def exportar(vista: Vista, ciclo: str, destino: Path, *, ronda: int | str | None = None,
             notificacion: date | None = None, progreso: Progreso | None = None) -> list[Path]:
    """Write what the round requires as the folder ``destino`` and return its files, in order
    (its manifest, :data:`MANIFIESTO`, apart).

    Every export writes the agenda and the statistics. Round 1 adds its lists and the exhorto
    letters as PDF, one per contractor in ``exhortos/`` and all of them in one file (notified
    on ``notificacion``, see :func:`notificacion_cartas`); round 2 its lists; round 3 its
    lists and IMSS's oficio (PDF); ``diaria`` the daily lists.

    The folder is written beside ``destino`` under a temporary name and renamed into place
    once complete: a previous export there is replaced whole (never merged), and an export
    that fails or is stopped leaves it as it was. A folder that holds anything but an export
    is refused.
    """
    c = vista.ciclo(ciclo)
    name = str(c)
    if ronda == 1:
        notificacion = notificacion_cartas(vista, name, notificacion)[0]
    with Carpeta(destino) as carpeta:
        write = carpeta.write
        if ronda is not None:
            lists = vista.listados(name, ronda)
            for lst in lists:
                rows = _list_rows(lst)
                write(f"{_list_name(lst)}.csv", csv_bytes(LIST_HEADERS, rows, vista.ancla),
                      len(rows))
                write(f"{_list_name(lst)}.xlsx",
                      xlsx_bytes(f"{OPINION_TITULO[lst.opinion]} ronda {lst.ronda}",
                                 LIST_HEADERS, rows, vista.ancla), len(rows))
            if ronda == 1:
                exhortados = vista.exhortados(name)
                with contextlib.closing(exhortos_pdf(Exhortos(vista, c, notificacion),
                                                     exhortados)) as pdfs:
                    # ``pdfs`` holds one more, the combined file, read after the letters.
                    for k, (x, pdf) in enumerate(zip(exhortados, pdfs, strict=False)):
                        write(f"exhortos/exhorto_{x.rfc}.pdf", pdf)
                        if progreso and k % 1000 == 0:
                            progreso(k, len(exhortados))
                    write(f"exhortos_{name}.pdf", next(pdfs))
            if ronda == 3:
                write("oficio_ronda3_cancelacion.pdf", oficio_tercera(vista, c, lists))
        write("agenda.csv", agenda_csv(vista, name))
        write("estadisticas.md", estadisticas_md(vista, name))
        if progreso:
            progreso(len(carpeta.archivos), len(carpeta.archivos))
        return carpeta.cerrar(Manifiesto(name, ronda, notificacion if ronda == 1 else None,
                                         vista.ancla, carpeta.archivos))


class Carpeta:
    """An export folder: written beside ``destino`` under a temporary name and renamed into
    place whole by :meth:`cerrar` with its manifest; removed if anything fails before."""

    def __init__(self, destino: Path) -> None:
        self.destino = Path(destino)
        _comprobar_destino(self.destino)
        self.destino.absolute().parent.mkdir(parents=True, exist_ok=True)
        self.marca = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.obra = _junto(self.destino, f"exportando-{self.marca}")
        self.archivos: list[Archivo] = []

    def __enter__(self) -> Carpeta:
        self.obra.mkdir()
        return self

    def __exit__(self, tipo, *_) -> None:
        if tipo is not None:
            shutil.rmtree(self.obra, ignore_errors=True)

    def write(self, rel: str, data: bytes | str, filas: int | None = None) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.obra / rel
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
        self.archivos.append(Archivo(rel, len(raw), hashlib.sha256(raw).hexdigest(), filas))

    def cerrar(self, manifiesto: Manifiesto) -> list[Path]:
        """Write the manifest and put the folder in place; its files, in order."""
        (self.obra / MANIFIESTO).write_bytes(
            msgspec.json.format(msgspec.json.encode(manifiesto)) + b"\n")
        _reemplazar(self.destino, self.obra, self.marca)
        return [self.destino / a.ruta for a in self.archivos]


def resumen(destino: Path, archivos: Sequence[Path]) -> list[str]:
    """What an export wrote, as lines for a person: a folder of letters as its count, the few
    other files by name, with thousands separated."""
    destino = Path(destino)
    carpetas: dict[str, int] = {}
    sueltos = []
    for f in archivos:
        rel = f.relative_to(destino)
        if len(rel.parts) > 1:
            carpetas[rel.parts[0]] = carpetas.get(rel.parts[0], 0) + 1
        else:
            sueltos.append(str(rel))
    lineas = [f"Carpeta: {destino}"]
    lineas += [f"  {c}/: {n:,} cartas de exhorto (PDF, una por contratista)"
               if c == "exhortos" else f"  {c}/: {n:,} archivos" for c, n in carpetas.items()]
    lineas += [f"  {nombre}" for nombre in sueltos]
    if (destino / MANIFIESTO).is_file():  # a folder export; one input's CSV files have none
        lineas.append(f"  {MANIFIESTO}: tamaño y SHA-256 de cada archivo")
    return lineas


def _junto(destino: Path, sufijo: str) -> Path:
    """A hidden sibling of ``destino`` (same file system, so renaming is atomic)."""
    full = destino.absolute()
    return full.parent / f".{full.name}.{sufijo}"


def _comprobar_destino(destino: Path) -> None:
    if destino.exists() and not destino.is_dir():
        raise ExportError(f"{destino}: existe y no es una carpeta")
    if destino.is_dir() and any(destino.iterdir()) and not (destino / MANIFIESTO).is_file():
        raise ExportError(f"la carpeta {destino} no está vacía y no es una exportación de repse "
                          f"(no tiene {MANIFIESTO}): elija otra carpeta o vacíela")


def _reemplazar(destino: Path, obra: Path, marca: str) -> None:
    """Put the finished folder ``obra`` in place of ``destino``. A folder left beside it by an
    export that was killed (``.<carpeta>.exportando-*``, ``.<carpeta>.anterior-*``) is
    removed now."""
    for resto in (*destino.absolute().parent.glob(f".{destino.absolute().name}.exportando-*"),
                  *destino.absolute().parent.glob(f".{destino.absolute().name}.anterior-*")):
        if resto != obra:
            shutil.rmtree(resto, ignore_errors=True)
    if not destino.exists():
        os.replace(obra, destino)
        return
    anterior = _junto(destino, f"anterior-{marca}")
    os.replace(destino, anterior)
    try:
        os.replace(obra, destino)
    except BaseException:
        os.replace(anterior, destino)
        raise
    shutil.rmtree(anterior)
