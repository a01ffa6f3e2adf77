"""Reading the files operators receive (padrón, opinion lists, RFC lists) into typed inputs.

Real files are messy, and a list with a wrong RFC is a legal act against the wrong company. So
every data row of a file ends as exactly one of: *accepted* (possibly with warnings) or *refused*
with its file, its row number and the reason. Nothing is dropped silently; only a file that is not
a table of the expected kind at all raises :class:`~repse.core.errors.ImportFileError`.

What is tolerated, and how:

- **Formats**: XLSX (recognized by its content, not its name; read with python-calamine) or
  delimited text. Old binary XLS is refused with a hint. A workbook is read only if it is clear
  which sheet holds the list: one sheet with data and no hidden sheet, or the sheet the operator
  names; the sheet read is named in :attr:`Lectura.hoja`. A workbook that inflates far beyond its
  size (a zip bomb) or beyond :data:`MAX_XLSX_DESCOMPRIMIDO` is refused before it is parsed.
- **Encodings**: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"); when a
  line is not valid UTF-8 it is read as Windows-1252/Latin-1, line by line, so a file glued
  together from two sources keeps its Ñ and accents in both halves.
- **Separators**: comma, semicolon or tab, sniffed from the header line.
- **Headers**: matched ignoring case, accents, spaces, underscores and punctuation, with a few
  synonyms (``Resultado`` for ``Opinión``, ``Nombre`` for ``Razón social``…). Unknown columns are
  ignored. A list of RFCs may come without a header when its first row already is an RFC.
  Opinion values are not that lenient: only their known spellings (any case, with or without
  accents, ``Sin opinión`` or ``sin_opinion``) are an opinion; ``Positiva?`` is not.
- **Rows**: blank lines (and rows of empty cells) are skipped but row numbers stay the real line
  numbers of the file (1 is the header line; for XLSX the sheet row); spaces around values are
  stripped. A quoted cell may span up to ten lines (Excel's Alt+Enter) as long as the record
  keeps the header's shape; otherwise a stray quote cannot swallow the lines after it: the row
  where the quote opens is refused (never read with its cell cut) and each line after it is read
  on its own.
- **Refusals**: a wrong RFC shape, a generic RFC, a missing required value, an impossible date, an
  unknown opinion, a truncated row, extra cells (an unquoted separator inside a value), a text
  longer than :data:`MAX_LARGO_TEXTO`, and the second occurrence of an RFC. **Warnings**: a
  failed RFC check digit, an e-mail that does not look like one. RFCs are checked all at once
  with :func:`repse.core.rfc.check_rfc_batch`.

The ``leer_*`` functions return a :class:`Lectura`; the ``entrada_*`` builders turn it into one
input of the engine (:mod:`repse.core.inputs`), carrying ``archivo`` and each row's ``fila``.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import compress, count, islice, starmap
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import msgspec

from .cycle import Ciclo
from .errors import Aviso, ImportFileError, Rechazo
from .inputs import (
    ACTORES,
    Actor,
    Cancelacion,
    CancelacionImpedida,
    Declaraciones,
    Entrada,
    Exhorto,
    FilaDeclaracion,
    FilaPadron,
    InicioCancelacion,
    InputError,
    Opinion,
    Opiniones,
    Padron,
    Resultado,
    Ronda,
    construir,
)
from .lifecycle import parse_ronda
from .rfc import check_rfc, check_rfc_batch

Progreso = Callable[[int, int | None], None]
"""``progreso(hechas, total)``: rows processed so far and the estimated total (None if unknown)."""

PASO_PROGRESO = 5_000  # rows between two calls of ``progreso``
MAX_LINEAS_CELDA = 10  # a quoted cell may span at most this many lines (an address, a note)
MAX_MUESTRA = 60  # characters of a bad value quoted in a reason
MAX_LARGO_TEXTO = 1_000  # characters of a razón social, folio, e-mail or address: beyond, garbage
# A 1,000,000-row padrón saved as XLSX inflates to about 480 MB; real workbooks inflate 5 to 30
# times their size, a zip bomb thousands of times.
MAX_XLSX_DESCOMPRIMIDO = 1 << 30  # bytes
MAX_PROPORCION_XLSX = 100
MIN_XLSX_DESCOMPRIMIDO = 16 << 20  # a small workbook may inflate this much, whatever its ratio

TipoActo = Literal["exhorto", "inicio_cancelacion", "cancelacion", "cancelacion_impedida"]
ACTOS: dict[str, type] = {
    "exhorto": Exhorto,
    "inicio_cancelacion": InicioCancelacion,
    "cancelacion": Cancelacion,
    "cancelacion_impedida": CancelacionImpedida,
}


class FilaRfc(msgspec.Struct, frozen=True):
    """One row of an RFC list (the acts: exhorto, inicio_cancelacion, cancelacion…)."""

    rfc: str
    fila: int


T = TypeVar("T", FilaPadron, Resultado, FilaRfc, FilaDeclaracion)


class Lectura(msgspec.Struct, Generic[T], frozen=True):
    """What was read from one file. Every data row is in exactly one of ``filas`` (accepted,
    warned or not) and ``rechazos``: ``len(filas) + len(rechazos) == filas_leidas``."""

    archivo: str  # the file's name, as operators know it
    filas: tuple[T, ...]
    rechazos: tuple[Rechazo, ...]  # not yet numbered: ``linea`` 0, ``tipo`` ""
    avisos: tuple[Aviso, ...]
    filas_leidas: int
    notas: tuple[str, ...] = ()  # how the file was read: encoding, separator, sheet…
    hoja: str | None = None  # the sheet read, for a workbook
    otras_hojas_con_datos: tuple[str, ...] = ()  # other sheets of that workbook that hold data

    def resumen(self) -> str:
        """The one-line Spanish summary an import ends with."""
        con_aviso = len({a.fila for a in self.avisos})
        return (f"{self.archivo}: {_cuenta(self.filas_leidas, 'fila leída', 'filas leídas')}; "
                f"{_cuenta(len(self.filas), 'aceptada', 'aceptadas')} ({_n(con_aviso)} con "
                f"aviso), {_cuenta(len(self.rechazos), 'rechazada', 'rechazadas')}.")

    def detalle(self) -> list[str]:
        """One Spanish line per refused row, then one per warning, in file order."""
        lines = [f"Rechazada — {r}" for r in self.rechazos]
        lines += [f"Aviso — {a}" for a in self.avisos]
        return lines


def _n(value: int) -> str:
    return f"{value:,}"


def _cuenta(value: int, singular: str, plural: str) -> str:
    return f"{_n(value)} {singular if value == 1 else plural}"


# --- columns and header matching ---------------------------------------------------------------

@dataclass(frozen=True)
class _Columna:
    campo: str
    titulo: str  # how operators name it
    nombres: frozenset[str]  # accepted header names, normalized by _clave
    obligatoria: bool = True


def _clave(text: str) -> str:
    """Header names compared without case, accents, spaces or punctuation.

    >>> _clave(" Razón_Social "), _clave("FECHA DE REGISTRO"), _clave("Sin opinión")
    ('razonsocial', 'fechaderegistro', 'sinopinion')
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


