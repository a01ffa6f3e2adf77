"""What the institutions must send, produced from the read model (``core.vista.Vista``): the
lists of each round (Negativa and Sin opinión apart, CSV and XLSX), the exhorto letters, IMSS's
oficio with the round-3 list, the daily lists, the agenda and the cycle's statistics.

Exports are deterministic: the same store gives the same bytes (rows sorted by RFC, no
timestamps inside — XLSX files are re-packed with fixed dates). An export is one folder, written
beside its destination under a temporary name and renamed into place whole, with a manifest
(every file's size and SHA-256, rows per list, and the last input of the log it reflects).
Nothing an input brings is written as a spreadsheet formula or as Markdown/HTML markup.
"""

from __future__ import annotations

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

from .cycle import DIAS_REGULARIZACION, Ciclo, plan_ciclo
from .errors import RepseError
from .etiquetas import ESTADO, ESTADO_OBLIGACION, OBLIGACION, RESPONSABLE, fecha_hora, numero
from .plazos import natural_plazo_end
from .vista import Ancla, Exhortado, Listado, Vista

Progreso = Callable[[int, int | None], None]
OPINION_TITULO = {"negativa": "Negativa", "sin_opinion": "Sin opinión"}
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")


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


def fecha_larga(d: date) -> str:
    """``26 de enero de 2026``: dates in letters and oficios."""
    return f"{d.day} de {MESES[d.month - 1]} de {d.year}"


# --------------------------------------------------------------------------------------------
# File writers
# --------------------------------------------------------------------------------------------
# OWASP, CSV injection: a spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _celda(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: one that would start a formula is prefixed with
    a single quote (OWASP); numbers are not text and stay as they are."""
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


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
               ancla: Ancla | None = None) -> bytes:
    """An XLSX workbook with one sheet, byte-for-byte reproducible: openpyxl stamps the
    creation time in docProps/core.xml and the zip entries, so both are fixed here. ``ancla``
    is a header cell (see :func:`_con_ancla`) and the document's identifier."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def texto(value: object) -> object:
        """Strings as text cells: openpyxl would make one that starts with «=» a formula."""
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell

    wb = Workbook(write_only=True)
    if ancla:
        wb.properties.identifier = str(ancla)
    ws = wb.create_sheet(title=title[:31])
    ws.append([texto(v) for v in _con_ancla(headers, ancla)])
    for row in rows:
        ws.append([texto(v) for v in row])
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


def _list_rows(lst: Listado) -> list[tuple[str, str, str, str, str]]:
    return [(rfc, name, folio, OPINION_TITULO[lst.opinion], lst.consulta.isoformat())
            for rfc, name, folio in lst.filas]


# --------------------------------------------------------------------------------------------
# Letters and oficios (Markdown, Spanish)
# --------------------------------------------------------------------------------------------
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


def carta_exhorto(vista: Vista, ciclo: Ciclo, x: Exhortado, notificacion: date) -> str:
    """The joint exhorto to one contractor (numeral 2), with its plazo and last day."""
    d0 = vista.fecha_consulta(ciclo)  # as a GT criterion may have moved it (numeral 8)
    cal = vista.calendario
    ultimo = natural_plazo_end(notificacion, DIAS_REGULARIZACION, cal.conjunto(),
                               prorroga=cal.politicas.prorroga_plazo_natural)
    opinion = OPINION_TITULO.get(x.opinion, "—")
    contacto = [md_texto(v) for v in (x.domicilio, x.correo) if v]
    destino = "\\\n".join(contacto) if contacto else "(domicilio no registrado)"
    bare = notificacion.toordinal() + DIAS_REGULARIZACION
    extension = ""
    if ultimo.toordinal() != bare:
        extension = (f" Como el trigésimo día natural, {fecha_larga(date.fromordinal(bare))}, "
                     "es inhábil, el plazo se prorroga al siguiente día hábil (artículo 29 de la "
                     "Ley Federal de Procedimiento Administrativo).")
    return f"""# Exhorto de cumplimiento de obligaciones en materia de seguridad social

**Ciclo {ciclo}**

**{md_texto(x.razon_social)}**\\
RFC: {md_texto(x.rfc)}\\
Folio REPSE: {md_texto(x.folio)}\\
{destino}

El Instituto Mexicano del Seguro Social y la Secretaría del Trabajo y Previsión Social, de
manera conjunta, le informan que en la consulta de la opinión del cumplimiento de obligaciones
en materia de seguridad social realizada el **{fecha_larga(d0)}** (fecha de consulta), usted
obtuvo resultado **«{opinion}»**.

Con fundamento en el numeral 2 del Mecanismo de intercambio de información entre el IMSS y la
STPS para las prestadoras de servicios especializados o de ejecución de obras especializadas,
en los artículos 15 A de la Ley del Seguro Social y 15 de la Ley Federal del Trabajo, se le
exhorta a regularizar su situación ante el IMSS dentro de un plazo de **30 días naturales**,
contados a partir del día siguiente a la notificación de este exhorto, que surte efectos el
**{fecha_larga(notificacion)}** (artículo 38 de la Ley Federal de Procedimiento
Administrativo). El plazo vence el **{fecha_larga(ultimo)}**.{extension}

Al día hábil siguiente al vencimiento del plazo, el IMSS consultará nuevamente su opinión de
cumplimiento. De persistir el resultado «Negativa» o «Sin opinión», la STPS iniciará el
procedimiento de cancelación de su registro en el REPSE (numerales 3 y 4 del Mecanismo;
DÉCIMO QUINTO del Acuerdo por el que se dan a conocer las disposiciones de carácter general
para el registro de personas físicas o morales que presten servicios especializados o ejecuten
obras especializadas).

Atentamente,

Por el Instituto Mexicano del Seguro Social\\
Dirección de Incorporación y Recaudación

Por la Secretaría del Trabajo y Previsión Social\\
Unidad de Trabajo Digno
{_pie(vista.ancla)}"""


