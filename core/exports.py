"""What the institutions must send, produced from the engine's state: the lists of each round
(Negativa and Sin opinión apart, CSV and XLSX), the exhorto letters, IMSS's oficio with the
round-3 list, the daily lists, the agenda and the cycle's statistics.

Exports are deterministic: the same store gives the same bytes (rows sorted by RFC, no
timestamps inside — XLSX files are re-packed with fixed dates).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .cycle import DIAS_REGULARIZACION, Ciclo, plan_ciclo
from .errors import RepseError
from .motor import EXP, OPINIONES, CicloEstado, Engine, instant
from .plazos import natural_plazo_end
from .views import estadisticas, obligaciones

Progreso = Callable[[int, int | None], None]
OPINION_TITULO = {"negativa": "Negativa", "sin_opinion": "Sin opinión"}
RONDA_ESTADO = {1: "en_consulta", 2: "segunda_consulta", 3: "tercera_consulta",
                "diaria": "cancelacion_suspendida"}
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")


class ExportError(RepseError):
    pass


def fecha_larga(d: date) -> str:
    """``26 de enero de 2026``: dates in letters and oficios."""
    return f"{d.day} de {MESES[d.month - 1]} de {d.year}"


@dataclass(frozen=True)
class Listado:
    """One list: the contractors of a round with one outcome, and the consultation date."""

    ronda: int | str
    opinion: str
    consulta: date
    filas: list[tuple[str, str, str]]  # (RFC, razón social, folio), sorted by RFC


def listados(engine: Engine, ciclo: str, ronda: int | str) -> list[Listado]:
    """The Negativa and Sin opinión lists of one round (for ``diaria``, one pair per day)."""
    c = _ciclo(engine, ciclo)
    source = EXP[RONDA_ESTADO[ronda]]
    by_key: dict[tuple[date, str], set[int]] = {}
    for lote in engine.lotes:
        if lote.ciclo != ciclo or lote.evento not in ("opinion_negativa", "opinion_sin_opinion"):
            continue
        hit = lote.desde == source
        if not hit.any():
            continue
        opinion = lote.evento.removeprefix("opinion_")
        day = instant(lote.at).date() if ronda != 1 else date.fromordinal(c.d0)
        by_key.setdefault((day, opinion), set()).update(lote.idx[hit].tolist())
    days = sorted({d for d, _ in by_key}) or ([date.fromordinal(c.d0)] if ronda == 1 else [])
    out = []
    for day in days:
        for opinion in ("negativa", "sin_opinion"):
            ids = by_key.get((day, opinion), set())
            rows = sorted((engine.rfcs[i], engine.razon_social[i], engine.folio[i]) for i in ids)
            out.append(Listado(ronda, opinion, day, rows))
    return out


def ronda_en_curso(engine: Engine, ciclo: str) -> int | str | None:
    """The round whose lists are the latest of the cycle: ``diaria`` once any cancellation was
    impeded, else the last round with opinions received (None before round 1)."""
    c = _ciclo(engine, ciclo)
    if (c.suspendida_desde > 0).any():
        return "diaria"
    for ronda, column in ((3, c.tercera_consulta_recibida), (2, c.segunda_consulta_recibida),
                          (1, c.primera_consulta_recibida)):
        if (column > 0).any():
            return ronda
    return None


def _ciclo(engine: Engine, ciclo: str) -> CicloEstado:
    name = str(Ciclo.parse(ciclo))
    if name not in engine.ciclos:
        raise ExportError(f"el ciclo {name} no se ha abierto: falta su padrón")
    return engine.ciclos[name]


# --------------------------------------------------------------------------------------------
# File writers
# --------------------------------------------------------------------------------------------
def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM (so spreadsheet programs show Ñ and accents), comma-separated."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An XLSX workbook with one sheet, byte-for-byte reproducible: openpyxl stamps the
    creation time in docProps/core.xml and the zip entries, so both are fixed here."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
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
def carta_exhorto(engine: Engine, i: int, c: CicloEstado, notificacion: date) -> str:
    """The joint exhorto to one contractor (numeral 2), with its plazo and last day."""
    d0 = date.fromordinal(c.d0)
    conjunto = engine.cal.conjunto()
    prorroga = engine.cal.politicas.prorroga_plazo_natural
    ultimo = natural_plazo_end(notificacion, DIAS_REGULARIZACION, conjunto, prorroga=prorroga)
    p = int(c.posicion_de[i])
    opinion = OPINION_TITULO.get(OPINIONES[c.opinion_ronda1[p]], "—")
    contacto = [x for x in (engine.domicilio[i], engine.correo[i]) if x]
    destino = "\\\n".join(contacto) if contacto else "(domicilio no registrado)"
    bare = notificacion.toordinal() + DIAS_REGULARIZACION
    extension = ""
    if ultimo.toordinal() != bare:
        extension = (f" Como el trigésimo día natural, {fecha_larga(date.fromordinal(bare))}, "
                     "es inhábil, el plazo se prorroga al siguiente día hábil (artículo 29 de la "
                     "Ley Federal de Procedimiento Administrativo).")
    return f"""# Exhorto de cumplimiento de obligaciones en materia de seguridad social