RFC = _Columna("rfc", "RFC", frozenset({
    "rfc", "rfccontratista", "rfcdelcontratista", "registrofederaldecontribuyentes"}))
RAZON_SOCIAL = _Columna("razon_social", "Razón social", frozenset({
    "razonsocial", "nombreorazonsocial", "denominacionorazonsocial", "denominacion", "nombre"}))
FOLIO = _Columna("folio", "Folio", frozenset({
    "folio", "foliorepse", "numerodefolio", "nofolio", "folioderegistro"}))
FECHA_REGISTRO = _Columna("fecha_registro", "Fecha de registro", frozenset({
    "fechaderegistro", "fecharegistro", "fechadelregistro"}))
CORREO = _Columna("correo", "Correo", frozenset({
    "correo", "correoelectronico", "email", "mail", "correoe"}), obligatoria=False)
DOMICILIO = _Columna("domicilio", "Domicilio", frozenset({
    "domicilio", "direccion", "domiciliofiscal"}), obligatoria=False)
FECHA_PRESENTACION = _Columna("fecha", "Fecha de presentación", frozenset({
    "fechadepresentacion", "fechapresentacion", "fecha", "fechadeenvio", "fechaderecepcion"}))
SIN_CONTRATOS = _Columna("sin_contratos", "Sin contratos", frozenset({
    "sincontratos", "sininformacion", "sincontratoscelebrados"}), obligatoria=False)
OPINION = _Columna("opinion", "Opinión", frozenset({
    "opinion", "resultado", "sentidodelaopinion", "opiniondecumplimiento", "sentido"}))


def _mapear(encabezado: list[str], fila: int, columnas: tuple[_Columna, ...],
            archivo: str) -> dict[str, int]:
    """Which cell of each row holds each column; refuses the file if a required one is absent."""
    indices: dict[str, int] = {}
    for i, nombre in enumerate(encabezado):
        clave = _clave(nombre)
        for col in columnas:
            if clave in col.nombres:
                if col.campo in indices:
                    raise ImportFileError(
                        archivo, f"la columna «{col.titulo}» aparece dos veces en el encabezado "
                        f"(fila {fila}, columnas {indices[col.campo] + 1} y {i + 1})")
                indices[col.campo] = i
    faltan = [c.titulo for c in columnas if c.obligatoria and c.campo not in indices]
    if faltan:
        encontradas = [_muestra(n, 40) for n in encabezado if n.strip()]
        vistas = ", ".join(f"«{n}»" for n in encontradas[:12])
        if len(encontradas) > 12:
            vistas += f" y {len(encontradas) - 12} más"
        faltan_texto = _plural(faltan, "falta la columna obligatoria",
                               "faltan las columnas obligatorias")
        raise ImportFileError(archivo, f"{faltan_texto}; columnas encontradas en la fila {fila}: "
                                       f"{vistas or 'ninguna'}")
    return indices


def _plural(nombres: list[str], uno: str, varios: str) -> str:
    quoted = [f"«{n}»" for n in nombres]
    if len(quoted) == 1:
        return f"{uno} {quoted[0]}"
    return f"{varios} {', '.join(quoted[:-1])} y {quoted[-1]}"


def _muestra(value: str, limite: int = MAX_MUESTRA) -> str:
    """A value quoted in a reason, cut so that a garbage cell cannot flood the report."""
    value = value.replace("\r", " ").replace("\n", " ")
    return value if len(value) <= limite else value[: limite - 1] + "…"


# --- reading the table: bytes → (row number, cells) ---------------------------------------------

@dataclass
class _Tabla:
    registros: Iterator[tuple[int, list[Any]]]  # every record, blank ones included
    total: int | None  # estimated number of records, for the progress callback
    notas: list[str]
    texto: bool  # delimited text (cells are str; a short row is truncated) vs. XLSX
    hoja: str | None = None  # the sheet read, for a workbook
    otras_hojas_con_datos: tuple[str, ...] = ()  # of a workbook whose sheet was named
    # Rows (line numbers) where a quoted cell opens and does not close in a record of the
    # header's shape; filled while ``registros`` is consumed.
    cortadas: set[int] = field(default_factory=set)