def _pie(ancla: Ancla | None) -> str:
    """The closing line of a letter or an oficio: the last input of the log it reflects."""
    return f"\n---\n\n{ancla.leyenda()}\n" if ancla else ""


def oficio_tercera(ciclo: Ciclo, lists: Sequence[Listado], ancla: Ancla | None) -> str:
    """IMSS's oficio to STPS with the round-3 list of registrations to cancel (numerales 6, 9)."""
    consulta = lists[0].consulta if lists else None
    total = sum(len(lst.filas) for lst in lists)
    lines = [
        "# Oficio: listado de contratistas para cancelación del registro REPSE",
        "",
        f"**Ciclo {ciclo}** — tercera consulta de la opinión de cumplimiento"
        + (f" del {fecha_larga(consulta)}" if consulta else ""),
        "",
        "**De:** Instituto Mexicano del Seguro Social, Dirección de Incorporación y Recaudación\\",
        "**Para:** Secretaría del Trabajo y Previsión Social, Unidad de Trabajo Digno",
        "",
        "Con fundamento en los numerales 5, 6 y 9 del Mecanismo de intercambio de información "
        "entre el IMSS y la STPS, se remite por oficio el listado de los contratistas a los que "
        "se inició el procedimiento de cancelación del registro REPSE y que continúan con "
        "opinión «Negativa» o «Sin opinión» en la tercera consulta, a fin de que esa Secretaría "
        "proceda ese mismo día a la cancelación de su registro (numeral 6).",
        "",
        f"Total: {total} contratistas.",
    ]
    for lst in lists:
        lines += ["", f"## Opinión «{OPINION_TITULO[lst.opinion]}» ({len(lst.filas)})", ""]
        if lst.filas:
            lines += ["| RFC | Razón social | Folio REPSE |", "|---|---|---|"]
            lines += [f"| {md_texto(rfc)} | {md_texto(name)} | {md_texto(folio)} |"
                      for rfc, name, folio in lst.filas]
        else:
            lines.append("(ninguno)")
    lines += ["", "Atentamente,", "", "Dirección de Incorporación y Recaudación, IMSS", ""]
    return "\n".join(lines) + _pie(ancla)


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
    letters (notified on ``notificacion``, by default the last day the plan allows); round 2
    its lists; round 3 its lists and IMSS's oficio; ``diaria`` the daily lists.

    The folder is written beside ``destino`` under a temporary name and renamed into place
    once complete: a previous export there is replaced whole (never merged), and an export
    that fails or is stopped leaves it as it was. A folder that holds anything but an export
    is refused.
    """
    c = vista.ciclo(ciclo)
    name = str(c)
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
                if notificacion is None:
                    notificacion = plan_ciclo(c, vista.calendario,
                                              fecha_consulta=vista.fecha_consulta(name)).exhorto
                exhortados = vista.exhortados(name)
                for k, x in enumerate(exhortados):
                    write(f"exhortos/exhorto_{x.rfc}.md",
                          carta_exhorto(vista, c, x, notificacion))
                    if progreso and k % 1000 == 0:
                        progreso(k, len(exhortados))
            if ronda == 3:
                write("oficio_ronda3_cancelacion.md", oficio_tercera(c, lists, vista.ancla))
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