**Ciclo {c.nombre}**

**{engine.razon_social[i]}**\\
RFC: {engine.rfcs[i]}\\
Folio REPSE: {engine.folio[i]}\\
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
"""


def oficio_tercera(engine: Engine, c: CicloEstado, lists: Sequence[Listado]) -> str:
    """IMSS's oficio to STPS with the round-3 list of registrations to cancel (numerales 6, 9)."""
    consulta = lists[0].consulta if lists else None
    total = sum(len(lst.filas) for lst in lists)
    lines = [
        "# Oficio: listado de contratistas para cancelación del registro REPSE",
        "",
        f"**Ciclo {c.nombre}** — tercera consulta de la opinión de cumplimiento"
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
            lines += [f"| {rfc} | {name.replace('|', '/')} | {folio} |"
                      for rfc, name, folio in lst.filas]
        else:
            lines.append("(ninguno)")
    lines += ["", "Atentamente,", "", "Dirección de Incorporación y Recaudación, IMSS", ""]
    return "\n".join(lines)


def agenda_csv(engine: Engine, ciclo: str) -> bytes:
    rows = [(o.limite.isoformat(), o.clave, o.responsable.upper(), o.estado,
             o.cumplida_en.isoformat() if o.cumplida_en else "", o.contratistas, o.pendientes)
            for o in obligaciones(engine) if o.ciclo == ciclo]
    return csv_bytes(("Límite", "Obligación", "Responsable", "Estado", "Cumplida en",
                      "Contratistas", "Pendientes"), rows)


def estadisticas_md(engine: Engine, ciclo: str) -> str:
    ciclo = _ciclo(engine, ciclo).nombre
    e = estadisticas(engine, ciclo)
    rows = [
        ("Contratistas en el padrón", e.padron),
        ("Listados en la ronda 1: Negativa", e.negativa),
        ("Listados en la ronda 1: Sin opinión", e.sin_opinion),
        ("Exhortados", e.exhortados),
        ("Regularizados en la segunda consulta", e.regularizados_ronda2),
        ("Regularizados en la tercera consulta", e.regularizados_ronda3),
        ("Regularizados en una actualización diaria", e.regularizados_diaria),
        ("Cancelaciones impedidas (numeral 7)", e.suspendidos),
        ("Cancelados", e.cancelados),
        ("Excluidos por criterio del GT", e.excluidos),
    ]
    lines = [f"# Estadísticas del ciclo {ciclo}", "",
             f"Al {instant(engine.reloj):%Y-%m-%d %H:%M} (reloj del almacén).", "",
             "| Concepto | Contratistas |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines += ["", "## Expedientes por estado", "", "| Estado | Expedientes |", "|---|---:|"]
    lines += [f"| {s} | {n} |" for s, n in e.por_estado.items()]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
def exportar(engine: Engine, ciclo: str, destino: Path, *, ronda: int | str | None = None,
             notificacion: date | None = None, progreso: Progreso | None = None) -> list[Path]:
    """Write what the round requires into ``destino`` and return the files, in order.

    Every export writes the agenda and the statistics. Round 1 adds its lists and the exhorto
    letters (notified on ``notificacion``, by default the last day the plan allows); round 2
    its lists; round 3 its lists and IMSS's oficio; ``diaria`` the daily lists.
    """
    c = _ciclo(engine, ciclo)
    name = c.nombre
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(rel: str, data: bytes | str) -> None:
        path = destino / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        written.append(path)

    if ronda is not None:
        lists = listados(engine, name, ronda)
        for lst in lists:
            rows = _list_rows(lst)
            write(f"{_list_name(lst)}.csv", csv_bytes(LIST_HEADERS, rows))
            write(f"{_list_name(lst)}.xlsx",
                  xlsx_bytes(f"{OPINION_TITULO[lst.opinion]} ronda {lst.ronda}", LIST_HEADERS,
                             rows))
        if ronda == 1:
            if notificacion is None:
                notificacion = plan_ciclo(c.ciclo, engine.cal).exhorto
            flagged = np.flatnonzero(c.limite_exhorto > 0)
            ids = sorted(c.contratista[flagged].tolist(), key=lambda i: engine.rfcs[i])
            for k, i in enumerate(ids):
                write(f"exhortos/exhorto_{engine.rfcs[i]}.md",
                      carta_exhorto(engine, i, c, notificacion))
                if progreso and k % 1000 == 0:
                    progreso(k, len(ids))
        if ronda == 3:
            write("oficio_ronda3_cancelacion.md", oficio_tercera(engine, c, lists))
    write("agenda.csv", agenda_csv(engine, name))
    write("estadisticas.md", estadisticas_md(engine, name))
    if progreso:
        progreso(len(written), len(written))
    return written