_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _abrir(path: Path, archivo: str, hoja: str | None) -> _Tabla:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(archivo, f"no existe el archivo «{path}»") from None
    except IsADirectoryError:
        raise ImportFileError(archivo, f"«{path}» es una carpeta, no un archivo") from None
    except PermissionError:
        raise ImportFileError(archivo, "no hay permiso para leer el archivo") from None
    except OSError as exc:
        raise ImportFileError(archivo, f"no se puede leer el archivo: {exc.strerror}") from None
    if data.startswith(b"PK\x03\x04"):
        return _tabla_xlsx(data, archivo, hoja)
    if data.startswith(_XLS):
        raise ImportFileError(archivo, "es un libro de Excel 97-2003 (XLS), que no se lee: "
                                       "guárdelo como XLSX o CSV")
    if hoja is not None:
        raise ImportFileError(archivo, f"se pidió la hoja «{_muestra(hoja)}», pero el archivo no "
                                       "es un libro XLSX: es texto, sin hojas")
    lines, notas = _decodificar(data, archivo)
    sep = _separador(lines)
    notas.append(f"separador «{_NOMBRE_SEPARADOR[sep]}»")
    tabla = _Tabla(iter(()), len(lines), notas, texto=True)
    tabla.registros = _registros_texto(lines, sep, tabla.cortadas)
    return tabla


