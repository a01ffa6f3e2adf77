"""The documents the institutions sign, as PDF (A4): the joint exhorto letters (numeral 2; one
file per contractor and one with them all) and IMSS's oficio to STPS with the round-3 list
(numerales 6 y 9); and the membrete they are signed with, which the GT fills once per store.

The PDFs are drawn with ReportLab's canvas and its standard fonts (nothing to embed, nothing
to find on the machine): 18,000 letters, each in its file and all in one, take about 30 s of
CPU, shared by a process per core (:func:`exhortos_pdf`; ``make bench``). They are
deterministic (``invariant``: no creation time, a fixed document id) and their text is
extractable, so a test reads each letter back. A value an input brought is one line of text:
line breaks, control, zero-width and bidi characters become spaces, and a character the fonts
cannot show becomes its unaccented letter or «?».
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import multiprocessing.resource_tracker
import os
import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import inputs as inp
from .cycle import DIAS_REGULARIZACION, Ciclo
from .errors import RepseError
from .plazos import natural_plazo_end
from .vista import Ancla, Exhortado, Listado, Vista

# Compressed streams stay binary: ASCII85 on top only makes them larger and costs a tenth of
# the time of 18,000 letters. ReportLab reads this setting when it writes each stream.
rl_config.useA85 = 0

MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")
OPINION_TITULO = {"negativa": "Negativa", "sin_opinion": "Sin opinión"}
IMSS = "Instituto Mexicano del Seguro Social"
STPS = "Secretaría del Trabajo y Previsión Social"


def fecha_larga(d: date) -> str:
    """``26 de enero de 2026``: dates in letters and oficios."""
    return f"{d.day} de {MESES[d.month - 1]} de {d.year}"


class MembreteError(RepseError):
    pass


# --------------------------------------------------------------------------------------------
# The membrete, read from the GT's TOML file
# --------------------------------------------------------------------------------------------
_DONDE_TOML = re.compile(r"at line (\d+), column (\d+)")
_CLAVES = {"prefijo_oficio": None, "lugar": None,
           "imss": ("nombre", "cargo"), "stps": ("nombre", "cargo")}


def leer_membrete(ruta: Path, *, at: datetime, usuario: str | None = None) -> inp.Membrete:
    """The membrete input that ``ruta`` (TOML) describes, recorded at ``at`` by the GT; or
    :class:`MembreteError` naming the file, the key and the reason::

        prefijo_oficio = "DIR/REPSE"
        lugar = "Ciudad de México"
        [imss]
        nombre = "…"
        cargo = "Titular de la Dirección de Incorporación y Recaudación"
        [stps]
        nombre = "…"
        cargo = "Titular de la Unidad de Trabajo Digno"
    """
    ruta = Path(ruta)
    try:
        datos = tomllib.loads(ruta.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MembreteError(f"{ruta}: el archivo no existe") from None
    except OSError as exc:
        raise MembreteError(f"{ruta}: no se puede leer ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise MembreteError(f"{ruta}: no está en UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        donde = _DONDE_TOML.search(str(exc))
        raise MembreteError(f"{ruta}: no es TOML válido" + (
            f" (línea {donde[1]}, columna {donde[2]})" if donde else "")
            + "; cada clave se escribe «clave = \"texto\"»") from None
    campos: dict[str, Any] = {}
    for clave in datos.keys() - _CLAVES.keys():
        raise MembreteError(f"{ruta}: clave desconocida «{clave}»; las claves son "
                            "prefijo_oficio, lugar, [imss] y [stps] (nombre y cargo)")
    for clave, sub in _CLAVES.items():
        if sub is None:
            campos[clave] = _texto(ruta, clave, datos.get(clave))
            continue
        tabla = datos.get(clave)
        if not isinstance(tabla, dict):
            raise MembreteError(f"{ruta}: falta la tabla [{clave}] (nombre y cargo de quien "
                                f"firma por {'el IMSS' if clave == 'imss' else 'la STPS'})")
        for otra in tabla.keys() - set(sub):
            raise MembreteError(f"{ruta}: clave desconocida «{clave}.{otra}»; [{clave}] lleva "
                                "nombre y cargo")
        campos[clave] = {s: _texto(ruta, f"{clave}.{s}", tabla.get(s)) for s in sub}
    try:
        return inp.construir(inp.Membrete, at=at, actor="gt", usuario=usuario,
                             archivo=str(ruta), **campos)
    except inp.InputError as exc:
        raise MembreteError(f"{ruta}: {exc.motivo}") from None


def _texto(ruta: Path, clave: str, valor: object) -> str:
    if valor is None:
        raise MembreteError(f"{ruta}: falta la clave «{clave}»")
    if not isinstance(valor, str):
        raise MembreteError(f"{ruta}: la clave «{clave}» debe ser un texto entre comillas, no "
                            f"«{valor}»")
    if not valor.strip():
        raise MembreteError(f"{ruta}: la clave «{clave}» está vacía")
    return valor.strip()


def numero_oficio(membrete: inp.Membrete | None, ciclo: Ciclo) -> str:
    """The round-3 oficio's number: the GT's prefix, the cycle and the round; blank without a
    membrete, to be filled by hand."""
    if membrete is None:
        return "____________________"
    return f"{membrete.prefijo_oficio.rstrip('/ -')}/{ciclo}/R3"


# --------------------------------------------------------------------------------------------
# Text the standard fonts can show
# --------------------------------------------------------------------------------------------
_SALTO = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")


@lru_cache(maxsize=4096)
def _mostrable(ch: str) -> str:
    try:
        ch.encode("cp1252")  # the standard fonts' encoding (WinAnsi)
        return ch
    except UnicodeEncodeError:
        base = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
        return base or "?"


def una_linea(valor: str) -> str:
    """``valor`` (something an input brought) as one line the fonts can show."""
    s = _SALTO.sub(" ", valor).strip()
    try:
        s.encode("cp1252")
        return s
    except UnicodeEncodeError:
        return "".join(map(_mostrable, s))


# --------------------------------------------------------------------------------------------
# Drawing: one writer on one or more canvases (a letter's own file and the combined one)
# --------------------------------------------------------------------------------------------
ANCHO_PAGINA, ALTO_PAGINA = A4
MARGEN = 2.2 * cm
ANCHO = ANCHO_PAGINA - 2 * MARGEN
NORMAL, NEGRITA = "Helvetica", "Helvetica-Bold"
CUERPO = 10.0
INTERLINEA = 13.5
_ESPACIO_FIRMA = 4  # blank lines of 12 points between an institution's name and its line


@lru_cache(maxsize=4096)
def _partir(texto: str, fuente: str, tamano: float, ancho: float) -> tuple[str, ...]:
    """``texto`` in lines of at most ``ancho`` points (the letters' paragraphs are the same
    for every contractor: they are wrapped once)."""
    return tuple(simpleSplit(texto, fuente, tamano, ancho)) or ("",)


def _lienzo(titulo: str, ancla: Ancla | None) -> tuple[Canvas, io.BytesIO]:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(titulo)
    c.setAuthor(f"{IMSS} y {STPS}")
    if ancla:
        c.setSubject(ancla.leyenda())
    return c, buf


class _Escritor:
    """Draws top to bottom on every canvas given, starting a new page when one is full. A
    page's text is one text object per canvas (with a ``drawString`` per line, a letter took
    half as long again)."""

    def __init__(self, lienzos: Sequence[Canvas], encabezado: str, ancla: Ancla | None) -> None:
        self.lienzos, self.encabezado, self.ancla = lienzos, encabezado, ancla
        self.pagina = 0
        self.y = 0.0
        self._empezar()

    def _empezar(self) -> None:
        self.pagina += 1
        self.textos = [c.beginText() for c in self.lienzos]
        self._fuente: tuple[str, float] | None = None
        y = ALTO_PAGINA - MARGEN + 0.8 * cm
        for c in self.lienzos:
            c.setLineWidth(0.5)
            c.line(MARGEN, y - 4, ANCHO_PAGINA - MARGEN, y - 4)
        self.escribir(MARGEN, y, IMSS.upper(), NEGRITA, 8)
        self.escribir(MARGEN, y, STPS.upper(), NEGRITA, 8, derecha=True)
        self.escribir(MARGEN, MARGEN - 1.0 * cm, self.encabezado, NORMAL, 7)
        self.escribir(MARGEN, MARGEN - 1.0 * cm, f"Página {self.pagina}", NORMAL, 7,
                      derecha=True)
        if self.ancla:
            self.escribir(MARGEN, MARGEN - 1.4 * cm, self.ancla.leyenda(), NORMAL, 7)
        self.y = ALTO_PAGINA - MARGEN - 0.4 * cm

    def escribir(self, x: float, y: float, texto: str, fuente: str, tamano: float, *,
                 derecha: bool = False, celda: bool = False) -> None:
        """``texto`` from ``x`` (or ending at the right margin) on the baseline ``y``; a
        table's ``celda`` keeps the line open, so that a row's text reads as one line."""
        if derecha:
            x = ANCHO_PAGINA - MARGEN - stringWidth(texto, fuente, tamano)
        cambia = self._fuente != (fuente, tamano)
        self._fuente = (fuente, tamano)
        for t in self.textos:
            if cambia:
                t.setFont(fuente, tamano)
            t.setTextOrigin(x, y)
            if celda:
                t.textOut(texto)
            else:  # unlike textOut, it measures nothing: the next origin is set anyway
                t.textLine(texto)

    def terminar(self) -> None:
        for c, t in zip(self.lienzos, self.textos, strict=True):
            c.drawText(t)
            c.showPage()

    def espacio(self, alto: float) -> None:
        """Make room for ``alto`` points, on a new page if this one has not."""
        if self.y - alto < MARGEN:
            self.terminar()
            self._empezar()

    def linea(self, texto: str, *, fuente: str = NORMAL, tamano: float = CUERPO,
              x: float = MARGEN, derecha: bool = False) -> None:
        self.espacio(INTERLINEA)
        self.y -= INTERLINEA
        self.escribir(x, self.y, texto, fuente, tamano, derecha=derecha)

    def parrafo(self, texto: str, *, fuente: str = NORMAL, tamano: float = CUERPO,
                antes: float = 6.0) -> None:
        self.y -= antes
        for ln in _partir(texto, fuente, tamano, ANCHO):
            self.linea(ln, fuente=fuente, tamano=tamano)

    def saltar(self, puntos: float) -> None:
        self.y -= puntos

    def firmas(self, firmantes: Sequence[tuple[str, inp.Firmante | None]]) -> None:
        """A place to sign for each institution, side by side: a line, the signer's name
        and post (blank lines to fill by hand without a membrete), the institution."""
        ancho = ANCHO / len(firmantes)
        filas = [[("Por el " if inst == IMSS else "Por la ") + inst] for inst, _ in firmantes]
        for fila, (_, f) in zip(filas, firmantes, strict=True):
            fila += [""] * _ESPACIO_FIRMA + ["_" * 34]
            if f is None:
                fila += ["Nombre: ________________________", "Cargo: _________________________"]
            else:
                fila += [*_partir(una_linea(f.nombre), NEGRITA, 9, ancho - 12),
                         *_partir(una_linea(f.cargo), NORMAL, 9, ancho - 12)]
        alto = max(map(len, filas)) * 12 + 18
        self.espacio(alto)
        self.y -= 18
        for k, fila in enumerate(filas):
            x, y = MARGEN + k * ancho, self.y
            for n, texto in enumerate(fila):
                y -= 12
                # The institution, and the signer's name right under the line, in bold.
                negrita = n in (0, _ESPACIO_FIRMA + 2)
                if texto:
                    self.escribir(x, y, texto, NEGRITA if negrita else NORMAL, 9)
        self.y -= alto - 18


def lugar_y_fecha(membrete: inp.Membrete | None, dia: date) -> str:
    lugar = una_linea(membrete.lugar) if membrete else "____________________"
    return f"{lugar}, a {fecha_larga(dia)}"


# --------------------------------------------------------------------------------------------
# The exhorto letters
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _DatosCarta:
    ciclo: Ciclo
    d0: date
    notificacion: date
    ultimo: date
    extension: str


class Exhortos:
    """The joint exhorto letters of one cycle, notified on ``notificacion``. Plain data (no
    read model): a process of :func:`exhortos_pdf` draws with a copy of it."""

    def __init__(self, vista: Vista, ciclo: Ciclo, notificacion: date) -> None:
        cal = vista.calendario
        ultimo = natural_plazo_end(notificacion, DIAS_REGULARIZACION, cal.conjunto(),
                                   prorroga=cal.politicas.prorroga_plazo_natural)
        bare = date.fromordinal(notificacion.toordinal() + DIAS_REGULARIZACION)
        extension = "" if ultimo == bare else (
            f" Como el trigésimo día natural, {fecha_larga(bare)}, es inhábil, el plazo se "
            "prorroga al siguiente día hábil (artículo 29 de la Ley Federal de Procedimiento "
            "Administrativo).")
        self.datos = _DatosCarta(ciclo, vista.fecha_consulta(str(ciclo)), notificacion, ultimo,
                                 extension)
        self.membrete, self.ancla = vista.membrete, vista.ancla

    def carta(self, x: Exhortado, *, tambien: Canvas | None = None) -> bytes:
        """One letter as its own PDF, drawn ``tambien`` as the next page(s) of another."""
        c, buf = _lienzo(f"Exhorto a {una_linea(x.rfc)}", self.ancla)
        self._escribir((c, tambien) if tambien else (c,), x)
        c.save()
        return buf.getvalue()

    def sueltas(self, xs: Sequence[Exhortado]) -> list[bytes]:
        return [self.carta(x) for x in xs]

    def todas(self, xs: Sequence[Exhortado]) -> bytes:
        """Every letter in one PDF."""
        c, buf = self.lienzo_todas()
        for x in xs:
            self._escribir((c,), x)
        c.save()
        return buf.getvalue()

    def lienzo_todas(self) -> tuple[Canvas, io.BytesIO]:
        return _lienzo(f"Exhortos del ciclo {self.datos.ciclo}", self.ancla)

    def _escribir(self, lienzos: Sequence[Canvas], x: Exhortado) -> None:
        e = _Escritor(lienzos, f"Exhorto · ciclo {self.datos.ciclo} · RFC {una_linea(x.rfc)}",
                      self.ancla)
        d, m = self.datos, self.membrete
        e.linea(lugar_y_fecha(m, d.notificacion), derecha=True)
        e.saltar(10)
        e.parrafo("Exhorto de cumplimiento de obligaciones en materia de seguridad social",
                  fuente=NEGRITA, tamano=12, antes=0)
        e.linea(f"Ciclo {d.ciclo}")
        e.saltar(8)
        for ln in _partir(una_linea(x.razon_social), NEGRITA, CUERPO, ANCHO):
            e.linea(ln, fuente=NEGRITA)
        e.linea(f"RFC: {una_linea(x.rfc)}")
        e.linea(f"Folio REPSE: {una_linea(x.folio)}")
        contacto = [una_linea(v) for v in (x.domicilio, x.correo) if v]
        for valor in contacto or ["(domicilio no registrado)"]:
            for ln in _partir(valor, NORMAL, CUERPO, ANCHO):
                e.linea(ln)
        e.saltar(6)
        for texto in _cuerpo_carta(d, OPINION_TITULO.get(x.opinion, "—")):
            e.parrafo(texto)
        e.parrafo("Atentamente,", antes=10)
        e.firmas(((IMSS, m.imss if m else None), (STPS, m.stps if m else None)))
        e.terminar()


PARALELO = 2_000  # from this many letters on, processes on every core draw them
LOTE = 1_000  # letters per task of a process


def exhortos_pdf(cartas: Exhortos, xs: Sequence[Exhortado], *, paralelo: int = PARALELO
                 ) -> Iterator[bytes]:
    """Each letter's PDF, in the order of ``xs``, then the PDF with them all. A letter costs
    about 1.5 ms of CPU, drawn twice: from ``paralelo`` letters on, processes on every core
    draw them (the combined file in one task, batches of letters in others), so that 18,000
    take about half the time on two cores. The bytes are the same either way. Close the
    iterator (``contextlib.closing``) to stop it early: the pending batches are cancelled."""
    nucleos = os.cpu_count() or 1
    if len(xs) < paralelo or nucleos < 2:
        c, buf = cartas.lienzo_todas()
        for x in xs:
            yield cartas.carta(x, tambien=c)
        c.save()
        yield buf.getvalue()
        return
    pool = procesos(nucleos)
    try:
        todas = pool.submit(cartas.todas, xs)
        lotes = [pool.submit(cartas.sueltas, xs[k:k + LOTE]) for k in range(0, len(xs), LOTE)]
        for lote in lotes:
            yield from lote.result()
        yield todas.result()
    finally:
        pool.shutdown(cancel_futures=True)


def procesos(n: int) -> ProcessPoolExecutor:
    """``n`` worker processes, started with «spawn»: the caller may run threads (the terminal
    UI does), which a fork would copy half-way through whatever they were doing.

    multiprocessing's resource tracker hands ``sys.stderr``'s descriptor to its own process;
    a host that replaced ``sys.stderr`` with an object without one (Textual does, while it
    draws) would make it fail to start. It is then started once with a real descriptor."""
    try:
        valido = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        valido = False
    if not valido:
        with open(os.devnull, "w") as nulo, contextlib.redirect_stderr(nulo):
            multiprocessing.resource_tracker.ensure_running()
    return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))


@lru_cache(maxsize=8)
def _cuerpo_carta(d: _DatosCarta, opinion: str) -> tuple[str, ...]:
    return (
        f"El {IMSS} y la {STPS}, de manera conjunta, le informan que en la consulta de la "
        "opinión del cumplimiento de obligaciones en materia de seguridad social realizada el "
        f"{fecha_larga(d.d0)} (fecha de consulta), usted obtuvo resultado «{opinion}».",
        "Con fundamento en el numeral 2 del Mecanismo de intercambio de información entre el "
        "IMSS y la STPS para las prestadoras de servicios especializados o de ejecución de "
        "obras especializadas, en los artículos 15 A de la Ley del Seguro Social y 15 de la "
        "Ley Federal del Trabajo, se le exhorta a regularizar su situación ante el IMSS dentro "
        "de un plazo de 30 días naturales, contados a partir del día siguiente a la "
        "notificación de este exhorto, que surte efectos el "
        f"{fecha_larga(d.notificacion)} (artículo 38 de la Ley Federal de Procedimiento "
        f"Administrativo). El plazo vence el {fecha_larga(d.ultimo)}.{d.extension}",
        "Al día hábil siguiente al vencimiento del plazo, el IMSS consultará nuevamente su "
        "opinión de cumplimiento. De persistir el resultado «Negativa» o «Sin opinión», la "
        "STPS iniciará el procedimiento de cancelación de su registro en el REPSE (numerales 3 "
        "y 4 del Mecanismo; DÉCIMO QUINTO del Acuerdo por el que se dan a conocer las "
        "disposiciones de carácter general para el registro de personas físicas o morales que "
        "presten servicios especializados o ejecuten obras especializadas).",
    )


# --------------------------------------------------------------------------------------------
# The round-3 oficio
# --------------------------------------------------------------------------------------------
_COLUMNAS = ((0.0, "Núm."), (1.3 * cm, "RFC"), (4.4 * cm, "Razón social"),
             (ANCHO - 3.2 * cm, "Folio REPSE"))


def oficio_tercera(vista: Vista, ciclo: Ciclo, lists: Sequence[Listado]) -> bytes:
    """IMSS's oficio to STPS with the round-3 list of registrations to cancel (numerales 6, 9):
    number, place and date (the round-3 consultation's day: STPS cancels that same day), the
    contractors by opinion, and a place for IMSS's signer."""
    m, ancla = vista.membrete, vista.ancla
    consulta = lists[0].consulta if lists else None
    total = sum(len(lst.filas) for lst in lists)
    c, buf = _lienzo(f"Oficio de la tercera consulta, ciclo {ciclo}", ancla)
    e = _Escritor((c,), f"Oficio {numero_oficio(m, ciclo)} · ciclo {ciclo}", ancla)
    e.linea(f"Oficio núm. {numero_oficio(m, ciclo)}", fuente=NEGRITA, derecha=True)
    e.linea(lugar_y_fecha(m, consulta) if consulta else lugar_y_fecha(m, vista.fecha_consulta(
        str(ciclo))), derecha=True)
    e.linea("Asunto: listado de contratistas para cancelación del registro REPSE",
            derecha=True)
    e.saltar(10)
    para = f"{una_linea(m.stps.nombre)}, {una_linea(m.stps.cargo)}" if m else \
        "Titular de la Unidad de Trabajo Digno"
    e.parrafo(f"Para: {para}, {STPS}", fuente=NEGRITA, antes=0)
    e.parrafo(f"De: {IMSS}, Dirección de Incorporación y Recaudación", antes=2)
    e.parrafo(
        f"Ciclo {ciclo}, tercera consulta de la opinión de cumplimiento"
        + (f" del {fecha_larga(consulta)}." if consulta else ".")
        + " Con fundamento en los numerales 5, 6 y 9 del Mecanismo de intercambio de "
        "información entre el IMSS y la STPS, se remite por oficio el listado de los "
        "contratistas a los que se inició el procedimiento de cancelación del registro REPSE y "
        "que continúan con opinión «Negativa» o «Sin opinión» en la tercera consulta, a fin de "
        "que esa Secretaría proceda ese mismo día a la cancelación de su registro (numeral 6).",
        antes=10)
    e.parrafo(f"Total: {total:,} contratistas.")
    k = 0
    for lst in lists:
        e.parrafo(f"Opinión «{OPINION_TITULO[lst.opinion]}» ({len(lst.filas):,})",
                  fuente=NEGRITA, antes=10)
        if not lst.filas:
            e.linea("(ninguno)")
            continue
        _cabecera_tabla(e)
        for rfc, nombre, folio in lst.filas:
            k += 1
            lineas = _partir(una_linea(nombre), NORMAL, 9, _COLUMNAS[3][0] - _COLUMNAS[2][0] - 6)
            if e.y - len(lineas) * 11 < MARGEN:
                e.espacio(ALTO_PAGINA)  # a new page, with the table's header again
                _cabecera_tabla(e)
            e.y -= 11
            _fila(e, (f"{k:,}", una_linea(rfc), lineas[0], una_linea(folio)), NORMAL)
            for ln in lineas[1:]:
                e.y -= 11
                _fila(e, ("", "", ln, ""), NORMAL)
    e.parrafo("Atentamente,", antes=14)
    e.firmas(((IMSS, m.imss if m else None),))
    e.terminar()
    c.save()
    return buf.getvalue()


def _cabecera_tabla(e: _Escritor) -> None:
    e.espacio(30)
    e.y -= 14
    _fila(e, tuple(titulo for _, titulo in _COLUMNAS), NEGRITA)
    for c in e.lienzos:
        c.line(MARGEN, e.y - 3, ANCHO_PAGINA - MARGEN, e.y - 3)
    e.y -= 2


def _fila(e: _Escritor, celdas: Sequence[str], fuente: str) -> None:
    for (x, _), texto in zip(_COLUMNAS, celdas, strict=True):
        e.escribir(MARGEN + x, e.y, texto, fuente, 9, celda=True)
