"""The files of one demo cycle, each as messy as real files and always the same way for a seed.

Formats differ from file to file (UTF-8 with and without BOM, one file in Latin-1 with
semicolons, one XLSX, lenient header spellings, ``DD/MM/AAAA`` dates, trailing spaces, blank
lines), and a few rows must be refused by the importer (a malformed RFC, a generic RFC, a repeated
RFC, an impossible date, a missing razón social) or accepted with a warning (a failed check
digit). A messy row never hides a contractor the cycle needs: refused rows are extra rows.
:class:`ArchivoDemo` records, per file, the rows the importer must refuse and those it must warn
about.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, time
from pathlib import Path

import msgspec
import numpy as np

from ..cycle import PlanCiclo
from ..exports import xlsx_bytes
from ..inputs import ACTORES, Ronda
from ..plazos import MX
from ..rfc import GENERICOS
from .contratistas import Contratista, generar_contratistas


class ArchivoDemo(msgspec.Struct, frozen=True):
    """One generated file and the parameters of its import."""

    nombre: str
    tipo: str  # padron | opiniones | exhorto | inicio_cancelacion | cancelacion | …
    paso: str  # the step of the cycle, in Spanish
    at: datetime  # when the step nominally happens (the --at of its import)
    actor: str
    filas: int  # data rows written
    rechazadas: tuple[int, ...] = ()  # rows the importer must refuse, by design
    con_aviso: tuple[int, ...] = ()  # rows it must accept with a warning
    ronda: Ronda | None = None
    completo: bool = False
    motivo: str | None = None
    formato: str = ""  # encoding, separator, sheet — what makes this file differ
    motivos: str = ""  # what is wrong with the rows to refuse, in Spanish


class ResumenDemo(msgspec.Struct, frozen=True):
    ciclo: str
    semilla: int
    contratistas: int
    destino: str
    archivos: tuple[ArchivoDemo, ...]
    negativas_ronda1: int
    sin_opinion_ronda1: int
    ronda2: int
    ronda3: int
    cancelados: int
    impedidos: int

    @property
    def ronda1(self) -> int:
        return self.negativas_ronda1 + self.sin_opinion_ronda1

    def texto(self) -> str:
        """The Spanish summary ``repse demo-datos`` prints."""
        return (
            f"Datos de demostración del ciclo {self.ciclo} en {self.destino}: "
            f"{self.contratistas:,} contratistas; ronda 1: {self.ronda1:,} señalados "
            f"({self.negativas_ronda1:,} negativa, {self.sin_opinion_ronda1:,} sin opinión); "
            f"ronda 2: {self.ronda2:,}; ronda 3: {self.ronda3:,}; cancelaciones: "
            f"{self.cancelados:,}; impedidas: {self.impedidos:,}. "
            f"{len(self.archivos)} archivos; instrucciones en LEEME.txt."
        )


class _Tabla:
    """Rows of one file being built, with the row number each will have in the file."""

    def __init__(self, encabezado: list[str]) -> None:
        self.encabezado = encabezado
        self.lineas: list[list[str]] = []
        self.blancos: list[int] = []  # indices in ``lineas`` of blank lines
        self.rechazadas: list[int] = []
        self.con_aviso: list[int] = []

    def fila(self, celdas: list[str], *, rechazada: bool = False, aviso: bool = False) -> int:
        self.lineas.append(celdas)
        numero = len(self.lineas) + 1  # line 1 is the header
        if rechazada:
            self.rechazadas.append(numero)
        if aviso:
            self.con_aviso.append(numero)
        return numero

    def blanco(self) -> None:
        self.blancos.append(len(self.lineas))
        self.lineas.append([])

    @property
    def filas(self) -> int:
        return len(self.lineas) - len(self.blancos)

    def csv(self, sep: str = ",") -> str:
        out = io.StringIO()
        # csv writes an empty row as an empty line: the blank lines need nothing else.
        writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
        writer.writerow(self.encabezado)
        writer.writerows(self.lineas)
        return out.getvalue()

    def xlsx(self, hoja: str) -> bytes:
        return xlsx_bytes(hoja, self.encabezado, self.lineas)


def _mal_formado(rfc: str) -> str:
    """A typing mistake that breaks the shape: the letter O for the zero or the first digit."""
    i = next(i for i, ch in enumerate(rfc) if ch.isdigit())
    return rfc[:i] + "O" + rfc[i + 1:]


def _digito_equivocado(rfc: str) -> str:
    return rfc[:-1] + ("1" if rfc[-1] != "1" else "2")



def a_las(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), MX)


def escribir_padron(rng: random.Random, rs: np.random.RandomState, destino: Path,
                     padron: list[Contratista], aviso_rfc: str, plan: PlanCiclo) -> ArchivoDemo:
    """padron.csv: UTF-8 without BOM, commas, CRLF; a few dates as DD/MM/AAAA, trailing spaces,
    two blank lines, one RFC with a failed check digit and five rows that must be refused."""
    tabla = _Tabla(["RFC", "Razón social", "Folio", "Fecha de registro", "Correo", "Domicilio"])
    n = len(padron)
    # Where the refused rows and the blank lines go (before the contractor at that position).
    huecos = sorted(rng.sample(range(1, n), 5))
    blancos = set(rng.sample(range(1, n), 2))
    malas = dict(zip(huecos, _filas_malas(rng, rs, padron, huecos[-1], aviso_rfc, plan),
                     strict=True))
    dma = (rs.random_sample(n) < 0.03).tolist()
    espacios = (rs.random_sample(n) < 0.02).tolist()
    for i, c in enumerate(padron):
        if i in blancos:
            tabla.blanco()
        if i in malas:
            tabla.fila(malas[i], rechazada=True)
        fecha = f"{c.fecha_registro:%d/%m/%Y}" if dma[i] else c.fecha_registro.isoformat()
        rfc, razon = c.rfc, c.razon_social
        if espacios[i]:
            rfc, razon = rfc + "  ", razon + " "
        if c.rfc == aviso_rfc:
            tabla.fila([_digito_equivocado(rfc), razon, c.folio, fecha, c.correo, c.domicilio],
                       aviso=True)
        else:
            tabla.fila([rfc, razon, c.folio, fecha, c.correo, c.domicilio])
    (destino / "padron.csv").write_text(tabla.csv(), encoding="utf-8", newline="")
    return ArchivoDemo(
        "padron.csv", "padron", "Entrega del padrón REPSE vigente (STPS)",
        a_las(plan.fecha_consulta, 9), "stps", tabla.filas, tuple(tabla.rechazadas),
        tuple(tabla.con_aviso), formato="UTF-8 sin BOM, separador coma",
        motivos="un RFC mal formado, el RFC genérico XAXX010101000, una fecha que no existe, "
                "una fila sin razón social y un RFC repetido")


def _filas_malas(rng: random.Random, rs: np.random.RandomState, padron: list[Contratista],
                 antes_de: int, aviso_rfc: str, plan: PlanCiclo) -> list[list[str]]:
    """Five extra padrón rows the importer must refuse, in the order they appear; the last one
    repeats the RFC of a contractor written before position ``antes_de``."""
    usados = {c.rfc[:-1] for c in padron}
    nuevas = [[c.rfc, c.razon_social, c.folio, c.fecha_registro.isoformat(), c.correo,
               c.domicilio] for c in generar_contratistas(rs, 4, plan.fecha_consulta, usados)]
    mal_formado, generico, fecha_imposible, sin_razon = nuevas
    mal_formado[0] = _mal_formado(mal_formado[0])
    generico[0], generico[1] = sorted(GENERICOS)[0], "PÚBLICO EN GENERAL"
    fecha_imposible[3] = f"31/02/{plan.fecha_consulta.year - 1}"
    sin_razon[1] = ""
    # The repeated RFC repeats a contractor written before it, with another folio (not the one
    # whose RFC is written with a wrong check digit: that would be another RFC).
    original = rng.choice([c for c in padron[:antes_de] if c.rfc != aviso_rfc])
    repetida = [original.rfc, original.razon_social, f"AR{rng.randint(10_000, 999_999)}/"
                f"{original.fecha_registro.year}", original.fecha_registro.isoformat(),
                original.correo, original.domicilio]
    rng.shuffle(nuevas)
    return [*nuevas, repetida]  # the repeated one is last: after its original


_NEGATIVA = ("Negativa", "Negativa", "Negativa", "NEGATIVA", "negativa ")
_SIN_OPINION = ("Sin opinión", "Sin opinión", "Sin opinión", "SIN OPINIÓN", "Sin opinion")


def _por_opinion(filas: list[Contratista], opinion: dict[str, str]) -> list[Contratista]:
    """IMSS lists Negativa and Sin opinión apart: Negativa first, each part by RFC."""
    return sorted(filas, key=lambda c: (opinion[c.rfc] != "negativa", c.rfc))


def escribir_opiniones_ronda1(rng: random.Random, destino: Path, filas: list[Contratista],
                               opinion: dict[str, str], plan: PlanCiclo) -> ArchivoDemo:
    """opiniones_ronda1.csv: Latin-1 with semicolons (as Excel saves "CSV" in Spanish Windows)
    and spellings of the opinion that vary. No row is refused: it is a complete list, and a
    complete list with a refused row is refused whole."""
    tabla = _Tabla(["RFC", "Razón social", "Opinión"])
    for c in _por_opinion(filas, opinion):
        valor = rng.choice(_NEGATIVA if opinion[c.rfc] == "negativa" else _SIN_OPINION)
        tabla.fila([c.rfc, c.razon_social, valor])
    (destino / "opiniones_ronda1.csv").write_bytes(tabla.csv(";").encode("latin-1"))
    return ArchivoDemo(
        "opiniones_ronda1.csv", "opiniones",
        "Opinión de cumplimiento, ronda 1: listados Negativa y Sin opinión (IMSS)",
        a_las(plan.fecha_consulta, 17), "imss", tabla.filas, tuple(tabla.rechazadas),
        ronda=1, completo=True, formato="Latin-1, separador punto y coma")


def escribir_opiniones_ronda2(destino: Path, filas: list[Contratista], opinion: dict[str, str],
                               plan: PlanCiclo) -> ArchivoDemo:
    """opiniones_ronda2.xlsx: an XLSX whose opinion column is headed «Resultado» (a complete
    list: no refused row)."""
    tabla = _Tabla(["RFC", "Razón social", "Resultado"])
    for c in _por_opinion(filas, opinion):
        tabla.fila([c.rfc, c.razon_social,
                    "Negativa" if opinion[c.rfc] == "negativa" else "Sin opinión"])
    at = a_las(plan.segunda_consulta, 11)
    (destino / "opiniones_ronda2.xlsx").write_bytes(tabla.xlsx("Ronda 2"))
    return ArchivoDemo(
        "opiniones_ronda2.xlsx", "opiniones",
        "Segunda consulta (D2): listados Negativa y Sin opinión (IMSS)", at, "imss",
        tabla.filas, tuple(tabla.rechazadas), ronda=2, completo=True,
        formato="XLSX, hoja «Ronda 2»")


def escribir_opiniones_ronda3(rng: random.Random, destino: Path, filas: list[Contratista],
                               opinion: dict[str, str], plan: PlanCiclo) -> ArchivoDemo:
    """opiniones_ronda3.csv: UTF-8 with BOM, headers as a database exports them
    (``rfc,razon_social,opinion``), a blank line and a lower-case RFC with spaces."""
    tabla = _Tabla(["rfc", "razon_social", "opinion"])
    ordenadas = _por_opinion(filas, opinion)
    blanco = rng.randrange(len(ordenadas))
    for i, c in enumerate(ordenadas):
        if i == blanco:
            tabla.blanco()
        rfc = f" {c.rfc.lower()} " if i == 0 else c.rfc
        tabla.fila([rfc, c.razon_social, opinion[c.rfc]])
    (destino / "opiniones_ronda3.csv").write_text(tabla.csv(), encoding="utf-8-sig", newline="")
    return ArchivoDemo(
        "opiniones_ronda3.csv", "opiniones",
        "Tercera consulta (D3): listado de registros a cancelar (IMSS, oficio)",
        a_las(plan.tercera_consulta, 11), "imss", tabla.filas, ronda=3, completo=True,
        formato="UTF-8 con BOM, separador coma")


def escribir_diaria(destino: Path, k: int, filas: list[Contratista], opinion: dict[str, str],
                     at: datetime) -> ArchivoDemo:
    tabla = _Tabla(["RFC", "Razón social", "Opinión"])
    for c in _por_opinion(filas, opinion):
        tabla.fila([c.rfc, c.razon_social,
                    "Negativa" if opinion[c.rfc] == "negativa" else "Sin opinión"])
    nombre = f"opiniones_diaria_{k}.csv"
    (destino / nombre).write_text(tabla.csv(), encoding="utf-8", newline="")
    return ArchivoDemo(
        nombre, "opiniones", f"Opinión actualizada del día hábil {k} tras la cancelación "
        "impedida (IMSS)", at, "imss", tabla.filas, ronda="diaria", completo=True,
        formato="UTF-8 sin BOM, separador coma")


def escribir_acto(destino: Path, tipo: str, paso: str, filas: list[Contratista], at: datetime,
                  *, sep: str = ",", bom: bool = False, repetida: bool = False,
                  motivo: str | None = None) -> ArchivoDemo:
    """The RFC list of an act (with the razón social, which the importer ignores)."""
    tabla = _Tabla(["RFC", "Razón social"])
    ordenadas = sorted(filas, key=lambda c: c.rfc)
    for i, c in enumerate(ordenadas):
        tabla.fila([c.rfc, c.razon_social])
        if repetida and i == len(ordenadas) // 2:
            tabla.fila([c.rfc, c.razon_social], rechazada=True)
    nombre = f"{tipo}.csv"
    (destino / nombre).write_text(tabla.csv(sep), encoding="utf-8-sig" if bom else "utf-8",
                                  newline="")
    (actor,) = ACTORES[tipo]
    formato = (f"UTF-8 {'con' if bom else 'sin'} BOM, separador "
               f"{'punto y coma' if sep == ';' else 'coma'}")
    return ArchivoDemo(nombre, tipo, paso, at, actor, tabla.filas, tuple(tabla.rechazadas),
                       motivo=motivo, formato=formato,
                       motivos="un RFC repetido" if repetida else "")