def _decodificar(data: bytes, archivo: str) -> tuple[list[str], list[str]]:
    """Physical lines, with their line breaks, in the file's encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(archivo, "empieza como UTF-16 pero no lo es") from None
        return list(io.StringIO(text, newline="")), ["codificación UTF-16"]
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # io.StringIO(newline="") breaks lines only at \r, \n and \r\n, as bytes.splitlines
        return list(io.StringIO(text, newline="")), [
            "codificación UTF-8" + (" con BOM" if bom else "")]
    lines, latin, utf8 = [], 0, 0
    for raw in data.splitlines(keepends=True):
        try:
            line = raw.decode("utf-8")
            utf8 += not raw.isascii()
        except UnicodeDecodeError:
            latin += 1
            try:
                line = raw.decode("cp1252")
            except UnicodeDecodeError:  # 5 bytes cp1252 leaves undefined
                line = raw.decode("latin-1")
        lines.append(line)
    nota = "codificación Latin-1 (Windows-1252)"
    if utf8:
        nota = (f"codificación mixta: {_cuenta(latin, 'línea', 'líneas')} en Latin-1 y "
                f"{_n(utf8)} en UTF-8")
    return lines, [nota]


_NOMBRE_SEPARADOR = {",": "coma", ";": "punto y coma", "\t": "tabulador"}


def _separador(lines: list[str]) -> str:
    """The separator the header line (the first with something besides separators and spaces)
    uses most. A header without any (a single column) says nothing: then the one the first lines
    use most (a list of RFCs saved by Excel may end its rows with «;»); a comma when none."""
    header = next((line for line in lines if _CONTENIDO.search(line)), "")
    muestra = [header] if any(sep in header for sep in _NOMBRE_SEPARADOR) else lines[:1000]
    return max(_NOMBRE_SEPARADOR, key=lambda sep: sum(line.count(sep) for line in muestra))


_CONTENIDO = re.compile(r'[^\s,;"]')


def _registros_texto(lines: list[str], sep: str, cortadas: set[int]
                     ) -> Iterator[tuple[int, list[Any]]]:
    """Split lines into records, each with the number of the line it starts on.

    A quoted cell may span lines (Excel's Alt+Enter in an address) only if the record then has
    the header's number of cells, at most MAX_LINEAS_CELDA lines, and none of its continuation
    lines looks like a row of its own; otherwise each of those lines is read on its own, so that a
    stray quote cannot swallow the rows after it, and the line where the quote opens goes into
    ``cortadas``: read alone, its cell would be cut."""
    if not any('"' in line for line in lines):  # no quotes: split, at C speed
        yield from zip(count(1), (line.rstrip("\r\n").split(sep) for line in lines))
        return
    try:  # as many records as lines: no record spans lines, each line is its record
        records = list(csv.reader(lines, delimiter=sep, strict=False))
    except csv.Error:
        records = []
    if len(records) == len(lines):
        yield from zip(count(1), records)
        return
    reader = csv.reader(lines, delimiter=sep, strict=False)
    ancho: int | None = None  # cells in the header, the first non-blank record
    hechas = 0  # lines consumed
    while True:
        try:
            for cells in reader:
                fin = reader.line_num
                if fin - hechas > 1 and not (
                        ancho and len(cells) == ancho and fin - hechas <= MAX_LINEAS_CELDA
                        and not any(lines[j].count(sep) >= ancho - 1
                                    for j in range(hechas + 1, fin))):
                    cortadas.add(hechas + 1)
                    yield from _una_por_linea(lines, hechas, fin, sep)
                else:
                    if ancho is None and any(c.strip() for c in cells):
                        ancho = len(cells)
                    yield hechas + 1, cells
                hechas = fin
            return
        except csv.Error:  # e.g. a cell longer than csv's field limit; the reader goes on
            fin = reader.line_num
            if fin - hechas > 1:
                cortadas.add(hechas + 1)
            yield from _una_por_linea(lines, hechas, fin, sep)
            hechas = fin


def _una_por_linea(lines: list[str], desde: int, hasta: int, sep: str
                   ) -> Iterator[tuple[int, list[str]]]:
    for j in range(desde, hasta):
        yield j + 1, _celdas(lines[j], sep)


def _celdas(line: str, sep: str) -> list[str]:
    """One line's cells; quotes are honoured, and an unclosed quote ends with the line."""
    try:
        records = list(csv.reader([line], delimiter=sep, strict=False))
    except csv.Error:
        records = []
    if len(records) == 1:
        return records[0]
    return [c.strip('"') for c in line.rstrip("\r\n").split(sep)]


def _tabla_xlsx(data: bytes, archivo: str, hoja: str | None) -> _Tabla:
    """One sheet of a workbook (see :func:`_elegir_hoja`), read with python-calamine (Rust):
    openpyxl's read-only mode takes about 23 s for a 150,000-row sheet, calamine well under a
    second."""
    from python_calamine import CalamineWorkbook  # imported here: only XLSX imports pay for it

    _medir_xlsx(data, archivo)
    try:
        libro = CalamineWorkbook.from_filelike(io.BytesIO(data))
        nombre, hoja_leida = _elegir_hoja(libro, hoja, archivo)
        # Leading empty rows are kept, so that row numbers are the sheet's own.
        valores = hoja_leida.to_python(skip_empty_area=False)
        con_datos = tuple(h for h in libro.sheet_names
                          if h != nombre and libro.get_sheet_by_name(h).height)
    except ImportFileError:
        raise
    except Exception:  # a damaged file raises many kinds, with messages in English
        raise ImportFileError(archivo, _XLSX_ILEGIBLE) from None
    notas = [f"libro XLSX, hoja «{nombre}»"]
    if otras := [h for h in libro.sheet_names if h != nombre]:
        que = "las otras hojas" if hoja is not None else "las otras hojas, sin datos"
        notas.append(f"no se leen {que}: {_lista(otras)}")
    registros = ((fila, list(celdas)) for fila, celdas in enumerate(valores, start=1))
    return _Tabla(registros, len(valores), notas, texto=False, hoja=nombre,
                  otras_hojas_con_datos=con_datos)


_XLSX_ILEGIBLE = ("no es un libro XLSX legible: el archivo está dañado o tiene otro formato; "
                  "ábralo y guárdelo de nuevo como XLSX")


def _lista(nombres: Sequence[str]) -> str:
    return ", ".join(f"«{_muestra(n)}»" for n in nombres)


def _elegir_hoja(libro: Any, hoja: str | None, archivo: str) -> tuple[str, Any]:
    """The sheet to read: the one named, or else the only one with data — but never on a guess.
    A list on a second sheet or behind a hidden first sheet was once ignored silently, and with
    a complete list those contractors became positiva (an adversarial run's case)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    hojas = libro.sheets_metadata
    if not hojas:
        raise ImportFileError(archivo, "el libro no tiene hojas")
    if hoja is not None:
        if hoja not in libro.sheet_names:
            raise ImportFileError(archivo, f"el libro no tiene la hoja «{_muestra(hoja)}»; sus "
                                           f"hojas: {_lista(libro.sheet_names)}")
        return hoja, libro.get_sheet_by_name(hoja)
    if ocultas := [h.name for h in hojas if h.visible != SheetVisibleEnum.Visible]:
        cuantas = _cuenta(len(ocultas), "hoja oculta", "hojas ocultas")
        raise ImportFileError(archivo, f"el libro tiene {cuantas} ({_lista(ocultas)}): indique "
                                       "qué hoja se debe leer")
    leidas = [(h.name, libro.get_sheet_by_name(h.name)) for h in hojas
              if h.typ == SheetTypeEnum.WorkSheet]
    if not leidas:
        raise ImportFileError(archivo, "el libro no tiene hojas de cálculo")
    con_datos = [(nombre, s) for nombre, s in leidas if s.height]
    if len(con_datos) > 1:
        raise ImportFileError(archivo, f"el libro tiene {_n(len(con_datos))} hojas con datos "
                                       f"({_lista([n for n, _ in con_datos])}): indique qué hoja "
                                       "se debe leer")
    return (con_datos or leidas)[0]


def _medir_xlsx(data: bytes, archivo: str) -> None:
    """Refuse a workbook that inflates beyond the limits before anything parses it. The bytes
    actually inflated are counted (the sizes a zip declares may lie), 1 MiB at a time, stopping
    at the limit: memory stays flat whatever the file holds."""
    limite = min(MAX_XLSX_DESCOMPRIMIDO,
                 max(MIN_XLSX_DESCOMPRIMIDO, MAX_PROPORCION_XLSX * len(data)))
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as libro:
            for info in libro.infolist():
                # zipfile stops an entry at its declared size (and then checks its CRC):
                # declare more than the room left plus one block, so that a lying entry is
                # caught here, not cut there.
                info.file_size = limite - total + _BLOQUE + 1
                with libro.open(info) as entrada:
                    while bloque := entrada.read(_BLOQUE):
                        total += len(bloque)
                        if total > limite:
                            raise ImportFileError(archivo, _demasiado_grande(limite, len(data)))
    except ImportFileError:
        raise
    except Exception:  # not a zip, damaged, encrypted…
        raise ImportFileError(archivo, _XLSX_ILEGIBLE) from None


_BLOQUE = 1 << 20


def _demasiado_grande(limite: int, tamano: int) -> str:
    if limite == MAX_XLSX_DESCOMPRIMIDO:
        return (f"el libro XLSX ocupa más de {_n(limite >> 20)} MB descomprimido, más de lo que "
                "se lee; divídalo o guárdelo como CSV")
    return (f"el libro XLSX se descomprime a más de {_n(limite >> 20)} MB desde {_n(tamano)} "
            "bytes: ningún libro de Excel se comprime tanto (¿una bomba de descompresión?); no "
            "se lee")


# --- cell values --------------------------------------------------------------------------------

def _texto(value: Any) -> str:
    """A cell as text: stripped; an Excel number 12345.0 is ``12345``; a date is ISO."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


_ESPACIOS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CORREO = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_FECHA_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_FECHA_DMA = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")


def _textos(columna: Sequence[Any], titulo: str, falta: str | None,
            errores: dict[int, list[str]]) -> list[str]:
    """A text column: stripped, inner runs of spaces and line breaks made one space; an empty
    cell (when ``falta`` says the column is required), a control character or a text longer than
    MAX_LARGO_TEXTO refuses the row."""
    out = _textos_limpios(columna)
    if out and max(map(len, out)) > MAX_LARGO_TEXTO:  # one C-speed pass first
        for k in [k for k, text in enumerate(out) if len(text) > MAX_LARGO_TEXTO]:
            errores.setdefault(k, []).append(
                f"{titulo} de {_n(len(out[k]))} caracteres: el máximo es {_n(MAX_LARGO_TEXTO)}")
            out[k] = out[k][:MAX_LARGO_TEXTO]  # refused anyway: the scans below read less
    todo = "|".join(out)
    if not todo.isprintable() or "  " in todo:  # one C-speed scan of the whole column first
        for k in [k for k, text in enumerate(out) if not text.isprintable() or "  " in text]:
            out[k] = text = _ESPACIOS.sub(" ", out[k])
            if bad := _CONTROL.search(text):
                errores.setdefault(k, []).append(
                    f"{titulo} con caracteres de control (U+{ord(bad[0]):04X})")
    if falta and "" in out:
        for k in [k for k, text in enumerate(out) if not text]:
            errores.setdefault(k, []).append(falta)
    return out


def _textos_limpios(columna: Sequence[Any]) -> list[str]:
    try:
        return list(map(str.strip, columna))  # a text file: every cell is a str
    except TypeError:
        return [_texto(v) for v in columna]


def _fechas(columna: Sequence[Any], nombre: str = "fecha de registro"
            ) -> list[date | str | None]:
    """Each cell's date, the reason it is not one (naming the column as ``nombre``), or None
    when the cell is empty."""
    try:
        textos: list[Any] = list(map(str.strip, columna))  # a text file: every cell is a str
    except TypeError:
        textos = [v if isinstance(v, date) else _texto(v) for v in columna]
    # A padrón repeats a few thousand dates: parse each distinct text once.
    unicas = {t: _fecha_texto(t, nombre) if t else None for t in set(textos) if type(t) is str}
    return [unicas[t] if type(t) is str else t.date() if isinstance(t, datetime) else t
            for t in textos]


def _fecha_texto(text: str, nombre: str) -> date | str:
    match = _FECHA_ISO.fullmatch(text)
    ymd = (match[1], match[2], match[3]) if match else None
    if not match and (match := _FECHA_DMA.fullmatch(text)):
        ymd = (match[3], match[2], match[1])
    if ymd is None:
        return (f"{nombre} no válida «{_muestra(text)}» "
                "(se espera AAAA-MM-DD o DD/MM/AAAA)")
    try:
        return date(int(ymd[0]), int(ymd[1]), int(ymd[2]))
    except ValueError:
        return f"{nombre} no válida «{_muestra(text)}»: ese día no existe"


# The known spellings of an opinion, in any case and with or without accents; words apart by
# spaces or an underscore (a database's ``sin_opinion``). Nothing else: «Positiva?» or
# «¡Negativa!» is not an opinion anybody gave (an adversarial run's case).
_OPINIONES: dict[str, Opinion] = {
    "positiva": "positiva", "negativa": "negativa", "sin opinion": "sin_opinion",
    "sinopinion": "sin_opinion"}
_ENTRE_PALABRAS = re.compile(r"[\s_]+")
_LARGO_OPINION = max(map(len, _OPINIONES)) + 4  # a longer cell is no spelling of one


def _opinion(text: str) -> Opinion | str:
    """The opinion a cell names, or the reason it names none.

    >>> _opinion("SIN OPINIÓN"), _opinion(" sin_opinion "), _opinion("¡Negativa!")[:34]
    ('sin_opinion', 'sin_opinion', 'opinión no reconocida «¡Negativa!»')
    """
    if not text:
        return "falta la opinión"
    opinion = _deletreada(text) if len(text) <= _LARGO_OPINION else None
    if opinion is None:
        return (f"opinión no reconocida «{_muestra(text)}» "
                "(se espera Positiva, Negativa o Sin opinión)")
    return opinion


@lru_cache(maxsize=1 << 10)  # a list repeats a handful of spellings
def _deletreada(text: str) -> Opinion | None:
    sin_acentos = "".join(ch for ch in unicodedata.normalize("NFD", text.lower())
                          if not unicodedata.combining(ch))
    return _OPINIONES.get(_ENTRE_PALABRAS.sub(" ", sin_acentos).strip())


# --- the reading loop ---------------------------------------------------------------------------

Columnas = dict[str, Sequence[Any]]
# Turns the raw columns (by field name, RFC excluded) into the row structs' field values; a
# reason in ``errores[k]`` refuses row k, one in ``avisos[k]`` warns on it.
Conversor = Callable[[Columnas, dict[int, list[str]], dict[int, list[str]]], Columnas]


@dataclass(frozen=True)
class _Esquema:
    columnas: tuple[_Columna, ...]
    convertir: Conversor
    construir: type  # the row struct; its fields: rfc, what convertir gives (in order), fila
    sin_encabezado: bool = False  # a list of RFCs may start directly with an RFC


def _vacia(cells: list[Any]) -> bool:
    return not any(_texto(c) for c in cells)


def _vacia_texto(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _leer(path: str | Path, esquema: _Esquema, progreso: Progreso | None,
          hoja: str | None) -> Lectura[Any]:
    path = Path(path)
    archivo = path.name
    tabla = _abrir(path, archivo, hoja)
    notas = list(tabla.notas)

    # The header: the first non-blank record.
    vacia = _vacia_texto if tabla.texto else _vacia
    primera = next(((fila, cells) for fila, cells in tabla.registros if not vacia(cells)), None)
    if primera is None:
        raise ImportFileError(archivo, "el archivo está vacío: no tiene encabezado ni filas")
    fila_encabezado, encabezado = primera[0], [_texto(c) for c in primera[1]]
    filas: list[int] = []
    registros: list[list[Any]] = []
    if esquema.sin_encabezado and not check_rfc(encabezado[0]).error:
        indices = {"rfc": 0}
        filas.append(fila_encabezado)
        registros.append(encabezado)
        notas.append("sin encabezado: la primera fila ya es un RFC")
    else:
        indices = _mapear(encabezado, fila_encabezado, esquema.columnas, archivo)

    with _sin_gc():
        # In batches, so that progress can be told; a blank line is not a row, but rows keep
        # their line numbers.
        while lote := list(islice(tabla.registros, PASO_PROGRESO)):
            sigue = len(lote) == PASO_PROGRESO  # a short batch is the last one
            if tabla.texto:
                lote = [(fila, cells) for fila, cells in lote if "".join(cells).strip()]
            else:
                lote = [(fila, cells) for fila, cells in lote if not _vacia(cells)]
            filas += [fila for fila, _ in lote]
            registros += [cells for _, cells in lote]
            if progreso is not None and sigue:
                progreso(len(filas), _estimado(tabla.total, fila_encabezado, len(filas)))
        ancho = len(encabezado)
        forma = _forma(registros, ancho, indices, esquema) if tabla.texto else {}
        if tabla.cortadas:  # a row read without the rest of its quoted cell: its shape is moot
            for k in [k for k, fila in enumerate(filas) if fila in tabla.cortadas]:
                forma.setdefault(k, [_CORTADA])
        # Every row to the header's width (a short XLSX row just has empty cells), then columns.
        for k, cells in enumerate(registros):
            if len(cells) != ancho:
                registros[k] = (cells + [None] * ancho)[:ancho]
        transpuesta = list(zip(*registros, strict=True)) if registros else [()] * ancho
        columnas = {campo: transpuesta[i] for campo, i in indices.items()}
        rfcs = [v.strip() if type(v) is str else _texto(v) for v in columnas.pop("rfc")]
        errores: dict[int, list[str]] = {}
        avisos: dict[int, list[str]] = {}
        campos = esquema.convertir(columnas, errores, avisos)
        lectura = _juzgar(archivo, filas, rfcs, campos, forma, errores, avisos,
                          esquema.construir)
    if progreso is not None:
        progreso(len(filas), len(filas))  # the total is now known
    return msgspec.structs.replace(lectura, notas=tuple(notas), hoja=tabla.hoja,
                                   otras_hojas_con_datos=tabla.otras_hojas_con_datos)


_CORTADA = (f"una celda entre comillas empieza en esta fila y no se cierra en ella (abarca más de "
            f"{MAX_LINEAS_CELDA} líneas, o las que siguen parecen filas): se rechaza la fila para "
            "no leer la celda cortada; cada línea siguiente se lee como una fila")


@contextmanager
def _sin_gc() -> Iterator[None]:
    """Building a few hundred thousand small objects that all survive makes the cyclic garbage
    collector scan them again and again, for nothing; pause it meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _estimado(total: int | None, fila_encabezado: int, hechas: int) -> int | None:
    return None if total is None else max(total - fila_encabezado, hechas)


def _forma(registros: list[list[Any]], ancho: int, indices: dict[str, int],
           esquema: _Esquema) -> dict[int, list[str]]:
    """Rows of a text file with fewer cells than a required column needs (truncated) or with
    data beyond the header (an unquoted separator inside a value)."""
    necesarias = sorted((i, c.titulo) for c in esquema.columnas
                        if c.obligatoria and c.campo in indices for i in [indices[c.campo]])
    forma: dict[int, list[str]] = {}
    for k, cells in enumerate(registros):
        largo = len(cells)
        if largo == ancho:
            continue
        faltan = [titulo for i, titulo in necesarias if i >= largo]
        if faltan:
            forma.setdefault(k, []).append(
                f"fila incompleta: tiene {largo} de {ancho} columnas; "
                + _plural(faltan, "falta", "faltan"))
        sobran = sum(1 for c in cells[ancho:] if c.strip())
        if sobran:
            forma.setdefault(k, []).append(
                f"la fila tiene {sobran} {'celda' if sobran == 1 else 'celdas'} con datos más "
                "allá del encabezado (¿un separador sin comillas dentro de un valor?)")
    return forma


def _juzgar(archivo: str, filas: list[int], rfcs: list[str], campos: Columnas,
            forma: dict[int, list[str]], errores: dict[int, list[str]],
            avisos: dict[int, list[str]], construir: type) -> Lectura[Any]:
    """Check every RFC at once, refuse repeated ones, and sort rows into accepted and refused.

    The reasons of a refused row, in order: its RFC, then its shape (truncated, extra cells) —
    which makes the reasons of single cells moot — or else those of its cells."""
    normal, errores_rfc, avisos_rfc = check_rfc_batch(rfcs)
    primera = dict(zip(reversed(normal), reversed(filas), strict=True))  # first row of each RFC
    dudosas = sorted(
        errores_rfc.keys() | avisos_rfc.keys()
        | {k for k, (rfc, fila) in enumerate(zip(normal, filas, strict=True))
           if primera[rfc] != fila}
        | forma.keys() | errores.keys() | avisos.keys())
    rechazos: list[Rechazo] = []
    lista_avisos: list[Aviso] = []
    rechazadas = [False] * len(filas)
    filas_rechazadas: set[int] = set()
    for k in dudosas:
        fila, rfc, error, aviso = filas[k], normal[k], errores_rfc.get(k), avisos_rfc.get(k)
        motivos = []
        if error:
            if not (k in forma and not rfc):  # a truncated row without its RFC: that says it
                motivos.append(error)
        elif primera[rfc] != fila:
            tambien = " (también rechazada)" if primera[rfc] in filas_rechazadas else ""
            motivos.append(f"RFC duplicado: ya aparece en la fila {primera[rfc]}{tambien}")
        motivos += forma.get(k) or errores.get(k) or []
        if motivos:
            rechazadas[k] = True
            filas_rechazadas.add(fila)
            rechazos.append(Rechazo(0, "", _muestra(rfc, 40), "; ".join(motivos), archivo, fila))
            continue
        lista_avisos += [Aviso(0, "", rfc, a, archivo, fila)
                         for a in ([aviso] if aviso else []) + avisos.get(k, [])]
    # The row structs take (rfc, *fields, fila) in this order.
    todas = zip(normal, *campos.values(), filas, strict=True)
    aceptadas = (starmap(construir, compress(todas, [not r for r in rechazadas])) if rechazos
                 else starmap(construir, todas))
    return Lectura(archivo=archivo, filas=tuple(aceptadas), rechazos=tuple(rechazos),
                   avisos=tuple(lista_avisos), filas_leidas=len(filas))


def _convertir_padron(columnas: Columnas, errores: dict[int, list[str]],
                      avisos: dict[int, list[str]]) -> Columnas:
    razones = _textos(columnas["razon_social"], "razón social", "falta la razón social", errores)
    folios = _textos(columnas["folio"], "folio", "falta el folio", errores)
    fechas = _fechas(columnas["fecha_registro"])
    for k, fecha in enumerate(fechas):
        if fecha is None:
            errores.setdefault(k, []).append("falta la fecha de registro")
        elif isinstance(fecha, str):
            errores.setdefault(k, []).append(fecha)
    vacia = [None] * len(razones)
    correos = _textos(columnas.get("correo", vacia), "correo", None, errores)
    for k, correo in enumerate(correos):
        if correo and not _CORREO.fullmatch(correo):
            avisos.setdefault(k, []).append(
                f"correo electrónico con forma no válida «{_muestra(correo)}»")
    domicilios = _textos(columnas.get("domicilio", vacia), "domicilio", None, errores)
    return {"razon_social": razones, "folio": folios, "fecha_registro": fechas,
            "correo": [c or None for c in correos], "domicilio": [d or None for d in domicilios]}


def _convertir_opiniones(columnas: Columnas, errores: dict[int, list[str]],
                         avisos: dict[int, list[str]]) -> Columnas:
    opiniones = [_opinion(v.strip() if type(v) is str else _texto(v))
                 for v in columnas["opinion"]]
    for k, opinion in enumerate(opiniones):
        if opinion not in _OPINIONES.values():
            errores.setdefault(k, []).append(opinion)
    return {"opinion": opiniones}


_SI = frozenset({"si", "x", "1", "verdadero", "true"})
_NO = frozenset({"", "no", "0", "falso", "false"})


def _convertir_declaraciones(columnas: Columnas, errores: dict[int, list[str]],
                             avisos: dict[int, list[str]]) -> Columnas:
    fechas = _fechas(columnas["fecha"], "fecha de presentación")
    for k, fecha in enumerate(fechas):
        if fecha is None:
            errores.setdefault(k, []).append("falta la fecha de presentación")
        elif isinstance(fecha, str):
            errores.setdefault(k, []).append(fecha)
    sin_contratos: list[bool] = []
    for k, v in enumerate(columnas.get("sin_contratos", [None] * len(fechas))):
        texto = _clave(_texto(v))
        if texto not in _SI | _NO:
            errores.setdefault(k, []).append(f"«Sin contratos» no válido «{_muestra(_texto(v))}» "
                                             "(se espera sí, no o vacío)")
        sin_contratos.append(texto in _SI)
    return {"fecha": fechas, "sin_contratos": sin_contratos}


def _convertir_rfcs(columnas: Columnas, errores: dict[int, list[str]],
                    avisos: dict[int, list[str]]) -> Columnas:
    return {}


_PADRON = _Esquema((RFC, RAZON_SOCIAL, FOLIO, FECHA_REGISTRO, CORREO, DOMICILIO),
                   _convertir_padron, FilaPadron)
_OPINIONES_ESQUEMA = _Esquema((RFC, OPINION), _convertir_opiniones, Resultado)
_RFCS = _Esquema((RFC,), _convertir_rfcs, FilaRfc, sin_encabezado=True)
_DECLARACIONES = _Esquema((RFC, FECHA_PRESENTACION, SIN_CONTRATOS), _convertir_declaraciones,
                          FilaDeclaracion)

def leer_padron(path: str | Path, progreso: Progreso | None = None,
                hoja: str | None = None) -> Lectura[FilaPadron]:
    """Read a padrón: RFC, Razón social, Folio, Fecha de registro (required); Correo and
    Domicilio (optional). Dates as AAAA-MM-DD, DD/MM/AAAA or Excel date cells. ``hoja``: the
    sheet to read, for a workbook (needed when it has several with data, or a hidden one)."""
    return _leer(path, _PADRON, progreso, hoja)


def leer_opiniones(path: str | Path, progreso: Progreso | None = None,
                   hoja: str | None = None) -> Lectura[Resultado]:
    """Read opinion results: RFC and Opinión (or Resultado): Positiva, Negativa, Sin opinión."""
    return _leer(path, _OPINIONES_ESQUEMA, progreso, hoja)


def leer_rfcs(path: str | Path, progreso: Progreso | None = None,
              hoja: str | None = None) -> Lectura[FilaRfc]:
    """Read a list of RFCs (the column ``RFC``; other columns are ignored; no header needed)."""
    return _leer(path, _RFCS, progreso, hoja)


def leer_declaraciones(path: str | Path, progreso: Progreso | None = None,
                       hoja: str | None = None) -> Lectura[FilaDeclaracion]:
    """Read IMSS's list of four-monthly reports received: RFC and Fecha de presentación
    (required), Sin contratos (optional: sí, no or empty)."""
    return _leer(path, _DECLARACIONES, progreso, hoja)


def leer(tipo: str, path: str | Path, progreso: Progreso | None = None,
         hoja: str | None = None) -> Lectura[Any]:
    """Read the file of one kind of input: ``padron``, ``opiniones``, ``declaraciones`` or an
    act's RFC list."""
    if tipo == "padron":
        return leer_padron(path, progreso, hoja)
    if tipo == "opiniones":
        return leer_opiniones(path, progreso, hoja)
    if tipo == "declaraciones":
        return leer_declaraciones(path, progreso, hoja)
    if tipo in ACTOS:
        return leer_rfcs(path, progreso, hoja)
    raise InputError(None, f"tipo de archivo desconocido «{tipo}»; tipos válidos: padron, "
                           f"opiniones, declaraciones, {', '.join(ACTOS)}")


# --- building the engine's inputs ---------------------------------------------------------------

def entrada_padron(lectura: Lectura[FilaPadron], ciclo: Ciclo | str, at: datetime,
                   actor: Actor = "stps", usuario: str | None = None) -> Padron:
    """The padrón input of ``ciclo`` with every accepted row (each keeps its ``fila``)."""
    return construir(Padron, at=at, actor=actor, usuario=usuario, archivo=lectura.archivo,
                     ciclo=ciclo, contratistas=lectura.filas)


def entrada_opiniones(lectura: Lectura[Resultado], ciclo: Ciclo | str, ronda: Ronda | str,
                      completo: bool, at: datetime, actor: Actor = "imss",
                      usuario: str | None = None) -> Opiniones:
    """The opinions of one round; ``completo``: every contractor awaiting the round and absent
    from the list is positiva (IMSS deposits only the Negativa and Sin opinión lists)."""
    return construir(Opiniones, at=at, actor=actor, usuario=usuario, archivo=lectura.archivo,
                     ciclo=ciclo, ronda=parse_ronda(ronda), resultados=lectura.filas,
                     completo=completo)


def entrada_acto(tipo: TipoActo, lectura: Lectura[Any], ciclo: Ciclo | str, at: datetime,
                 actor: Actor | None = None, motivo: str | None = None,
                 usuario: str | None = None) -> Entrada:
    """An act over a list of RFCs (``exhorto``, ``inicio_cancelacion``, ``cancelacion``,
    ``cancelacion_impedida``). Any :class:`Lectura` will do (an RFC list, or the opinions of a
    round): its accepted rows give ``rfcs`` and ``filas``. Without ``actor``, the one the
    mechanism names (GT for the exhorto, STPS for the rest). ``motivo`` is required for, and
    only for, ``cancelacion_impedida``."""
    if tipo not in ACTOS:
        raise InputError(None, f"acto desconocido «{tipo}»; actos válidos: {', '.join(ACTOS)}")
    if actor is None:
        (actor,) = ACTORES[tipo]  # type: ignore[assignment]
    extra: dict[str, str] = {}
    if tipo == "cancelacion_impedida":
        if not (motivo and motivo.strip()):
            raise InputError(None, "la cancelación impedida necesita un motivo")
        extra["motivo"] = motivo.strip()
    elif motivo is not None:
        raise InputError(None, f"«{tipo}» no lleva motivo")
    return construir(
        ACTOS[tipo], at=at, actor=actor, usuario=usuario, archivo=lectura.archivo, ciclo=ciclo,
        rfcs=tuple(f.rfc for f in lectura.filas), filas=tuple(f.fila for f in lectura.filas),
        **extra)


def entrada(tipo: str, lectura: Lectura[Any], *, ciclo: Ciclo | str, at: datetime,
            actor: Actor | None = None, ronda: Ronda | str | None = None, completo: bool = False,
            motivo: str | None = None, usuario: str | None = None) -> Entrada:
    """The input of kind ``tipo`` built from ``lectura`` (what ``repse importar`` needs); for
    ``declaraciones``, ``ciclo`` is the period (``AAAA-Cn``)."""
    if tipo == "declaraciones":
        return construir(Declaraciones, at=at, actor=actor or "imss", usuario=usuario,
                         archivo=lectura.archivo, periodo=ciclo, declaraciones=lectura.filas)
    if tipo == "padron":
        return entrada_padron(lectura, ciclo, at, actor or "stps", usuario)
    if tipo == "opiniones":
        if ronda is None:
            raise InputError(None, "las opiniones necesitan su ronda: 1, 2, 3 o diaria")
        return entrada_opiniones(lectura, ciclo, ronda, completo, at, actor or "imss", usuario)
    return entrada_acto(tipo, lectura, ciclo, at, actor, motivo, usuario)  # type: ignore[arg-type]
